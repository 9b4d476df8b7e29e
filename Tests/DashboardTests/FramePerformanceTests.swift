import Dashboard
import Monitor
import TerminalUI
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A full frame with 100,000 tasks tracked at 200x60 renders the right rows (view models build only visible rows).
@Suite("FramePerformance")
struct FramePerformanceTests {
    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    @Test func fullFrameWith100kTasks() {
        let monitor = LoadFixture.monitor(tasks: 100_000)
        #expect(monitor.tasks.count == 100_000)
        #expect(monitor.retryingIDs.count == 20_000)
        var state = AppState(
            monitor: monitor, link: LoadFixture.link(now: StormFixture.now), width: 200, height: 60, now: StormFixture.now)
        _ = update(&state, .key(.char("j")))
        _ = Dashboard.renderFrame(state: state)
        let frames = 20
        let start = Self.seconds()
        var grid = Grid(width: 1, height: 1)
        for frame in 0..<frames {
            _ = update(&state, .tick(now: StormFixture.now + Double(frame) * 0.05))
            grid = Dashboard.renderFrame(state: state)
        }
        let perFrame = (Self.seconds() - start) / Double(frames) * 1_000
        print("FRAME_MS=\(perFrame) (200x60, 100,000 tasks, 20,000 retrying, 2,000 running)")
        #expect(grid.plainText().contains("Retrying 20,000"))
        // Timing is printed, not asserted: the frame-time claim comes from `retrytop bench` on a release build.
    }
}
