import Foundation
import RedisLink

/// Where a Redis result backend is, from `--result-backend` or `$CELERY_RESULT_BACKEND`, or why none is used.
///
/// Why: the result backend is the first exact-arguments source, but only when the workers write
/// `result_extended=True` records to a Redis backend; any other backend (database, rpc, …) is skipped
/// with a note rather than an error, so requeue still tries the other sources. Passwords never appear in
/// `description` or a note.
public struct ResultBackendLocation: Sendable, Equatable, CustomStringConvertible {
    /// The environment variable Celery reads the result backend from.
    public static let environmentVariable = "CELERY_RESULT_BACKEND"

    /// The backend to read, when one is usable.
    public var url: BrokerURL?
    /// Why no backend is read (nil when `url` is set).
    public var skipReason: String?

    public init(url: BrokerURL?, skipReason: String?) {
        self.url = url
        self.skipReason = skipReason
    }

    /// The flag wins over the environment; an empty value counts as absent.
    public static func resolve(flag: String?, environment: [String: String]) -> ResultBackendLocation {
        let given = [flag, environment[environmentVariable]].compactMap { $0 }.first { !$0.isEmpty }
        guard let given else {
            return ResultBackendLocation(
                url: nil, skipReason: "no result backend given (--result-backend URL or $\(environmentVariable))")
        }
        let scheme = given.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        guard ["redis", "rediss", "unix", "redis+socket", "socket"].contains(scheme) else {
            return ResultBackendLocation(url: nil, skipReason: "the result backend is '\(scheme)://', and only Redis backends are read")
        }
        do {
            return ResultBackendLocation(url: try BrokerURL(parsing: given), skipReason: nil)
        } catch {
            return ResultBackendLocation(url: nil, skipReason: "the result backend URL is not usable: \(error)")
        }
    }

    public var description: String { url?.redacted ?? "none (\(skipReason ?? "not given"))" }
}
