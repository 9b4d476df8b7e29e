import Firehose
import Foundation
import Launch
import Testing
import TestSupport

/// How the `retrytop` binary treats credentials: a password in argv draws one warning line, `--broker-file`
/// keeps it out of argv and refuses a readable file, the TLS options override the URL; the password is
/// never printed.
@Suite(.serialized) struct BrokerCredentialsTests {
    static let password = "hunter2-s3cret"

    static func snapshot(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner.run(
            try RequiredTool.retrytop.path(), ["snapshot", "--for", "1"] + arguments, unsetting: ["CELERY_BROKER_URL"],
            timeout: .seconds(30))
    }

    static func file(_ text: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-url-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test(.timeLimit(.minutes(1))) func passwordInArgvWarnsOnceAndBrokerFileDoesNot() async throws {
        let redis = try await RedisServerProcess.start(password: Self.password)
        defer { redis.kill() }
        let inArgv = try await Self.snapshot(["--broker", redis.url])
        #expect(inArgv.status == 0, "\(inArgv.stderr)")
        #expect(inArgv.stderr.components(separatedBy: "warning: a password in --broker on the command line").count == 2, "\(inArgv.stderr)")
        #expect(inArgv.stdout.contains("\"phase\":\"connected\""))
        #expect(!inArgv.stdout.contains(Self.password) && !inArgv.stderr.contains(Self.password))

        let good = try Self.file("# prod\n\(redis.url)\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: good) }
        let fromFile = try await Self.snapshot(["--broker-file", good])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(!fromFile.stderr.contains("warning"), "\(fromFile.stderr)")
        #expect(fromFile.stdout.contains("\"phase\":\"connected\""))
        #expect(!fromFile.stdout.contains(Self.password))

        let readable = try Self.file(redis.url + "\n", mode: 0o644)
        defer { try? FileManager.default.removeItem(atPath: readable) }
        let refused = try await Self.snapshot(["--broker-file", readable])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("refusing --broker-file \(readable): its mode 644 lets group or others read it; run chmod 600"), "\(refused.stderr)")
        #expect(!refused.stderr.contains(Self.password))
    }

    @Test(.timeLimit(.minutes(1))) func tlsOptionsOverrideTheURL() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(certificates: certificates)
        defer { redis.kill() }
        // The URL trusts the wrong CA; --ssl-ca-certs puts the right one in.
        let url = redis.tlsURL(query: certificates.query(ca: certificates.otherCACertificate))
        let fixed = try await Self.snapshot(["--broker", url, "--ssl-ca-certs", certificates.caCertificate.path])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.stdout.contains("\"transport\":\"tls\""))
        let plain = try await Self.snapshot(["--broker", redis.url, "--ssl-cert-reqs", "none"])
        #expect(plain.status != 0)
        #expect(plain.stderr.contains("--ssl-cert-reqs need a rediss:// broker URL"), "\(plain.stderr)")
    }

    /// A `sentinel://` result backend beside a direct broker: the sentinel options serve the backend (not
    /// refused as broker options), and `--result-backend-master-name` is refused for a backend that is not Sentinel.
    @Test(.timeLimit(.minutes(1))) func sentinelOptionsServeASentinelResultBackend() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let unreachable = try FreePort.next()
        let result = try await Self.snapshot([
            "--broker", redis.url, "--result-backend", "sentinel://127.0.0.1:\(unreachable)/1",
            "--result-backend-master-name", "results", "--sentinel-password", "sentinel-pw",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"phase\":\"connected\""))
        // The backend was looked for through its sentinel, under its own master name.
        #expect(result.stdout.contains("no sentinel named the master 'results'"), "\(result.stdout.prefix(2_000))")
        #expect(!result.stdout.contains("sentinel-pw") && !result.stderr.contains("sentinel-pw"))

        let misplaced = try await Self.snapshot([
            "--broker", redis.url, "--result-backend", redis.url(db: 1), "--result-backend-master-name", "results",
        ])
        #expect(misplaced.status != 0)
        #expect(misplaced.stderr.contains("--result-backend-master-name needs a sentinel:// result backend"), "\(misplaced.stderr)")
    }
}

/// `retrytop bench --broker URL` hands its firehose the URL as given, so a password-protected or
/// `rediss://` broker works (it used to pass the redacted URL, losing the password and `ssl_ca_certs`).
/// Its raw reader (`--raw-reader`, `bench/raw_reader.py`) takes the same URL and reads the whole rung.
@Suite(.serialized) struct BenchBrokerURLTests {
    @Test(.timeLimit(.minutes(2))) func benchFirehoseReachesAPasswordProtectedTLSBroker() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(password: BrokerCredentialsTests.password, certificates: certificates)
        defer { redis.kill() }
        let broker = redis.tlsURL(query: certificates.query())
        let result = try await ProcessRunner.run(
            try RequiredTool.retrytop.path(),
            ["bench", "--broker", broker, "--only", "e2e", "--rates", "2000", "--batches", "1-3", "--no-peer",
             "--events", "2000", "--tasks", "200", "--raw-reader", "--json"],
            unsetting: ["CELERY_BROKER_URL"], timeout: .seconds(90))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("failed"), "\(result.stderr)")
        #expect(result.stdout.contains("\"rungs\""), "\(result.stdout.prefix(400))")
        struct Report: Decodable { var rungs: [RungResult] }
        let rungs = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)).rungs
        let raw = try #require(rungs.first?.rawReader, "\(result.stderr)")
        // Every message of the rung went through the raw reader's socket: at least the payloads' bytes.
        #expect(raw.keptUp && raw.error == nil, "\(raw)")
        #expect(raw.bytes > rungs[0].publish.messages * 100, "\(raw.bytes) bytes for \(rungs[0].publish.messages) messages")
    }
}
