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

    /// Each thread's name and nice value, from /proc (nice is field 19 of its stat line).
    static func threadNiceness() -> [(name: String, nice: Int)] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return ids.compactMap { id in
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(id)/comm", encoding: .utf8),
                  let stat = try? String(contentsOfFile: "/proc/self/task/\(id)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 16, let nice = Int(fields[16]) else { return nil }
            return (comm.trimmingCharacters(in: .whitespacesAndNewlines), nice)
        }
    }

    /// The decode thread runs below the reader, so that under overload the reader keeps reading (and the
    /// inbox counts what decode drops) instead of Redis cutting the subscriber.
    @Test func theDecodeThreadRunsBelowTheReader() throws {
        let server = try RedisServerProcess()
        var configuration = EventSubscriber.Configuration(url: try BrokerURL(parsing: server.url()))
        configuration.readTimeout = 0.2
        let starter = ThreadPriority.niceness
        let pipeline = IngestPipeline(subscriber: EventSubscriber(configuration: configuration))
        pipeline.start()
        defer { pipeline.stop() }
        let deadline = Date().addingTimeInterval(10)
        var threads = Self.threadNiceness()
        while !(threads.contains { $0.name == "rt.subscriber" } && threads.contains { $0.name == "retrytop.decode" }), Date() < deadline {
            usleep(10_000)
            threads = Self.threadNiceness()
        }
        let readers = threads.filter { $0.name == "rt.subscriber" }.map(\.nice)
        let decoders = threads.filter { $0.name == "retrytop.decode" }.map(\.nice)
        #expect(!readers.isEmpty && !decoders.isEmpty, "\(threads)")
        // Other tests' pipelines may run beside this one, all started from threads at the starter's level.
        #expect(readers.allSatisfy { $0 == starter }, "readers \(readers), starter \(starter)")
        #expect(decoders.allSatisfy { $0 == min(19, starter + IngestPipeline.decodePriorityBelowReader) }, "decoders \(decoders)")
        #expect(IngestPipeline.decodePriorityBelowReader > 0)
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
