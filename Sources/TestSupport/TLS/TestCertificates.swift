import Foundation

/// A throwaway PKI made with the `openssl` CLI for TLS tests: a CA, a server certificate for
/// `127.0.0.1`/`localhost` signed by it, a client certificate signed by it, and an unrelated second CA
/// (the "wrong CA" a misconfigured client trusts).
///
/// Why: TLS tests must run against real certificates, made fresh by the test, so nothing secret or
/// expiring is checked in. RSA 2048, valid for two days. All files live in `directory`, deleted on deinit
/// unless `RETRYTOP_KEEP_LOGS=1`; the keys are mode 0600 as openssl writes them.
public final class TestCertificates: Sendable {
    public let directory: URL
    public var caCertificate: URL { directory.appendingPathComponent("ca.pem") }
    public var serverCertificate: URL { directory.appendingPathComponent("server.pem") }
    public var serverKey: URL { directory.appendingPathComponent("server.key") }
    public var clientCertificate: URL { directory.appendingPathComponent("client.pem") }
    public var clientKey: URL { directory.appendingPathComponent("client.key") }
    /// A CA that signed nothing here: trusting it instead of `caCertificate` must fail verification.
    public var otherCACertificate: URL { directory.appendingPathComponent("other-ca.pem") }

    private init(directory: URL) {
        self.directory = directory
    }

    deinit {
        if ProcessInfo.processInfo.environment["RETRYTOP_KEEP_LOGS"] != "1" {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Makes the CA, server, client and other-CA certificates; throws a `HarnessError` if openssl fails.
    public static func make() async throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("retrytop-tls-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificates = TestCertificates(directory: directory)
        let openssl = try openSSLPath()
        func run(_ arguments: [String]) async throws {
            try await ProcessRunner.run(openssl, arguments, currentDirectory: directory, timeout: .seconds(30)).check()
        }
        for ca in ["ca", "other-ca"] {
            try await run([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(ca).key", "-out", "\(ca).pem",
                "-days", "2", "-subj", "/CN=retrytop test \(ca)",
            ])
        }
        let leaves = [("server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost"), ("client", "/CN=retrytop client", "extendedKeyUsage=clientAuth")]
        for (name, subject, extensions) in leaves {
            try await run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
            try Data((extensions + "\n").utf8).write(to: directory.appendingPathComponent("\(name).ext"))
            try await run([
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext",
            ])
        }
        return certificates
    }

    /// `ssl_*` query text for a `rediss://` URL trusting `ca` (default: the right CA), with the client
    /// certificate when `clientCertificate` is true; values are percent-encoded.
    public func query(requirement: String = "required", ca: URL? = nil, clientCertificate: Bool = false) -> String {
        var parts = ["ssl_cert_reqs=\(requirement)", "ssl_ca_certs=\(Self.encoded((ca ?? caCertificate).path))"]
        if clientCertificate {
            parts.append("ssl_certfile=\(Self.encoded(self.clientCertificate.path))")
            parts.append("ssl_keyfile=\(Self.encoded(clientKey.path))")
        }
        return parts.joined(separator: "&")
    }

    static func encoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func openSSLPath() throws -> String {
        for candidate in ["/usr/bin/openssl", "/usr/local/bin/openssl"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw HarnessError("openssl not found: install it (apt-get install openssl); the TLS tests fail instead of skipping")
    }
}
