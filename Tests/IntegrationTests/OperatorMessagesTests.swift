import Foundation
import Testing
import TestSupport

/// What the first ten minutes show through the real binary in tmux: a port that is not Redis, a db
/// with no events, no broker given, and a filter with an unknown qualifier.
@Suite(.serialized) struct OperatorMessagesTests {
    @Test(.timeLimit(.minutes(1))) func anHTTPServerOnThePortIsNamedAsNotRedis() async throws {
        let http = try await HTTPServerProcess()
        defer { http.kill() }
        let tmux = try await TmuxSession(command: "'\(RepoPaths.retrytopBinary.path)' --broker redis://127.0.0.1:\(http.port)/0", width: 160, height: 36)
        defer { tmux.kill() }
        let screen = try await tmux.waitFor("this port does not speak Redis", timeout: .seconds(15))
        #expect(!screen.contains("Redis protocol error"))
        try await tmux.sendKeys("q")
        _ = try await tmux.waitForExit()
    }

    @Test(.timeLimit(.minutes(1))) func aSilentDbIsNamedAndAnUnknownQualifierIsAnError() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.kill() }
        let url = "redis://127.0.0.1:\(redis.port)/5"
        let tmux = try await TmuxSession(command: "'\(RepoPaths.retrytopBinary.path)' --broker '\(url)'", width: 200, height: 36)
        defer { tmux.kill() }
        let silent = try await tmux.waitFor("No events for 1", timeout: .seconds(20))
        #expect(silent.contains("on db 5 (pattern /5.celeryev/*)"), "\(silent)")
        #expect(silent.contains("workers may publish to another db"))
        try await tmux.sendKeys("/")
        try await tmux.type("foo:bar")
        try await tmux.sendKeys("Enter")
        let error = try await tmux.waitFor("unknown qualifier foo:", timeout: .seconds(5))
        #expect(error.contains("unknown qualifier foo: — use name: state: worker:"))
        // Esc and q in one write would read as Alt+q: one at a time.
        try await tmux.sendKeys("Escape")
        try await tmux.waitUntil(description: "the input line closed") { !$0.contains("unknown qualifier") }
        try await tmux.sendKeys("q")
        _ = try await tmux.waitForExit()
    }

    @Test(.timeLimit(.minutes(1))) func noBrokerGivenSaysTheDefaultIsUsed() async throws {
        let tmux = try await TmuxSession(command: "env -u CELERY_BROKER_URL '\(RepoPaths.retrytopBinary.path)'", width: 160, height: 36)
        defer { tmux.kill() }
        try await tmux.waitFor("No --broker and no CELERY_BROKER_URL: using the default redis://localhost:6379/0", timeout: .seconds(10))
        try await tmux.sendKeys("q")
        _ = try await tmux.waitForExit()
    }
}
