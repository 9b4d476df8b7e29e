import ArgumentParser
import Foundation
import Journal
import Monitor
import RedisLink
import AuditFile

/// The journal's options, shared by the dashboard, `record` and `snapshot`.
struct JournalOptions: ParsableArguments {
    @Option(name: .long, help: "The journal (SQLite). Default: one per broker under $XDG_STATE_HOME/retrytop/ (~/.local/state/retrytop/).")
    var journal: String?

    @Flag(name: .long, help: "Neither read nor write a journal.")
    var noJournal = false

    @Option(name: .long, help: "History loaded from the journal at start: 90s, 30m, 6h, 7d.")
    var since: String = "6h"

    @Option(name: .long, help: "Journal records older than this are deleted (oldest first): 12h, 7d.")
    var retain: String = "7d"

    @Option(name: .long, help: "The journal's size bound (oldest records go first): 500MiB, 1GiB.")
    var maxSize: String = "1GiB"

    /// The journal path for `url`: `--journal`, else the broker's default.
    func path(for url: BrokerURL) -> String {
        if let journal { return journal }
        return JournalLocation.defaultPath(brokerKey: "\(url.endpointDescription)-\(url.db)")
    }

    func configuration(for url: BrokerURL, limits: MonitorLimits, auditLog: String?) throws -> JournalConfiguration {
        guard let window = JournalOptions.seconds(since) else { throw UsageError(message: "--since '\(since)' is not a duration like 6h") }
        guard let keep = JournalOptions.seconds(retain) else { throw UsageError(message: "--retain '\(retain)' is not a duration like 7d") }
        guard let bytes = JournalOptions.bytes(maxSize) else { throw UsageError(message: "--max-size '\(maxSize)' is not a size like 1GiB") }
        return JournalConfiguration(
            path: path(for: url), retention: JournalRetention(retainSeconds: keep, maxBytes: bytes), loadWindowSeconds: window,
            loadLimit: limits.maxTasks, maxAttempts: limits.maxAttemptsPerTask, auditLogPath: auditLog ?? AuditLog.defaultPath())
    }

    /// The dashboard's journal (`--journal PATH`, else the broker's default): it writes when it can take the
    /// lock, else it follows the recorder that holds it.
    func dashboardJournal(for url: BrokerURL, limits: MonitorLimits, auditLog: String?) throws -> (any JournalPort)? {
        guard !noJournal else { return nil }
        // Writing from the dashboard costs the frame thread only lookups and pointer copies (the rows are
        // built on the writer's thread: `JournalFacts`), so it journals by default, as the recorder does.
        let configuration = try configuration(for: url, limits: limits, auditLog: auditLog)
        do {
            if let lock = try JournalLock.acquire(journalPath: configuration.path) {
                let writer = JournalWriter(configuration: configuration, lock: lock)
                writer.start()
                return writer
            }
        } catch {
            FileHandle.standardError.write(Data("retrytop: \(error); live monitoring carries on without a journal\n".utf8))
            return nil
        }
        let follower = JournalFollower(configuration: configuration)
        follower.start()
        return follower
    }

    /// Seconds in `90`, `90s`, `30m`, `6h`, `7d`; nil when unreadable or not positive.
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        var number = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
        var scale = 1.0
        if let last = number.last, let unit = units[last] {
            scale = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value > 0, value.isFinite else { return nil }
        return value * scale
    }

    /// Bytes in `1048576`, `500KiB`, `500MiB`, `1GiB` (also KB/MB/GB as powers of 1000); nil when unreadable.
    static func bytes(_ text: String) -> Int? {
        let units: [(String, Double)] = [("kib", 1_024), ("mib", 1_048_576), ("gib", 1_073_741_824), ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("b", 1)]
        let lower = text.trimmingCharacters(in: .whitespaces).lowercased()
        for (suffix, scale) in units where lower.hasSuffix(suffix) {
            guard let value = Double(lower.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), value > 0 else { return nil }
            return Int(value * scale)
        }
        return Int(lower).flatMap { $0 > 0 ? $0 : nil }
    }
}
