import Foundation
import RedisLink

/// Where a Redis result backend is, from `--result-backend` or `$CELERY_RESULT_BACKEND`, or why none is used.
///
/// Why: the result backend is the first exact-arguments source, but only when the workers write
/// `result_extended=True` records to a Redis backend; any other backend (database, rpc, …) is skipped
/// with a note rather than an error, so requeue still tries the other sources. Passwords never appear in
/// `description` or a note.
///
/// Invariants: a `sentinel://` backend (Celery's `SentinelBackend`) comes back with its master's name set,
/// so every connection to it asks the sentinels for the master (`BrokerAddressResolver`) as the broker's do;
/// without a name it is skipped with a reason that says which option gives one.
public struct ResultBackendLocation: Sendable, Equatable, CustomStringConvertible {
    /// The environment variable Celery reads the result backend from.
    public static let environmentVariable = "CELERY_RESULT_BACKEND"

    /// The URL schemes read: Celery's Redis backends (`RedisBackend`, its TLS and socket forms, `SentinelBackend`).
    static let redisSchemes: Set<String> = ["redis", "rediss", "unix", "redis+socket", "socket", "sentinel"]

    /// The backend to read, when one is usable.
    public var url: BrokerURL?
    /// Why no backend is read (nil when `url` is set).
    public var skipReason: String?

    public init(url: BrokerURL?, skipReason: String?) {
        self.url = url
        self.skipReason = skipReason
    }

    /// How a `sentinel://` result backend finds its master, as the broker's sentinel options do.
    public struct SentinelOptions: Sendable, Equatable {
        /// Celery's `result_backend_transport_options={'master_name': …}` (`--result-backend-master-name`,
        /// else the broker's `--master-name`).
        public var masterName: String?
        /// The sentinels' password (`sentinel_kwargs`); nil falls back to `$RETRYTOP_SENTINEL_PASSWORD`.
        public var password: String?
        /// TLS to the sentinels (`--sentinel-ssl`).
        public var tls: Bool
        /// The sentinels' own TLS settings (`--sentinel-ssl-*`), when given.
        public var tlsSettings: TLSSettings?

        public init(masterName: String? = nil, password: String? = nil, tls: Bool = false, tlsSettings: TLSSettings? = nil) {
            self.masterName = masterName
            self.password = password
            self.tls = tls
            self.tlsSettings = tlsSettings
        }
    }

    /// The flag wins over the environment; an empty value counts as absent. A `sentinel://` backend gets
    /// `sentinel`'s master name, password and TLS (the rules of a `sentinel://` broker); other backends ignore them.
    public static func resolve(
        flag: String?, environment: [String: String], sentinel: SentinelOptions = SentinelOptions()
    ) -> ResultBackendLocation {
        let given = [flag, environment[environmentVariable]].compactMap { $0 }.first { !$0.isEmpty }
        guard let given else {
            return ResultBackendLocation(
                url: nil, skipReason: "no result backend given (--result-backend URL or $\(environmentVariable))")
        }
        let scheme = given.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
        guard redisSchemes.contains(scheme) else {
            return ResultBackendLocation(url: nil, skipReason: "the result backend is '\(scheme)://', and only Redis backends are read")
        }
        let url: BrokerURL
        do {
            url = try BrokerURL(parsing: given)
        } catch {
            return ResultBackendLocation(url: nil, skipReason: "the result backend URL is not usable: \(error)")
        }
        guard url.sentinel != nil else { return ResultBackendLocation(url: url, skipReason: nil) }
        guard let masterName = sentinel.masterName, !masterName.isEmpty else {
            return ResultBackendLocation(
                url: nil,
                skipReason: "the result backend \(url.redacted) needs its master's name: --result-backend-master-name NAME "
                    + "(Celery's result_backend_transport_options={'master_name': …}; default: --master-name)")
        }
        do {
            let located = try url.applyingSentinelOptions(
                masterName: masterName, password: sentinel.password, sentinelTLS: sentinel.tls, sentinelTLSSettings: sentinel.tlsSettings,
                environment: environment)
            return ResultBackendLocation(url: located, skipReason: nil)
        } catch {
            return ResultBackendLocation(url: nil, skipReason: "the result backend URL is not usable: \(error)")
        }
    }

    public var description: String { url?.redacted ?? "none (\(skipReason ?? "not given"))" }
}
