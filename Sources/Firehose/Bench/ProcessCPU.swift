import Foundation

/// CPU time of every thread of one process at one instant, read from /proc.
///
/// Why: wall time means little on a shared 2-core machine, CPU time does; and a per-thread split says
/// which hand-off costs (reader, decode, the main loop). Each thread's time comes from
/// /proc/PID/task/TID/schedstat (nanoseconds on the CPU), falling back to utime + stime of its `stat`
/// (clock ticks) where schedstat is missing. Threads that exit between two samples are missing from
/// the difference (retrytop's threads live as long as the process).
/// Bound: one entry per thread of the process.
public struct ProcessCPU: Sendable, Equatable {
    /// One thread's name (`comm`) and CPU seconds since it started.
    public struct ThreadTime: Sendable, Equatable, Codable {
        public var name: String
        public var seconds: Double

        public init(name: String, seconds: Double) {
            self.name = name
            self.seconds = seconds
        }
    }

    /// By thread id.
    public var threads: [Int: ThreadTime]

    public init(threads: [Int: ThreadTime] = [:]) {
        self.threads = threads
    }

    /// Reads every thread of `pid` now; empty when the process is gone.
    public static func sample(pid: Int32) -> ProcessCPU {
        let base = "/proc/\(pid)/task"
        guard let ids = try? FileManager.default.contentsOfDirectory(atPath: base) else { return ProcessCPU() }
        var threads: [Int: ThreadTime] = [:]
        for id in ids {
            guard let tid = Int(id) else { continue }
            let name = (try? String(contentsOfFile: "\(base)/\(id)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            guard let seconds = Self.schedstatSeconds("\(base)/\(id)/schedstat") ?? Self.statSeconds("\(base)/\(id)/stat") else { continue }
            threads[tid] = ThreadTime(name: name, seconds: seconds)
        }
        return ProcessCPU(threads: threads)
    }

    public var totalSeconds: Double { threads.values.reduce(0) { $0 + $1.seconds } }

    /// CPU spent since `earlier`, per thread name (threads of one name summed), largest first.
    public func since(_ earlier: ProcessCPU) -> [ThreadTime] {
        var byName: [String: Double] = [:]
        for (tid, now) in threads {
            byName[now.name, default: 0] += max(0, now.seconds - (earlier.threads[tid]?.seconds ?? 0))
        }
        return byName.map { ThreadTime(name: $0.key, seconds: $0.value) }.sorted { ($0.seconds, $1.name) > ($1.seconds, $0.name) }
    }

    /// The pids of a process' children (its main thread's), from /proc/PID/task/PID/children.
    public static func children(of pid: Int32) -> [Int32] {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else { return [] }
        return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    static func schedstatSeconds(_ path: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let first = text.split(separator: " ").first, let nanoseconds = Double(first) else { return nil }
        return nanoseconds / 1_000_000_000
    }

    static func statSeconds(_ path: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the name: state is field 0, utime field 11, stime field 12.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
