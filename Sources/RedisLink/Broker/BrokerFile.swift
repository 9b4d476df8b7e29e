import Foundation

/// A file holding the broker URL (`--broker-file PATH`), so the password is in neither argv nor the environment.
///
/// Why: a password on the command line is readable by every local user (`ps`, `/proc/PID/cmdline`), and
/// environment variables leak into child processes and crash reports. A file readable only by its owner is
/// what redis-cli, psql and Celery deployments use; a group- or world-readable one is refused, as ssh
/// refuses a readable private key, because accepting it would keep the leak.
///
/// Invariants: the URL is the first line that is neither empty nor a `#` comment, trimmed. Bounds: files
/// above `maxBytes` are refused (a URL is short; a large file is a wrong path).
public enum BrokerFile {
    /// Why a broker file was refused; the text says what to do.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    public static let maxBytes = 64 * 1024

    /// Reads the URL from `path`; refuses a file whose permissions let group or others read or write it.
    public static func read(path: String) throws(Refusal) -> String {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw Refusal(description: "cannot read --broker-file \(path): no such file or not accessible")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        if mode & 0o077 != 0 {
            throw Refusal(description: "refusing --broker-file \(path): its mode \(String(mode, radix: 8)) lets group or others read it; "
                + "run chmod 600 \(path)")
        }
        if let size = (attributes[.size] as? NSNumber)?.intValue, size > maxBytes {
            throw Refusal(description: "refusing --broker-file \(path): \(size) bytes is not a URL file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Refusal(description: "cannot read --broker-file \(path)")
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard let line = lines.map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: { !$0.isEmpty && !$0.hasPrefix("#") }) else {
            throw Refusal(description: "--broker-file \(path) holds no URL")
        }
        return line
    }

    /// The one-line warning for a password given on the command line (as redis-cli prints for `-a`),
    /// or nil when `url` carries none. `option` names the flag, e.g. `--broker`.
    public static func argvPasswordWarning(_ url: BrokerURL, option: String) -> String? {
        guard url.password != nil else { return nil }
        return "retrytop: warning: a password in \(option) on the command line may not be safe (other users can see it in ps); "
            + "use --broker-file PATH or $CELERY_BROKER_URL"
    }
}
