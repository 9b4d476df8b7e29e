import Actions
import Foundation
import Monitor
import StateFiles

/// The audit trail as a file of JSON lines the user can keep: the production `AuditTrail`.
///
/// Why: acting on production tasks from a terminal must leave a trail (time, user, host, action, task
/// ids, the new ids of requeued copies, what was refused) that survives the process: every record is
/// written with `O_APPEND` in one `write` (concurrent retrytop processes do not interleave) and `fsync`ed
/// before `append` returns, and callers append before they send. The broker appears only redacted; task
/// arguments are never logged. Default path `~/.local/state/retrytop/audit.log`
/// (`$XDG_STATE_HOME/retrytop/audit.log` when set). Directories it creates are mode 0700 and a file it
/// creates 0600 (whatever the umask); an existing file keeps its mode. Errors are one line of `strerror`
/// text (`AuditTrailError`).
public final class AuditLog: AuditTrail, @unchecked Sendable {
    public let path: String
    public var location: String { path }
    private let lock = NSLock()
    private let user: String
    private let host: String
    private let clock: @Sendable () -> Double

    /// - Parameter clock: epoch seconds for each record's `time` (the system clock unless a test fixes it).
    public init(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.path = path
        self.user = environment["USER"] ?? environment["LOGNAME"] ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(getuid())"
        self.host = ProcessInfo.processInfo.hostName
        self.clock = clock
    }

    /// `$XDG_STATE_HOME/retrytop/audit.log`, else `~/.local/state/retrytop/audit.log`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        StateDirectory.path(environment: environment) + "/audit.log"
    }

    /// The JSON line for `record` at `time` (epoch seconds), without the newline.
    public func line(_ record: AuditRecord, time: Double) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.string("time", ISO8601.format(time))
        writer.string("user", user)
        writer.string("host", host)
        writer.string("record", record.id)
        writer.string("phase", record.phase.rawValue)
        if let refersTo = record.refersTo { writer.string("refers_to", refersTo) }
        writer.string("action", record.action)
        writer.string("broker", record.broker)
        writer.beginArray("task_ids")
        for id in record.taskIDs { writer.string(nil, id) }
        writer.endArray()
        if !record.newIDs.isEmpty || record.action == "requeue" {
            writer.beginObject("new_ids")
            for (original, copy) in record.newIDs { writer.string(original, copy) }
            writer.endObject()
        }
        if !record.refused.isEmpty {
            writer.beginObject("refused")
            for (id, reason) in record.refused { writer.string(id, reason) }
            writer.endObject()
        }
        if !record.failed.isEmpty {
            writer.beginObject("failed")
            for (id, reason) in record.failed { writer.string(id, reason) }
            writer.endObject()
        }
        for (key, value) in record.details { writer.string(key, value) }
        writer.endObject()
        return writer.output
    }

    /// Appends `record` as one line and flushes it to disk (`fsync`) before returning.
    public func append(_ record: AuditRecord) throws(AuditTrailError) {
        let bytes = Array((line(record, time: clock()) + "\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        let descriptor = try open()
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw failure(written < 0 ? errno : EIO) }
        guard fsync(descriptor) == 0 || Self.isSpecialFile(descriptor, fsyncError: errno) else { throw failure(errno) }
    }

    /// Whether a failed `fsync` is that of a special file (`--audit-log /dev/null`: fsync says EINVAL):
    /// such a target was chosen by the user and has no durability to wait for; a regular file must sync.
    static func isSpecialFile(_ descriptor: Int32, fsyncError: Int32) -> Bool {
        guard fsyncError == EINVAL || fsyncError == EROFS else { return false }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return false }
        return (status.st_mode & S_IFMT) != S_IFREG
    }

    private func failure(_ code: Int32) -> AuditTrailError {
        AuditTrailError(location: path, reason: String(cString: strerror(code)))
    }

    /// Opens the log for appending, creating it (0600) and its missing directories (0700) first.
    private func open() throws(AuditTrailError) -> Int32 {
        let existing = Glibc.open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        if existing >= 0 { return existing }
        guard errno == ENOENT else { throw failure(errno) }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try StateDirectory.makeDirectories(directory)
        } catch {
            throw AuditTrailError(location: path, reason: error.description)
        }
        let created = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard created >= 0 else { throw failure(errno) }
        _ = fchmod(created, 0o600)
        syncDirectory(directory)
        return created
    }

    /// Flushes a directory entry just created, so the new file survives a crash too.
    private func syncDirectory(_ directory: String) {
        let descriptor = Glibc.open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
