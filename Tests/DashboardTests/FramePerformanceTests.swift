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
        let text = grid.plainText()
        #expect(text.contains("Retrying 20,000"))
        #expect(text.contains("● connected") && text.contains("20/20 workers"), "\(text)")
        #expect(text.contains("STARTED 2,000") && text.contains("RETRY 20,000"), "\(text)")
        // The selection moved down one row (`j`): the second retrying row carries the highlight.
        let rows = grid.plainText().split(separator: "\n", omittingEmptySubsequences: false)
        let marked = rows.firstIndex { $0.contains("▸") }
        let firstRow = rows.firstIndex { $0.contains("NEXT IN") }.map { $0 + 1 }
        #expect(marked != nil && marked == firstRow.map { $0 + 1 }, "\(text)")
        // Timing is printed, not asserted: the frame-time claim comes from `retrytop bench` on a release build.
    }
}

/// A screen drawn into the storage of the one before last is the same screen as one drawn new: every
/// cell of the old one is blanked first. (The dashboard loop keeps two screens and draws into the
/// older, so a frame allocates no 200x50 grid and faults in no fresh pages.)
@Suite struct ReusedGridTests {
    @Test func aReusedGridShowsExactlyTheNewScreen() {
        var state = AppState(
            monitor: LoadFixture.monitor(tasks: 2_000), link: LoadFixture.link(now: StormFixture.now), width: 160, height: 45,
            now: StormFixture.now)
        var spare: Grid?
        var last: Grid?
        let keys: [Key] = [.char("j"), .tab, .char("j"), .char("?"), .escape, .tab, .enter, .escape, .char("e"), .escape]
        for (frame, key) in keys.enumerated() {
            _ = update(&state, .key(key))
            _ = update(&state, .tick(now: StormFixture.now + Double(frame) * 1.5))
            let reused = Dashboard.renderFrame(state: state, reusing: &spare)
            #expect(spare == nil, "the spare was taken")
            #expect(reused == Dashboard.renderFrame(state: state), "frame \(frame) after \(key)")
            (last, spare) = (reused, last)
        }
    }

    @Test func aGridOfAnotherSizeIsNotReused() {
        let state = AppState(width: 100, height: 30, now: StormFixture.now)
        var spare: Grid? = Grid(width: 80, height: 30)
        let grid = Dashboard.renderFrame(state: state, reusing: &spare)
        #expect(grid.size == Size(width: 100, height: 30))
        #expect(grid == Dashboard.renderFrame(state: state))
    }

    /// The storage is the same when nothing else holds the spare.
    @Test func aUniqueSpareKeepsItsStorage() {
        let state = AppState(width: 120, height: 40, now: StormFixture.now)
        var spare: Grid? = Dashboard.renderFrame(state: state)
        let before = spare!.cells.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        let grid = Dashboard.renderFrame(state: state, reusing: &spare)
        #expect(grid.cells.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == before)
    }
}
