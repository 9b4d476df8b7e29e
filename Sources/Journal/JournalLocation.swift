import Foundation

/// Where a broker's journal lives, and the file-system rules for it.
///
/// Default: `$XDG_STATE_HOME/retrytop/journal-<host>-<port>-<db>.sqlite` (else `~/.local/state/retrytop/`),
/// one per broker so two deployments never mix. A directory retrytop creates is mode 0700, the files
/// it creates 0600 (whatever the umask); an existing directory or file is used as it is.
public enum JournalLocation {
    /// The default journal path for a broker named by `brokerKey` (host, port and db; never a password).
    public static func defaultPath(brokerKey: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let safe = String(brokerKey.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "-" }.prefix(120))
        return stateDirectory(environment: environment) + "/journal-\(safe).sqlite"
    }

    /// `$XDG_STATE_HOME/retrytop`, else `~/.local/state/retrytop`.
    public static func stateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/retrytop" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/retrytop"
    }

    /// Creates `path`'s missing directories (0700) and the file itself (0600) when it does not exist.
    static func prepareFile(_ path: String) throws(JournalError) {
        let directory = (path as NSString).deletingLastPathComponent
        try makeDirectories(directory, for: path)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw JournalError(path: path, message: String(cString: strerror(errno))) }
        close(descriptor)
    }

    /// `mkdir -p` with mode 0700 for each directory it creates.
    static func makeDirectories(_ directory: String, for path: String) throws(JournalError) {
        guard !directory.isEmpty, directory != "/" else { return }
        var status = stat()
        if stat(directory, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw JournalError(path: path, message: "\(directory) is not a directory") }
            return
        }
        guard errno == ENOENT else { throw JournalError(path: path, message: "\(directory): \(String(cString: strerror(errno)))") }
        try makeDirectories((directory as NSString).deletingLastPathComponent, for: path)
        guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
            throw JournalError(path: path, message: "\(directory): \(String(cString: strerror(errno)))")
        }
        _ = chmod(directory, 0o700)
    }
}
