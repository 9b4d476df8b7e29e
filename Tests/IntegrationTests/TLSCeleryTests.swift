import CeleryLink
import Foundation
import Monitor
import RedisLink
import TestSupport
import Testing

/// retrytop against a real Celery worker whose broker is `rediss://` (redis-server with `--tls-port`,
/// certificates made by the test): the fold is the same as over TCP, a wrong CA is refused with the
/// reason, `ssl_cert_reqs=none` says unverified, and revoke and requeue reach the worker over TLS.
@Suite(.serialized) struct TLSCeleryTests {
    /// `retrytop snapshot --broker <broker> --for <seconds>` started now; read it with `finish`.
    struct Snapshot {
        let process: BackgroundProcess
        let output: URL

        init(broker: String, seconds: Int, options: [String] = []) throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-tls-snap-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            output = directory.appendingPathComponent("snapshot.json")
            process = try BackgroundProcess(
                executable: try RequiredTool.retrytop.path(), arguments: ["snapshot", "--broker", broker, "--for", String(seconds)] + options,
                unsetting: ["CELERY_BROKER_URL"], outputFile: output, errorFile: directory.appendingPathComponent("stderr.txt"))
        }

        /// Waits for the exit and returns (exit status, document, stderr).
        func finish(timeout: Duration = .seconds(60)) async throws -> (Int32?, [String: Any], String) {
            let exited = await process.waitForExit(timeout: timeout)
            #expect(exited, "snapshot did not exit")
            let data = try Data(contentsOf: output)
            // A snapshot that never connected prints no document, only its reason on stderr.
            if data.isEmpty, process.exitStatus != 0 { return (process.exitStatus, [:], process.errorOutput()) }
            let document = try #require(
                try JSONSerialization.jsonObject(with: data) as? [String: Any], "not JSON: \(String(decoding: data, as: UTF8.self).prefix(300))")
            return (process.exitStatus, document, process.errorOutput())
        }
    }

    @Test(.timeLimit(.minutes(3))) func retryingTasksFoldOverTLSExactlyAsOverTCP() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(certificates: certificates)
        defer { redis.kill() }
        let broker = redis.tlsURL(db: 2, query: certificates.query())
        let worker = try await CeleryWorkerProcess.start(brokerURL: broker, name: "tls", concurrency: 2)
        defer { worker.kill() }
        // The same server watched twice at once: over its plain port and over TLS. Events only: whether a
        // backfill's inspect reply (sources, priority) lands before or after a task is sent is a race between
        // the two snapshots, not a property of the transport (it made this comparison fail once in CI).
        let overTCP = try Snapshot(broker: redis.url(db: 2), seconds: 14, options: ["--no-backfill"])
        let overTLS = try Snapshot(broker: broker, seconds: 14, options: ["--no-backfill"])
        try await Task.sleep(for: .milliseconds(1_500))
        let celery = CeleryCall(brokerURL: broker)
        let manual = try await celery.sendOne("demo.manual_retry", args: "[7, 3]")
        let backoff = try await celery.sendOne("demo.backoff_always_fails", args: "[4]")
        let add = try await celery.sendOne("demo.add", args: "[2, 3]")

        let (tcpStatus, tcp, _) = try await overTCP.finish()
        let (tlsStatus, tls, tlsErrors) = try await overTLS.finish()
        #expect(tcpStatus == 0 && tlsStatus == 0, "\(tlsErrors)")
        let connection = try #require(tls["connection"] as? [String: Any])
        #expect(connection["phase"] as? String == "connected" && connection["transport"] as? String == "tls")
        #expect((tcp["connection"] as? [String: Any])?["transport"] as? String == "plain")

        let tlsTasks = try #require(tls["tasks"] as? [[String: Any]])
        let tcpTasks = try #require(tcp["tasks"] as? [[String: Any]])
        let manualTask = try #require(tlsTasks.first { $0["id"] as? String == manual })
        #expect(manualTask["state"] as? String == "SUCCESS" && manualTask["retries"] as? Int == 2)
        #expect((manualTask["attempts"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["RETRY", "RETRY", "SUCCESS"])
        let backoffTask = try #require(tlsTasks.first { $0["id"] as? String == backoff })
        #expect((backoffTask["attempts"] as? [[String: Any]])?.first?["outcome"] as? String == "RETRY")
        #expect(tlsTasks.contains { $0["id"] as? String == add && $0["state"] as? String == "SUCCESS" })
        // Exactly as over TCP: every task, attempt and timestamp, and the counts.
        #expect(tlsTasks.count == tcpTasks.count)
        #expect(NSArray(array: tlsTasks).isEqual(to: tcpTasks), "TLS and TCP folds differ")
        #expect(NSDictionary(dictionary: try #require(tls["counts"] as? [String: Any])).isEqual(to: try #require(tcp["counts"] as? [String: Any])))
        let stats = try #require(tls["stats"] as? [String: Any])
        #expect(stats["malformed"] as? Int == 0 && stats["inbox_dropped"] as? Int == 0)
        #expect(stats["events"] as? Int == (tcp["stats"] as? [String: Any])?["events"] as? Int)
    }

    @Test(.timeLimit(.minutes(2))) func wrongCAIsRefusedWithTheReasonAndUnverifiedSaysSo() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(certificates: certificates)
        defer { redis.kill() }
        let wrong = try Snapshot(broker: redis.tlsURL(query: certificates.query(ca: certificates.otherCACertificate)), seconds: 2)
        let unverified = try Snapshot(
            broker: redis.tlsURL(query: certificates.query(requirement: "none", ca: certificates.otherCACertificate)), seconds: 2)

        let (wrongStatus, refused, stderr) = try await wrong.finish()
        // EX_CONFIG: the TLS options are wrong, with OpenSSL's reason and the CA file used; no document.
        #expect(wrongStatus == 78)
        #expect(refused.isEmpty)
        #expect(stderr.contains(
            "failed: certificate verify failed: self-signed certificate in certificate chain (verified against CA file \(certificates.otherCACertificate.path))"),
            "\(stderr)")
        #expect(stderr.contains("never connected"), "\(stderr)")

        let (okStatus, document, okErrors) = try await unverified.finish()
        #expect(okStatus == 0, "\(okErrors)")
        let connection = try #require(document["connection"] as? [String: Any])
        #expect(connection["phase"] as? String == "connected")
        #expect(connection["transport"] as? String == "tls-unverified")
        #expect((connection["broker"] as? String)?.hasSuffix("?ssl_cert_reqs=none") == true)
    }

    /// A `rediss://` result backend is a Redis backend: read it (over TLS) rather than skipping it.
    @Test func aRedissResultBackendIsRead() throws {
        let location = ResultBackendLocation.resolve(
            flag: nil, environment: ["CELERY_RESULT_BACKEND": "rediss://:pw@redis.example.com:6380/1?ssl_cert_reqs=required"])
        #expect(location.skipReason == nil)
        #expect(location.url?.tls == TLSSettings())
        #expect(location.description == "rediss://:***@redis.example.com:6380/1")
    }

    @Test(.timeLimit(.minutes(3))) func revokeAndRequeueReachTheWorkerOverTLS() async throws {
        let certificates = try await TestCertificates.make()
        let redis = try await RedisServerProcess.start(certificates: certificates)
        defer { redis.kill() }
        let broker = redis.tlsURL(query: certificates.query())
        let backend = redis.tlsURL(db: 1, query: certificates.query())
        let effects = try ActionsCeleryTests.temporaryDirectory("tls")
        let worker = try await CeleryWorkerProcess.start(
            brokerURL: broker, name: "tlsact", resultBackendURL: backend, resultExtended: true, sideEffectDirectory: effects)
        defer { worker.kill() }
        let audit = effects.appendingPathComponent("audit.log")

        // Revoke: the pidbox broadcast and the worker's reply both cross TLS.
        let waiting = try await CeleryCall(brokerURL: broker).sendOne("demo.slow_fixed_retry", args: "[3]")
        let revoked = try await ActionsCeleryTests.retrytop(["revoke", waiting, "--broker", broker, "--audit-log", audit.path])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let revokeOutput = try ActionsCeleryTests.json(revoked.stdout)
        #expect(revokeOutput["receivers"] as? Int == 1, "\(revokeOutput)")
        #expect((revokeOutput["replies"] as? [String: String])?.values.first?.contains("flagged as revoked") == true, "\(revokeOutput)")

        // Requeue from the TLS result backend: the new task runs with identical arguments.
        let id = try await CeleryCall(brokerURL: broker, resultBackendURL: backend)
            .sendOne("demo.echo", args: ActionsCeleryTests.nestedArgs, kwargs: ActionsCeleryTests.nestedKwargs)
        try await ActionsCeleryTests.waitForStatus(backend, [id], "FAILURE")
        let original = try await ActionsCeleryTests.waitForFile(effects.appendingPathComponent("\(id).json"))
        let result = try await ActionsCeleryTests.retrytop(["requeue", id, "--broker", broker, "--result-backend", backend, "--audit-log", audit.path])
        #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
        let task = try #require((try ActionsCeleryTests.json(result.stdout)["tasks"] as? [[String: Any]])?.first)
        #expect(task["status"] as? String == "sent" && task["source"] as? String == "result_backend")
        let newID = try #require(task["new_id"] as? String)
        let copy = try await ActionsCeleryTests.waitForFile(effects.appendingPathComponent("\(newID).json"))
        #expect(copy == original)
        try await ActionsCeleryTests.waitForStatus(backend, [newID], "FAILURE")
    }
}
