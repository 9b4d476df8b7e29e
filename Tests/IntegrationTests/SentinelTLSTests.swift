import Foundation
import RedisLink
import Testing
import TestSupport

/// TLS to the sentinels themselves (`--sentinel-ssl` and `--sentinel-ssl-ca-certs`, kombu's
/// `sentinel_kwargs={'ssl': True, 'ssl_ca_certs': …}`), against
/// a real Sentinel set-up that speaks TLS throughout (master, replica and sentinel with certificates made by
/// the test, one CA): the master is found through the sentinel's TLS port, a wrong CA is refused with the
/// verify result and the sentinel it came from, and a failover is followed (`+switch-master` read over TLS).
@Suite(.serialized) struct SentinelTLSTests {
    @Test(.timeLimit(.minutes(3))) func theMasterIsFoundThroughATLSSentinelAndAFailoverIsFollowed() async throws {
        let certificates = try await TestCertificates.make()
        let set = try await SentinelSet.start(certificates: certificates)
        defer { set.kill() }
        let sentinelTLSPort = try #require(set.sentinel.tlsPort)
        let masterTLSPort = try #require(set.master.tlsPort)
        let broker = set.tlsBrokerURL(query: certificates.query())
        let parsed = try BrokerURL(parsing: broker)
        let url = try parsed.applyingSentinelOptions(masterName: SentinelSet.masterName, password: nil, sentinelTLS: true, environment: [:])
        #expect(url.sentinel?.tls == url.tls && url.tls?.caCertificatesFile == certificates.caCertificate.path)

        // Through the TLS sentinel to the TLS master.
        let connection = RedisConnection(url: url, timeouts: .init(connect: 2, io: 2))
        try connection.connect()
        #expect(connection.serverDescription == "127.0.0.1:\(masterTLSPort)")
        try connection.ping()
        connection.close()

        // Plain TCP to the sentinel's TLS port gets no answer: the failure names that sentinel.
        let plain = try parsed.applyingSentinelOptions(masterName: SentinelSet.masterName, password: nil, sentinelTLS: false, environment: [:])
        let unanswered = Self.connectError(RedisConnection(url: plain, timeouts: .init(connect: 1, io: 1)))
        #expect(unanswered?.description.contains("127.0.0.1:\(sentinelTLSPort)") == true, "\(String(describing: unanswered))")

        // A CA that did not sign the sentinel's certificate: OpenSSL's verify result, at the sentinel.
        let wrong = try BrokerURL(parsing: set.tlsBrokerURL(query: certificates.query(ca: certificates.otherCACertificate)))
            .applyingSentinelOptions(masterName: SentinelSet.masterName, password: nil, sentinelTLS: true, environment: [:])
        let refused = Self.connectError(RedisConnection(url: wrong, timeouts: .init(connect: 2, io: 2)))
        let reason = refused?.description ?? ""
        #expect(reason.contains("127.0.0.1:\(sentinelTLSPort)") && reason.contains("certificate verify failed"), "\(reason)")

        // The sentinels' own settings (sentinel_kwargs' ssl_ca_certs) stand apart from the master's right CA.
        let own = try parsed.applyingSentinelOptions(
            masterName: SentinelSet.masterName, password: nil, sentinelTLS: false,
            sentinelTLSSettings: TLSSettings(caCertificatesFile: certificates.otherCACertificate.path), environment: [:])
        #expect(own.tls?.caCertificatesFile == certificates.caCertificate.path)
        let ownReason = Self.connectError(RedisConnection(url: own, timeouts: .init(connect: 2, io: 2)))?.description ?? ""
        #expect(ownReason.contains("certificate verify failed") && ownReason.contains(certificates.otherCACertificate.path), "\(ownReason)")

        // The CLI: --sentinel-ssl-ca-certs; the snapshot follows a failover announced by the TLS sentinel.
        let directory = try ActionsCeleryTests.temporaryDirectory("sentinel-tls")
        let output = directory.appendingPathComponent("snapshot.json")
        let snapshot = try BackgroundProcess(
            executable: try RequiredTool.retrytop.path(),
            arguments: [
                "snapshot", "--broker", broker, "--master-name", SentinelSet.masterName,
                "--sentinel-ssl-ca-certs", certificates.caCertificate.path, "--for", "15",
            ],
            unsetting: ["CELERY_BROKER_URL"], outputFile: output, errorFile: directory.appendingPathComponent("stderr.txt"))
        defer { snapshot.kill() }
        try await Task.sleep(for: .seconds(2))
        let newPort = try await set.failover()
        let switchedAt = Date().timeIntervalSince1970
        #expect(newPort == set.replica.tlsPort)
        #expect(await snapshot.waitForExit(timeout: .seconds(60)), "snapshot did not exit")
        #expect(snapshot.exitStatus == 0, "\(snapshot.errorOutput())")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any], "\(snapshot.errorOutput())")
        let state = try #require(document["connection"] as? [String: Any])
        #expect(state["phase"] as? String == "connected", "\(state)")
        #expect(state["transport"] as? String == "tls", "\(state)")
        #expect(state["master"] as? String == "127.0.0.1:\(newPort)", "\(state)")
        let failover = try #require(state["last_failover"] as? [String: Any], "\(state)")
        #expect(failover["from"] as? String == "127.0.0.1:\(masterTLSPort)", "\(failover)")
        let followedAt = try #require(failover["followed_at"] as? Double, "\(failover)")
        #expect(followedAt - switchedAt < 3, "followed \(followedAt - switchedAt) s after the switch")
        print("sentinel over TLS: failover followed at +\(String(format: "%.2f", followedAt - switchedAt)) s")
    }

    /// The error `connect()` threw, or nil when it connected.
    static func connectError(_ connection: RedisConnection) -> RedisError? {
        defer { connection.close() }
        do {
            try connection.connect()
            return nil
        } catch {
            return error as? RedisError
        }
    }
}
