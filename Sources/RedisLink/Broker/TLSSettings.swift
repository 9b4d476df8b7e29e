/// How a `rediss://` connection verifies the server and proves who the client is, as Celery and
/// redis-py spell it (`ssl_cert_reqs`, `ssl_ca_certs`, `ssl_certfile`, `ssl_keyfile`, `ssl_check_hostname`).
///
/// Why: managed Redis (AWS in-transit encryption, Azure's TLS port, Heroku, Upstash) only speaks TLS, and
/// users already have the URL their workers use; retrytop must accept the same query parameters and
/// mean the same by them. One value serves every connection retrytop makes (subscriber, control,
/// result backend), so they cannot disagree.
///
/// Invariants: `.none` never verifies the chain or the host; `.required` and `.optional` both verify the
/// chain (a TLS server always presents a certificate, so Python's `CERT_OPTIONAL` behaves as
/// `CERT_REQUIRED` on the client side, and so does this). The host (DNS name or IP literal) is checked
/// unless `checkHostname` is false or verification is `.none`. Paths are used as given (URL-decoded).
public struct TLSSettings: Sendable, Equatable {
    /// `ssl_cert_reqs`.
    public enum CertificateRequirement: String, Sendable, Equatable {
        case required
        case optional
        case none

        /// Parses Celery's spellings: `required`, `CERT_REQUIRED`, `optional`, `CERT_OPTIONAL`, `none`, `CERT_NONE`.
        public init?(celery text: String) {
            var word = text.lowercased()
            if word.hasPrefix("cert_") { word.removeFirst("cert_".count) }
            self.init(rawValue: word)
        }
    }

    public var certificateRequirement: CertificateRequirement
    /// PEM file of CA certificates to trust; nil uses the system store.
    public var caCertificatesFile: String?
    /// PEM client certificate (chain) for mutual TLS.
    public var certificateFile: String?
    /// PEM private key of `certificateFile`; nil when the key is inside the certificate file.
    public var keyFile: String?
    /// Whether the certificate must name the host of the URL.
    public var checkHostname: Bool

    public init(
        certificateRequirement: CertificateRequirement = .required, caCertificatesFile: String? = nil,
        certificateFile: String? = nil, keyFile: String? = nil, checkHostname: Bool = true
    ) {
        self.certificateRequirement = certificateRequirement
        self.caCertificatesFile = caCertificatesFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.checkHostname = checkHostname
    }

    /// True when the server's identity is checked (chain and, unless turned off, host).
    public var verifiesServer: Bool { certificateRequirement != .none }

    /// Where trust comes from, for messages: "CA file /path" or "the system CA store".
    public var trustSource: String {
        caCertificatesFile.map { "CA file \($0)" } ?? "the system CA store"
    }

    /// The URL query parameters these settings come from.
    static let queryKeys: Set<String> = ["ssl_cert_reqs", "ssl_ca_certs", "ssl_certfile", "ssl_keyfile", "ssl_check_hostname"]

    /// Reads the `ssl_*` query parameters (already percent-decoded). Throws a reason for the user.
    static func parse(query: [String: String]) throws(TLSSettingsError) -> TLSSettings {
        var settings = TLSSettings()
        if let text = query["ssl_cert_reqs"] {
            guard let requirement = CertificateRequirement(celery: text) else {
                throw TLSSettingsError(reason: "ssl_cert_reqs '\(text)' is not one of required, optional, none (or CERT_REQUIRED, CERT_OPTIONAL, CERT_NONE)")
            }
            settings.certificateRequirement = requirement
        }
        settings.caCertificatesFile = query["ssl_ca_certs"].flatMap { $0.isEmpty ? nil : $0 }
        settings.certificateFile = query["ssl_certfile"].flatMap { $0.isEmpty ? nil : $0 }
        settings.keyFile = query["ssl_keyfile"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = query["ssl_check_hostname"] {
            switch text.lowercased() {
            case "true", "1", "yes", "on": settings.checkHostname = true
            case "false", "0", "no", "off": settings.checkHostname = false
            default: throw TLSSettingsError(reason: "ssl_check_hostname '\(text)' is not true or false")
            }
        }
        if settings.keyFile != nil, settings.certificateFile == nil {
            throw TLSSettingsError(reason: "ssl_keyfile needs ssl_certfile (the client certificate)")
        }
        return settings
    }

    /// The non-default settings as URL query text (paths are not secret), for the redacted URL.
    var queryDescription: String {
        var parts: [String] = []
        if certificateRequirement != .required { parts.append("ssl_cert_reqs=\(certificateRequirement.rawValue)") }
        if let caCertificatesFile { parts.append("ssl_ca_certs=\(caCertificatesFile)") }
        if let certificateFile { parts.append("ssl_certfile=\(certificateFile)") }
        if let keyFile { parts.append("ssl_keyfile=\(keyFile)") }
        if !checkHostname { parts.append("ssl_check_hostname=false") }
        return parts.joined(separator: "&")
    }
}

/// Why the `ssl_*` settings of a broker URL were refused.
struct TLSSettingsError: Error {
    var reason: String
}
