import Foundation
import Monitor

/// Appends one JSON line per action (revoke, terminate, requeue) to a file the user can keep.
///
/// Why: acting on production tasks from a terminal must leave a trail: time, user, action, task ids and
/// the new ids of requeued copies, and what was refused. Lines are written with `O_APPEND` in one
/// `write`, so concurrent retrytop processes do not interleave. The broker appears only redacted; task
/// arguments are not logged (they may hold secrets). Default path `~/.local/state/retrytop/audit.log`
/// (`$XDG_STATE_HOME/retrytop/audit.log` when set); the directory is created with mode 0700 and the
/// file with 0600.
public final class AuditLog: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private let user: String
    private let host: String

    public init(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.path = path
        self.user = environment["USER"] ?? environment["LOGNAME"] ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(getuid())"
        self.host = ProcessInfo.processInfo.hostName
    }

    /// `$XDG_STATE_HOME/retrytop/audit.log`, else `~/.local/state/retrytop/audit.log`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/retrytop/audit.log"
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/retrytop/audit.log"
    }

    /// One audited action.
    public struct Entry: Sendable {
        public var action: String
        public var broker: String
        public var taskIDs: [String]
        /// original id → new id.
        public var newIDs: [(String, String)] = []
        public var refused: [(String, String)] = []
        public var failed: [(String, String)] = []
        /// Extra string fields (signal, pace, source counts, stop reason).
        public var details: [(String, String)] = []

        public init(action: String, broker: String, taskIDs: [String]) {
            self.action = action
            self.broker = broker
            self.taskIDs = taskIDs
        }
    }

    /// The JSON line for `entry` at `time` (epoch seconds), without the newline.
    public func line(_ entry: Entry, time: Double) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.string("time", ISO8601.format(time))
        writer.string("user", user)
        writer.string("host", host)
        writer.string("action", entry.action)
        writer.string("broker", entry.broker)
        writer.beginArray("task_ids")
        for id in entry.taskIDs { writer.string(nil, id) }
        writer.endArray()
        writer.beginObject("new_ids")
        for (original, copy) in entry.newIDs { writer.string(original, copy) }
        writer.endObject()
        writer.beginObject("refused")
        for (id, reason) in entry.refused { writer.string(id, reason) }
        writer.endObject()
        if !entry.failed.isEmpty {
            writer.beginObject("failed")
            for (id, reason) in entry.failed { writer.string(id, reason) }
            writer.endObject()
        }
        for (key, value) in entry.details { writer.string(key, value) }
        writer.endObject()
        return writer.output
    }

    /// Appends `entry`; throws when the file cannot be written (the caller reports it, the action stands).
    public func record(_ entry: Entry, time: Double = Date().timeIntervalSince1970) throws {
        let text = line(entry, time: time) + "\n"
        try lock.withLock {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw AuditLogError(path: path, message: String(cString: strerror(errno))) }
            defer { close(descriptor) }
            let bytes = Array(text.utf8)
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw AuditLogError(path: path, message: String(cString: strerror(errno))) }
        }
    }
}
