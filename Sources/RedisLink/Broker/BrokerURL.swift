import Foundation

/// Where the Celery broker lives and how to log in, parsed from a URL as Celery writes it.
///
/// Why: retrytop must reach the same Redis database as the workers, from the same string the user
/// already has in `CELERY_BROKER_URL`. Accepted forms:
/// - `redis://[user:password@]host[:port][/db][?db=N]` (also `redis://:password@host`, `[::1]` hosts)
/// - `rediss://…` the same over TLS, with `?ssl_cert_reqs=required|optional|none` (or `CERT_REQUIRED`…),
///   `ssl_ca_certs`, `ssl_certfile`, `ssl_keyfile` (URL-encoded paths) and `ssl_check_hostname` (see `TLSSettings`)
/// - `unix:///path/to/sock[?db=N]` and `redis+socket:///path/to/sock[?virtual_host=N]`
///   (a password may come as `unix://:password@/path` or as `?password=`)
/// - `sentinel://[user:password@]host[:port][/db][?ssl_…];sentinel://host2[:port2]…` as kombu reads it: the
///   first URL gives the master's credentials, the db and the master's TLS (any `ssl_*` parameter turns it on);
///   every URL gives one sentinel (port 26379 by default); a later URL's path, credentials and query are
///   ignored, as kombu ignores them. The master name and the sentinels' password are options (`SentinelSettings`).
///
/// Invariants: `port` is 1...65535; `db` is >= 0; exactly one of `host`/`socketPath` describes the
/// endpoint; `tls` is non-nil for `rediss://` (and for a `sentinel://` whose master speaks TLS). `sentinel`
/// is non-nil exactly for `sentinel://`, and then `endpoint` is the first sentinel, never connected to as a
/// Redis server: `RedisConnection` asks the sentinels for the master (see `BrokerAddressResolver`). The password is never part of `redacted` or `description`.
public struct BrokerURL: Sendable, Equatable, CustomStringConvertible {
    /// How to reach the server.
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    /// Why a broker URL was refused; the message tells the user what to do instead.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case unsupportedScheme(String)
        case malformed(url: String, reason: String)

        public var description: String {
            switch self {
            case .unsupportedScheme(let scheme):
                return "unsupported broker URL scheme '\(scheme)://': supported are redis://[user:password@]host[:port][/db], rediss://… (TLS), "
                    + "unix:///path/to/redis.sock?db=N, redis+socket:///path/to/redis.sock?virtual_host=N "
                    + "and sentinel://host:26379[;sentinel://host2:26379…][/db] (with --master-name)"
            case .malformed(let url, let reason):
                return "malformed broker URL '\(url)': \(reason)"
            }
        }
    }

    /// Redis' default TCP port.
    public static let defaultPort = 6379
    /// The URL used when neither `--broker` nor `CELERY_BROKER_URL` is given (Celery's own default for Redis).
    public static let defaultURL = "redis://localhost:6379/0"
    /// The environment variable Celery reads the broker URL from.
    public static let environmentVariable = "CELERY_BROKER_URL"

    public var scheme: String
    public var endpoint: Endpoint
    public var db: Int
    public var username: String?
    public var password: String?
    /// TLS settings for `rediss://` (for `sentinel://`: the master's); nil for plain TCP and Unix sockets.
    public var tls: TLSSettings?
    /// The sentinels to ask for the master, for `sentinel://`; nil otherwise.
    public var sentinel: SentinelSettings?

    public init(
        endpoint: Endpoint, db: Int = 0, username: String? = nil, password: String? = nil, scheme: String? = nil,
        tls: TLSSettings? = nil, sentinel: SentinelSettings? = nil
    ) {
        self.sentinel = sentinel
        self.endpoint = endpoint
        self.db = db
        self.username = username
        self.password = password
        self.tls = tls
        switch endpoint {
        case .tcp: self.scheme = scheme ?? (tls == nil ? "redis" : "rediss")
        case .unixSocket: self.scheme = scheme ?? "unix"
        }
    }

    /// Parses a broker URL. Throws `ParseError` with a message fit for the user.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // Redacted before any error can echo it.
        let shown = BrokerURL.redactForError(trimmed)
        guard let schemeEnd = trimmed.range(of: "://") else {
            throw ParseError.malformed(url: shown, reason: "expected scheme://…, for example \(BrokerURL.defaultURL)")
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        var rest = Substring(trimmed[schemeEnd.upperBound...])

        switch scheme {
        case "redis", "rediss", "unix", "redis+socket", "socket", "sentinel":
            break
        default:
            throw ParseError.unsupportedScheme(scheme)
        }
        // kombu splits on ';' and reads only the first URL fully; the others name more sentinels.
        var otherSentinels: [Substring] = []
        if scheme == "sentinel" {
            let parts = rest.split(separator: ";", omittingEmptySubsequences: true)
            guard let first = parts.first else {
                throw ParseError.malformed(url: shown, reason: "expected sentinel://host:port[;sentinel://host2:port2…]")
            }
            rest = first
            otherSentinels = Array(parts.dropFirst())
        }

        // Query and fragment.
        var query: [String: String] = [:]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let mark = rest.firstIndex(of: "?") {
            query = try BrokerURL.parseQuery(rest[rest.index(after: mark)...], shown: shown)
            rest = rest[..<mark]
        }

        let isTCP = scheme == "redis" || scheme == "rediss" || scheme == "sentinel"
        // Authority = everything up to the first "/" after the last "@" of the userinfo.
        var userinfo: Substring?
        if let at = rest.lastIndex(of: "@"), !rest[..<at].contains("/") || isTCP {
            userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
        }
        var username: String?
        var password: String?
        if let userinfo {
            if let colon = userinfo.firstIndex(of: ":") {
                username = try BrokerURL.decode(userinfo[..<colon], shown: shown)
                password = try BrokerURL.decode(userinfo[userinfo.index(after: colon)...], shown: shown)
            } else {
                username = try BrokerURL.decode(userinfo, shown: shown)
            }
            if username?.isEmpty == true { username = nil }
        }
        if let queryPassword = query["password"] {
            password = queryPassword
        }
        if password?.isEmpty == true { password = nil }
        if let queryUser = query["username"], !queryUser.isEmpty {
            username = queryUser
        }

        var db = 0
        let endpoint: Endpoint
        if isTCP {
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<slash]
            let path = rest[slash...].drop(while: { $0 == "/" })
            let (host, port) = try BrokerURL.parseHostPort(
                authority, defaultPort: scheme == "sentinel" ? SentinelSettings.defaultPort : BrokerURL.defaultPort, shown: shown)
            endpoint = .tcp(host: host, port: port)
            if !path.isEmpty {
                guard let value = Int(path), value >= 0 else {
                    throw ParseError.malformed(url: shown, reason: "database '\(path)' is not a non-negative integer")
                }
                db = value
            }
        } else {
            guard rest.hasPrefix("/"), rest.count > 1 else {
                throw ParseError.malformed(url: shown, reason: "expected an absolute socket path, as in unix:///run/redis/redis.sock")
            }
            endpoint = .unixSocket(path: try BrokerURL.decode(rest, shown: shown))
        }
        if let value = query["db"] ?? query["virtual_host"] {
            guard let parsed = Int(value), parsed >= 0 else {
                throw ParseError.malformed(url: shown, reason: "database '\(value)' is not a non-negative integer")
            }
            db = parsed
        }

        var tls: TLSSettings?
        var sentinel: SentinelSettings?
        if scheme == "sentinel", case .tcp(let host, let port) = endpoint {
            sentinel = SentinelSettings(
                nodes: [SentinelSettings.Node(host: host, port: port)] + (try otherSentinels.map { try BrokerURL.parseSentinelNode($0, shown: shown) }))
            guard sentinel!.nodes.count <= SentinelSettings.maxNodes else {
                throw ParseError.malformed(url: shown, reason: "more than \(SentinelSettings.maxNodes) sentinels")
            }
        }
        if scheme == "rediss" || (scheme == "sentinel" && query.keys.contains(where: { $0.hasPrefix("ssl_") })) {
            do {
                tls = try TLSSettings.parse(query: query)
            } catch {
                throw ParseError.malformed(url: shown, reason: error.reason)
            }
        }

        self.scheme = scheme
        self.tls = tls
        self.sentinel = sentinel
        self.endpoint = endpoint
        self.db = db
        self.username = username
        self.password = password
    }

    /// Picks the broker URL as Celery users expect: `--broker`, else `CELERY_BROKER_URL`, else the default.
    ///
    /// Empty strings count as absent, so `CELERY_BROKER_URL=` falls through to the default.
    public static func resolve(broker: String?, environment: [String: String]) throws -> BrokerURL {
        if let broker, !broker.isEmpty {
            return try BrokerURL(parsing: broker)
        }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty {
            return try BrokerURL(parsing: fromEnvironment)
        }
        return try BrokerURL(parsing: defaultURL)
    }

    /// The URL with the password replaced by `***`; safe to show and log.
    public var redacted: String {
        var auth = ""
        if password != nil {
            auth = "\(username ?? ""):***@"
        } else if let username {
            auth = "\(username)@"
        }
        if let sentinel {
            let master = sentinel.masterName.map { " master \($0)" } ?? ""
            let verification = tls.map { $0.certificateRequirement == .required ? "?ssl_cert_reqs=required" : "?ssl_cert_reqs=\($0.certificateRequirement.rawValue)" } ?? ""
            let nodes = sentinel.nodes.enumerated().map { index, node in
                index == 0 ? "\(scheme)://\(auth)\(node)/\(db)\(verification)" : "\(scheme)://\(node)"
            }
            return nodes.joined(separator: ";") + master
        }
        switch endpoint {
        case .tcp(let host, let port):
            let shownHost = host.contains(":") ? "[\(host)]" : host
            // The verification level is part of what the user must see; paths are not, they are long.
            let verification = tls.map { $0.certificateRequirement == .required ? "" : "?ssl_cert_reqs=\($0.certificateRequirement.rawValue)" } ?? ""
            return "\(scheme)://\(auth)\(shownHost):\(port)/\(db)\(verification)"
        case .unixSocket(let path):
            let key = scheme == "unix" ? "db" : "virtual_host"
            return "\(scheme)://\(auth)\(path)?\(key)=\(db)"
        }
    }

    public var description: String { redacted }

    /// The endpoint alone, for error messages ("127.0.0.1:6379", "/run/redis.sock").
    public var endpointDescription: String {
        switch endpoint {
        case .tcp(let host, let port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unixSocket(let path): return path
        }
    }

    // MARK: - Parsing pieces

    /// One more sentinel after a ';': `sentinel://[userinfo@]host[:port][/path][?query]`, of which kombu
    /// reads only the host and port.
    private static func parseSentinelNode(_ text: Substring, shown: String) throws -> SentinelSettings.Node {
        guard let schemeEnd = text.range(of: "://"), text[..<schemeEnd.lowerBound].lowercased() == "sentinel" else {
            throw ParseError.malformed(url: shown, reason: "each sentinel after ';' must be written sentinel://host:port")
        }
        var authority = text[schemeEnd.upperBound...]
        if let end = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { authority = authority[..<end] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let (host, port) = try parseHostPort(authority, defaultPort: SentinelSettings.defaultPort, shown: shown)
        return SentinelSettings.Node(host: host, port: port)
    }

    private static func parseHostPort(_ authority: Substring, defaultPort: Int, shown: String) throws -> (String, Int) {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw ParseError.malformed(url: shown, reason: "unterminated IPv6 address")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw ParseError.malformed(url: shown, reason: "unexpected '\(after)' after the IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        var port = defaultPort
        if let portText, !portText.isEmpty {
            guard let value = Int(portText), (1...65_535).contains(value) else {
                throw ParseError.malformed(url: shown, reason: "port '\(portText)' is not a number in 1...65535")
            }
            port = value
        }
        let decodedHost = try decode(host, shown: shown)
        return (decodedHost.isEmpty ? "localhost" : decodedHost, port)
    }

    private static func parseQuery(_ text: Substring, shown: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try decode(parts[0], shown: shown)
            result[key] = parts.count > 1 ? try decode(parts[1], shown: shown) : ""
        }
        return result
    }

    private static func decode(_ text: Substring, shown: String) throws -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw ParseError.malformed(url: shown, reason: "invalid percent-encoding")
        }
        return decoded
    }

    /// Best-effort redaction of a URL we could not parse, so error messages never echo a password.
    private static func redactForError(_ text: String) -> String {
        if text.lowercased().hasPrefix("sentinel://"), text.contains(";") {
            // Each sentinel URL may carry its own userinfo.
            return text.split(separator: ";", omittingEmptySubsequences: false).map { redactForError(String($0)) }.joined(separator: ";")
        }
        var shown = text
        if let schemeEnd = shown.range(of: "://"),
           let at = shown[schemeEnd.upperBound...].lastIndex(of: "@") {
            let userinfo = shown[schemeEnd.upperBound..<at]
            if let colon = userinfo.firstIndex(of: ":") {
                shown.replaceSubrange(shown.index(after: colon)..<at, with: "***")
            }
        }
        if let range = shown.range(of: "password=") {
            let end = shown[range.upperBound...].firstIndex(of: "&") ?? shown.endIndex
            shown.replaceSubrange(range.upperBound..<end, with: "***")
        }
        return shown
    }
}
