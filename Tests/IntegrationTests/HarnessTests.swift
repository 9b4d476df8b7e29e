import Foundation
import Launch
import Testing
import TestSupport

/// Proves the integration-test harness against the real things: redis-server, a Celery worker from the
/// project venv, tmux. A missing tool fails these tests (it never skips them): run scripts/setup.sh.
@Suite("Integration harness")
struct HarnessTests {
    @Test func freePortIsBindableAndDistinct() throws {
        let first = try FreePort.next()
        let second = try FreePort.next()
        #expect((1024...65535).contains(first))
        #expect((1024...65535).contains(second))
        #expect(LoopbackProbe.exchange(port: first, request: "x") == nil, "nothing should listen on a free port")
    }

    @Test func processRunnerCapturesOutputStatusAndTimeouts() async throws {
        let ok = try await ProcessRunner.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(ok.status == 3)
        #expect(ok.stdout == "out\n")
        #expect(ok.stderr == "err\n")
        #expect(!ok.timedOut)
        #expect(throws: HarnessError.self) { try ok.check() }

        let start = ContinuousClock.now
        let slow = try await ProcessRunner.run("/bin/sh", ["-c", "sleep 120"], timeout: .milliseconds(300))
        #expect(slow.timedOut)
        #expect(slow.status == SIGTERM)
        // Generous: a loaded 2-core CI machine delays wake-ups, but nowhere near the 120 s of the command.
        #expect(ContinuousClock.now - start < .seconds(30))

        // A child that leaves a background process holding stdout must not hang the runner.
        let forking = try await ProcessRunner.run(
            "/bin/sh", ["-c", "sleep 3 & echo started"], timeout: .seconds(2))
        #expect(!forking.timedOut)
        #expect(forking.stdout == "started\n")

        let env = try await ProcessRunner.run(
            "/bin/sh", ["-c", "echo $RETRYTOP_HARNESS_VALUE"], environment: ["RETRYTOP_HARNESS_VALUE": "é ✓"])
        #expect(env.stdout == "é ✓\n")
    }

    @Test func redisStartsOnAFreePortAnswersPingAndRestartsOnTheSamePort() async throws {
        let redis = try await RedisServerProcess.start()
        #expect(redis.ping())
        #expect(redis.url == "redis://127.0.0.1:\(redis.port)/0")
        let port = redis.port
        let firstPID = try #require(redis.pid)

        redis.kill()
        try await waitUntil("redis down after SIGKILL") { !redis.ping() }
        try await redis.restart()
        #expect(redis.port == port)
        #expect(redis.ping())
        #expect(redis.pid != firstPID)

        await redis.stop()
        #expect(!redis.isRunning)
        #expect(!redis.ping())
    }

    @Test func redisWithPasswordNeedsAuth() async throws {
        let redis = try await RedisServerProcess.start(password: "s3cret/pw")
        #expect(redis.ping())
        #expect(redis.url(db: 2) == "redis://:s3cret%2Fpw@127.0.0.1:\(redis.port)/2")
        let anonymous = LoopbackProbe.exchange(port: redis.port, request: "PING\r\n")
        #expect(anonymous?.hasPrefix("-NOAUTH") == true, "got \(anonymous ?? "nil")")
        await redis.stop()
    }

    @Test func celeryWorkerRunsDemoTasksSentThroughCeleryCall() async throws {
        let redis = try await RedisServerProcess.start()
        let sideEffects = FileManager.default.temporaryDirectory
            .appendingPathComponent("retrytop-side-effects-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: sideEffects) }
        let worker = try await CeleryWorkerProcess.start(
            brokerURL: redis.url, queues: ["celery", "other"], sideEffectDirectory: sideEffects)
        #expect(worker.log().contains(worker.nodeName))
        let celery = CeleryCall(brokerURL: redis.url)

        let add = try await celery.sendOne("demo.add", args: "[2, 3]")
        let addLine = try await worker.waitForLog("Task demo.add[\(add)] succeeded")
        #expect(addLine.hasSuffix(": 5"), "\(addLine)")

        // One retry, one second apart, then success: the retry storm in miniature.
        let quick = try await celery.sendOne("demo.quick_retry", args: "[1]")
        try await worker.waitForLog("Task demo.quick_retry[\(quick)] retry: Retry in 1s")
        try await worker.waitForLog("Task demo.quick_retry[\(quick)] succeeded")

        // echo records its exact arguments under the task id, then fails when asked to.
        let echo = try await celery.sendOne(
            "demo.echo", args: #"[1, "two", [3, {"four": 4}]]"#, kwargs: #"{"k": {"x": [true, null]}, "fail": true}"#)
        try await worker.waitForLog("Task demo.echo[\(echo)] raised unexpected: ValueError")
        let recorded = try Data(contentsOf: sideEffects.appendingPathComponent("\(echo).json"))
        let decoded = try JSONSerialization.jsonObject(with: recorded) as? [Any]
        let expected = try JSONSerialization.jsonObject(
            with: Data(#"[[1, "two", [3, {"four": 4}]], {"k": {"x": [true, null]}, "fail": true}]"#.utf8))
        #expect((decoded as NSArray?)?.isEqual(expected) == true, "recorded \(String(decoding: recorded, as: UTF8.self))")

        // The task's own queue attribute routes it to "other", which this worker also consumes.
        let other = try await celery.sendOne("demo.on_other_queue", args: "[7]")
        try await worker.waitForLog("Task demo.on_other_queue[\(other)] succeeded")

        let pid = try #require(worker.pid)
        await worker.stop()
        #expect(!worker.isRunning)
        #expect(kill(pid, 0) != 0, "worker pid \(pid) should be gone")
        #expect(worker.log().contains("Warm shutdown"))
        await redis.stop()
    }

    @Test func tmuxSessionCapturesAPrintfCommandAndItsExitStatus() async throws {
        let session = try await TmuxSession(
            command: "printf 'hello from tmux\\nsecond line \\303\\251 \\342\\234\\223\\n'; exit 3", width: 60, height: 10)
        #expect(try await session.waitForExit() == 3)
        let screen = try await session.capture(history: true)
        #expect(screen.contains("hello from tmux\nsecond line é ✓\n"), "\(screen)")
        session.kill()
    }

    @Test func tmuxSessionTakesKeysAndShowsTheScreenWhileRunning() async throws {
        let session = try await TmuxSession(command: "cat", width: 40, height: 5)
        #expect(try await session.exitStatus() == nil)
        try await session.type("typed text é")
        try await session.sendKeys("Enter")
        let screen = try await session.waitUntil(description: "the typed line twice") {
            $0.components(separatedBy: "typed text é").count == 3
        }
        #expect(screen.dropLast().split(separator: "\n", omittingEmptySubsequences: false).count == 5, "one line per row")
        try await session.sendKeys("C-d")
        #expect(try await session.waitForExit() == 0)
        session.kill()

        let interrupted = try await TmuxSession(command: "echo \"waiting in $TERM\"; sleep 30", width: 40, height: 5)
        try await interrupted.waitFor("waiting in tmux-256color")
        try await interrupted.sendKeys("C-c")
        #expect(try await interrupted.waitForExit() == 130, "Ctrl-C reaches the command, and its status is kept")
        interrupted.kill()
    }

    private func waitUntil(
        _ what: String, timeout: Duration = .seconds(5), _ condition: () -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now >= deadline { throw HarnessError("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
