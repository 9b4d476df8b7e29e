import Foundation
import Launch
import Testing
import TestSupport

/// `retrytop snapshot` and `retrytop events` that never connect exit non-zero with one stderr line
/// saying why: nothing listens (69), the port speaks something other than Redis (76), the password is
/// wrong (77). Each case runs the built binary against a real endpoint of that kind.
@Suite(.serialized) struct HeadlessExitCodeTests {
    static let commands: [[String]] = [["snapshot", "--for", "3"], ["events", "--for", "3"]]

    /// Runs each headless command against `broker`, checks its exit status and that stderr is one line
    /// containing `reason`, and that nothing was printed on stdout.
    static func expectNeverConnected(broker: String, status: Int32, reason: String) async throws {
        try RequiredTool.require(.retrytop)
        for command in commands {
            let started = Date()
            // The URL goes in the environment, as a careful user passes a password: in argv it would add the
            // one-line password warning (BrokerCredentialsTests) to stderr.
            let result = try await ProcessRunner.run(
                RepoPaths.retrytopBinary.path, command, environment: ["CELERY_BROKER_URL": broker], timeout: .seconds(20))
            let elapsed = Date().timeIntervalSince(started)
            let lines = result.stderr.split(separator: "\n")
            #expect(!result.timedOut, "\(command[0]) did not exit")
            #expect(result.status == status, "\(command[0]): status \(result.status), stderr: \(result.stderr)")
            #expect(lines.count == 1, "\(command[0]): stderr should be one line: \(result.stderr)")
            #expect(result.stderr.contains(reason), "\(command[0]): stderr lacks \"\(reason)\": \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(command[0]): stdout: \(result.stdout.prefix(200))")
            #expect(!result.stderr.contains("hunter2"), "the password leaked: \(result.stderr)")
            #expect(elapsed < 10, "\(command[0]) took \(elapsed) s to give up")
        }
    }

    @Test(.timeLimit(.minutes(1))) func deadPortExitsUnavailable() async throws {
        let port = try FreePort.next()
        try await Self.expectNeverConnected(
            broker: "redis://127.0.0.1:\(port)/0", status: 69, reason: "connection refused")
    }

    @Test(.timeLimit(.minutes(1))) func httpServerOnThePortExitsProtocol() async throws {
        let http = try await HTTPServerProcess()
        defer { http.kill() }
        try await Self.expectNeverConnected(
            broker: "redis://127.0.0.1:\(http.port)/0", status: 76, reason: "does not speak Redis")
    }

    @Test(.timeLimit(.minutes(1))) func wrongPasswordExitsNoPermission() async throws {
        let redis = try await RedisServerProcess.start(password: "right-password")
        defer { redis.kill() }
        try await Self.expectNeverConnected(
            broker: "redis://:hunter2@127.0.0.1:\(redis.port)/0", status: 77, reason: "authentication failed")
        try await Self.expectNeverConnected(
            broker: "redis://127.0.0.1:\(redis.port)/0", status: 77, reason: "requires a password")
    }
}

/// `retrytop --version` prints the version and exits 0, without touching Redis.
@Suite struct VersionFlagTests {
    @Test func versionFlagPrintsTheVersion() async throws {
        try RequiredTool.require(.retrytop)
        let result = try await ProcessRunner.run(RepoPaths.retrytopBinary.path, ["--version"], timeout: .seconds(10))
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression) != nil, "printed \(text)")
    }
}
