import CeleryLink
import Foundation
import RedisLink
import Threading
import Testing
import TestSupport

/// The ingest threads carry their names in /proc, where `bench`'s per-thread split reads them: a thread
/// left with the process' name had its CPU counted with the main loop.
@Suite struct PipelineThreadNameTests {
    /// The names of this process' threads, from /proc.
    static func threadNames() -> [String] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return ids.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    @Test func aThreadNamedFromInsideHasThatNameInProc() {
        for index in 0..<30 {
            let name = "rt.test-\(index)"
            let done = DispatchSemaphore(value: 0)
            let seen = LockedBox("")
            let thread = Thread {
                ThreadName.set(name)
                seen.set(ThreadName.current)
                done.signal()
            }
            thread.start()
            done.wait()
            #expect(seen.get() == name)
        }
        // Longer than the kernel keeps: cut to its 15 bytes, not refused.
        let done = DispatchSemaphore(value: 0)
        let seen = LockedBox("")
        Thread {
            ThreadName.set("retrytop.decode-and-more")
            seen.set(ThreadName.current)
            done.signal()
        }.start()
        done.wait()
        #expect(seen.get() == "retrytop.decode")
    }

    @Test func theReaderAndTheDecodeThreadAreNamed() throws {
        let server = try RedisServerProcess()
        var configuration = EventSubscriber.Configuration(url: try BrokerURL(parsing: server.url()))
        configuration.readTimeout = 0.2
        let pipeline = IngestPipeline(subscriber: EventSubscriber(configuration: configuration))
        pipeline.start()
        defer { pipeline.stop() }
        let deadline = Date().addingTimeInterval(10)
        var names = Self.threadNames()
        while !(names.contains("rt.subscriber") && names.contains("retrytop.decode")), Date() < deadline {
            usleep(10_000)
            names = Self.threadNames()
        }
        #expect(names.contains("rt.subscriber") && names.contains("retrytop.decode"), "\(names)")
    }
}

/// A value shared between a test and the thread it starts.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func set(_ newValue: Value) { lock.withLock { value = newValue } }

    func get() -> Value { lock.withLock { value } }
}
