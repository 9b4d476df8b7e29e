import Foundation
import Launch
import Testing

/// The launcher the benchmark starts its children with (its redis-server, the firehose, the Celery peer):
/// output captured in files, this process's environment passed on, stopped by its PID.
@Suite struct ChildProcessTests {
    @Test func capturesStdoutAndStderrApartAndRemovesItsOwnFiles() throws {
        var files: [URL] = []
        do {
            let child = try ChildProcess(path: "/bin/sh", arguments: ["-c", "echo out; echo err >&2; echo \"$HOME\"; exit 3"])
            #expect(child.waitForExitBlocking(timeout: .seconds(10)))
            #expect(child.exitStatus == 3)
            #expect(!child.wasSignalled)
            #expect(child.output() == "out\n\(ProcessInfo.processInfo.environment["HOME"] ?? "")\n")
            #expect(child.errorOutput() == "err\n")
            files = [child.outputFile, child.errorFile]
            #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
        }
        // The child object is gone: so are the files it made.
        #expect(files.count == 2)
        #expect(files.allSatisfy { !FileManager.default.fileExists(atPath: $0.path) })
    }

    @Test func terminateStopsTheChildAndWhatItStartedByItsPID() throws {
        let child = try ChildProcess(path: "/bin/sh", arguments: ["-c", "trap '' TERM; sleep 60 & sleep 60; wait"])
        usleep(200_000)  // let the shell start its sleeps
        #expect(child.isRunning)
        let started = ContinuousClock.now
        child.terminate(grace: .milliseconds(300))
        #expect(!child.isRunning)
        #expect(child.wasSignalled && child.exitStatus == SIGKILL, "status \(String(describing: child.exitStatus))")
        #expect(ContinuousClock.now - started < .seconds(5))
        // The group is gone too (its orphans are reaped by init a moment later): nothing is left to signal.
        let deadline = ContinuousClock.now + .seconds(5)
        while ChildProcess.send(0, to: -child.pid) == 0, ContinuousClock.now < deadline { usleep(10_000) }
        #expect(ChildProcess.send(0, to: -child.pid) != 0)
    }

    @Test func anExecutableThatCannotStartIsAnError() {
        #expect(throws: LaunchError.self) { try ChildProcess(path: "/nonexistent/retrytop-child", arguments: []) }
    }
}
