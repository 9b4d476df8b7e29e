import Foundation
import StateFiles

/// Where a broker's journal lives, and the file-system rules for it.
///
/// Default: `$XDG_STATE_HOME/retrytop/journal-<host>-<port>-<db>.sqlite` (else `~/.local/state/retrytop/`),
/// one per broker so two deployments never mix. A directory retrytop creates is mode 0700, the files
/// it creates 0600 (whatever the umask); an existing directory or file is used as it is.
public enum JournalLocation {
    /// The default journal path for a broker named by `brokerKey` (host, port and db; never a password).
    public static func defaultPath(brokerKey: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let safe = String(brokerKey.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "-" }.prefix(120))
        return StateDirectory.path(environment: environment) + "/journal-\(safe).sqlite"
    }

    /// Creates `path`'s missing directories (0700) and the file itself (0600) when it does not exist.
    static func prepareFile(_ path: String) throws(JournalError) {
        try makeDirectories(for: path)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw JournalError(path: path, message: String(cString: strerror(errno))) }
        close(descriptor)
    }

    /// The missing directories of `path` (0700, `StateDirectory.makeDirectories`), failures as `JournalError`s.
    static func makeDirectories(for path: String) throws(JournalError) {
        do {
            try StateDirectory.makeDirectories((path as NSString).deletingLastPathComponent)
        } catch {
            throw JournalError(path: path, message: error.description)
        }
    }
}
