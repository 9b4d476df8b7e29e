import Foundation
import Monitor
import RedisLink
import Testing
import TestSupport

/// RedisLink over TLS against a real `redis-server --tls-port`, with certificates made by the test:
/// verification against a CA file, the verify result in words, `ssl_cert_reqs=none`, mutual TLS, and the
/// subscriber's copy-only reader receiving every message.
@Suite(.serialized) struct TLSConnectionTests {
    static func connection(_ text: String, connectTimeout: Double = 2) throws -> RedisConnection {
        RedisConnection(url: try BrokerURL(parsing: text), timeouts: .init(connect: connectTimeout, io: 5))
    }

    /// The error `connect()` throws for `text`, or nil when it connected.
    static func connectError(_ text: String, connectTimeout: Double = 2) throws -> RedisError? {
        let connection = try connection(text, connectTimeout: connectTimeout)
        do {
            try connection.connect()
            return nil
        } catch let error as RedisError {
            return error
        }
    }

    @Test(.timeLimit(.minutes(1))) func verifiedConnectionCarriesBinaryCommandsByIPAndByName() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(password: "s3cret", certificates: certificates)
        defer { redis.kill() }
        let tlsPort = try #require(redis.tlsPort)
        let connection = try Self.connection(redis.tlsURL(db: 2, query: certificates.query()))
        try connection.connect()
        try connection.ping()
        let key: [UInt8] = Array("q\u{06}\u{16}k".utf8)
        let value: [UInt8] = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }  // several TLS records
        try connection.command([Array("SET".utf8), key, value]).checked()
        #expect(try connection.command([Array("GET".utf8), key]) == .bulk(value))
        #expect(try connection.command(["CLIENT", "INFO"]).text?.contains("db=2") == true)

        // The certificate names localhost too (DNS SAN, with SNI).
        let byName = try Self.connection(
            "rediss://:s3cret@localhost:\(tlsPort)/0?\(certificates.query())")
        try byName.connect()
        try byName.ping()
    }

    @Test(.timeLimit(.minutes(1))) func wrongCAIsRefusedWithTheVerifyResultAndTheCAFile() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(certificates: certificates)
        defer { redis.kill() }
        let tlsPort = try #require(redis.tlsPort)
        let error = try #require(try Self.connectError(redis.tlsURL(query: certificates.query(ca: certificates.otherCACertificate))))
        let endpoint = "127.0.0.1:\(tlsPort)"
        #expect(error == .tlsFailed(endpoint: endpoint, message:
            "certificate verify failed: self-signed certificate in certificate chain (verified against CA file \(certificates.otherCACertificate.path))"))
        #expect(error.description.hasPrefix("TLS to \(endpoint) failed: certificate verify failed"))

        // No CA file: the system store does not know the test CA either.
        let system = try #require(try Self.connectError("rediss://127.0.0.1:\(tlsPort)/0"))
        #expect(String(describing: system).contains("certificate verify failed: self-signed certificate in certificate chain (verified against the system CA store)"), "\(system)")

        // A missing CA file is named.
        let missing = try #require(try Self.connectError(redis.tlsURL(query: "ssl_ca_certs=/nonexistent/ca.pem")))
        #expect(String(describing: missing).contains("cannot load CA file /nonexistent/ca.pem"), "\(missing)")
    }

    @Test(.timeLimit(.minutes(1))) func certificateForAnotherAddressIsRefusedUnlessHostCheckIsOff() async throws {
        let certificates = try await TestCertificates.make()
        // Also listening on 127.0.0.2, an address the server certificate does not name.
        let redis = try await RedisServerProcess.start(extraArguments: ["--bind", "127.0.0.1", "127.0.0.2"], certificates: certificates)
        defer { redis.kill() }
        let tlsPort = try #require(redis.tlsPort)
        let error = try #require(try Self.connectError("rediss://127.0.0.2:\(tlsPort)/0?\(certificates.query())"))
        #expect(error == .tlsFailed(endpoint: "127.0.0.2:\(tlsPort)", message:
            "certificate verify failed: IP address mismatch (verified against CA file \(certificates.caCertificate.path))"))
        let unchecked = try Self.connection("rediss://127.0.0.2:\(tlsPort)/0?\(certificates.query())&ssl_check_hostname=false")
        try unchecked.connect()
        try unchecked.ping()
    }

    @Test(.timeLimit(.minutes(1))) func unverifiedConnectsDespiteAnUnknownCA() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(certificates: certificates)
        defer { redis.kill() }
        let url = redis.tlsURL(query: certificates.query(requirement: "CERT_NONE", ca: certificates.otherCACertificate))
        let connection = try Self.connection(url)
        try connection.connect()
        try connection.ping()
        #expect(connection.url.redacted.hasSuffix("?ssl_cert_reqs=none"))
    }

    @Test(.timeLimit(.minutes(1))) func wrongPortEitherWayIsAClearFailureNotAHang() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(certificates: certificates)
        defer { redis.kill() }
        let tlsPort = try #require(redis.tlsPort)
        let started = ContinuousClock.now
        let error = try #require(try Self.connectError("rediss://127.0.0.1:\(redis.port)/0?\(certificates.query())", connectTimeout: 1))
        #expect(ContinuousClock.now - started < .seconds(4))
        #expect(String(describing: error).contains("TLS handshake timed out (is 127.0.0.1:\(redis.port) a TLS port?)"), "\(error)")
        let plain = try #require(try Self.connectError("redis://127.0.0.1:\(tlsPort)/0"))
        #expect(plain.isConnectionLoss, "\(plain)")
    }

    @Test(.timeLimit(.minutes(1))) func mutualTLSNeedsTheClientCertificate() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(certificates: certificates, requireClientCertificates: true)
        defer { redis.kill() }
        let refused = try #require(try Self.connectError(redis.tlsURL(query: certificates.query())))
        #expect(String(describing: refused).contains("give ssl_certfile and ssl_keyfile"), "\(refused)")
        let connection = try Self.connection(redis.tlsURL(query: certificates.query(clientCertificate: true)))
        try connection.connect()
        try connection.ping()
    }

    @Test(.timeLimit(.minutes(2))) func subscriberOverTLSReceivesEveryMessageOfABurst() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(certificates: certificates)
        defer { redis.kill() }
        let url = try BrokerURL(parsing: redis.tlsURL(query: certificates.query()))
        let inbox = RawInbox(maxMessages: 200_000, maxBytes: 512 << 20)
        let subscriber = try await Self.connectedSubscriber(url, inbox: inbox)
        defer { subscriber.stop() }

        // 50,000 700-byte messages pipelined by a TLS publisher, in batches of 1,000.
        let publisher = RedisConnection(url: url)
        try publisher.connect()
        let total = 50_000
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 700)
        for batch in stride(from: 0, to: total, by: 1_000) {
            for index in batch..<(batch + 1_000) {
                var body = Array("\(index):".utf8)
                body += payload
                try publisher.append([Array("PUBLISH".utf8), Array("/0.celeryev/task.multi".utf8), body])
            }
            for _ in 0..<1_000 { _ = try publisher.getReply().checked() }
        }
        try await Self.until(seconds: 20) { inbox.statistics.received == total }
        let messages = inbox.drainAll()
        #expect(messages.count == total)
        #expect(inbox.statistics.dropped == 0)
        let order = messages.map { Int(String(decoding: $0.payload.prefix { $0 != UInt8(ascii: ":") }, as: UTF8.self)) ?? -1 }
        #expect(order == Array(0..<total))
        #expect(subscriber.connectionState.reconnects == 0)
    }

    /// Messages published one at a time reach the subscriber as one small TLS record each. With the default
    /// coalescing (a pause after a small read) each read must take every record that arrived meanwhile, as a
    /// TCP read does, or the reader falls to one record per pause: 3,000 messages would take 24 s.
    @Test(.timeLimit(.minutes(2))) func subscriberOverTLSCoalescesLikeTCP() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(certificates: certificates)
        defer { redis.kill() }
        let url = try BrokerURL(parsing: redis.tlsURL(query: certificates.query()))
        let inbox = RawInbox(maxMessages: 10_000, maxBytes: 64 << 20)
        let subscriber = try await Self.connectedSubscriber(url, inbox: inbox)
        defer { subscriber.stop() }
        let coalesce = subscriber.configuration.coalesce
        #expect(coalesce == EventSubscriber.Configuration.defaultCoalesce && coalesce > 0)

        let publisher = RedisConnection(url: url)
        try publisher.connect()
        let total = 3_000
        let started = ContinuousClock.now
        for index in 0..<total {
            _ = try publisher.command([Array("PUBLISH".utf8), Array("/0.celeryev/task.single".utf8), Array("\(index)".utf8)]).checked()
        }
        let published = ContinuousClock.now - started
        try await Self.until(seconds: 8) { inbox.statistics.received == total }
        let caughtUp = ContinuousClock.now - started
        let order = inbox.drainAll().map { Int(String(decoding: $0.payload, as: UTF8.self)) ?? -1 }
        #expect(order == Array(0..<total))
        #expect(inbox.statistics.dropped == 0)
        print("TLS coalescing: \(total) single-record messages published in \(published), all read \(caughtUp) after the first")
    }

    /// A subscriber on every event channel of db 0 with the default coalescing, started and connected
    /// (the caller stops it).
    static func connectedSubscriber(_ url: BrokerURL, inbox: RawInbox) async throws -> EventSubscriber {
        let configuration = EventSubscriber.Configuration(
            url: url, pattern: EventChannels(db: 0).eventPattern, connectTimeout: 2, readTimeout: 0.2,
            backoff: ReconnectBackoff(initial: 0.05, multiplier: 2, cap: 0.4))
        let subscriber = EventSubscriber(configuration: configuration, inbox: inbox)
        subscriber.start()
        do {
            try await until(seconds: 10) { subscriber.connectionState.phase == .connected }
        } catch {
            subscriber.stop()
            throw error
        }
        return subscriber
    }

    static func until(seconds: Double, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() {
            if ContinuousClock.now > deadline { throw HarnessError("condition not met within \(seconds) s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
