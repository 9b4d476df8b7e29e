import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where retrytop keeps what outlives a run (the audit log, the journals), and how it makes directories there.
///
/// Why one place: the audit log and the journal both live under `$XDG_STATE_HOME/retrytop` and both may
/// hold what an operator did to production tasks, so every directory retrytop creates for them is
/// owner-only (0700, whatever the umask); a directory that already exists is the user's choice and is
/// used as it is, its mode untouched.
public enum StateDirectory {
    /// `$XDG_STATE_HOME/retrytop`, else `~/.local/state/retrytop` (an `XDG_STATE_HOME` that is not
    /// absolute is ignored, as the XDG specification says).
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/retrytop" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/retrytop"
    }

    /// `mkdir -p directory`, each directory it creates mode 0700; existing ones keep their mode.
    public static func makeDirectories(_ directory: String) throws(StateDirectoryError) {
        guard !directory.isEmpty, directory != "/" else { return }
        var status = stat()
        if stat(directory, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw StateDirectoryError(directory: directory, reason: nil) }
            return
        }
        guard errno == ENOENT else { throw StateDirectoryError(directory: directory, errno: errno) }
        try makeDirectories((directory as NSString).deletingLastPathComponent)
        if mkdir(directory, 0o700) == 0 {
            _ = chmod(directory, 0o700)  // the umask may have taken bits away; never wider than 0700
        } else if errno != EEXIST {
            throw StateDirectoryError(directory: directory, errno: errno)
        }
    }
}

/// A directory `StateDirectory.makeDirectories` could not make: `<directory> is not a directory` or
/// `<directory>: <strerror text>`.
public struct StateDirectoryError: Error, CustomStringConvertible, Sendable, Equatable {
    public let directory: String
    /// The `strerror` text; nil when something other than a directory is in the way.
    public let reason: String?

    init(directory: String, reason: String?) {
        self.directory = directory
        self.reason = reason
    }

    init(directory: String, errno code: Int32) {
        self.init(directory: directory, reason: String(cString: strerror(code)))
    }

    public var description: String {
        reason.map { "\(directory): \($0)" } ?? "\(directory) is not a directory"
    }
}
