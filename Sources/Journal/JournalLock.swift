import Foundation

/// One writer per journal: an exclusive `flock` on `<journal>.lock`, held for the writer's lifetime.
///
/// Why a lock file: a dashboard started while a recorder runs must know to read and follow instead of
/// writing too. The kernel drops the lock when the holder dies (`kill -9` included), so a crashed
/// recorder never leaves a stale lock behind.
public final class JournalLock: @unchecked Sendable {
    public let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock for `journalPath`; nil when another process holds it.
    public static func acquire(journalPath: String) throws(JournalError) -> JournalLock? {
        let path = journalPath + ".lock"
        try JournalLocation.makeDirectories(for: journalPath)  // the lock sits beside the journal
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw JournalError(path: journalPath, message: "\(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { return nil }
            throw JournalError(path: journalPath, message: "lock \(path): \(String(cString: strerror(code)))")
        }
        return JournalLock(path: path, descriptor: descriptor)
    }

    /// Whether another process holds the lock now (without taking it).
    public static func isHeld(journalPath: String) -> Bool {
        let descriptor = open(journalPath + ".lock", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit {
        release()
    }
}
