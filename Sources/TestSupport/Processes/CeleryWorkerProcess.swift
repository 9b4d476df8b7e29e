import Foundation

/// A real Celery worker (the project venv's `celery`) running `demo/demo_tasks.py`.
///
/// Started as `celery -A demo_tasks worker -E -l info -c N -n NAME@%h -Q queues --without-mingle
/// --without-gossip` in `demo/`, with the broker and the other `RETRYTOP_*` settings in its environment,
/// logging to a temporary file that tests read (`waitForLog`). Stopped by PID: SIGTERM (a warm shutdown,
/// which restores unacked messages), then SIGKILL to the worker's own process group.
public final class CeleryWorkerProcess: @unchecked Sendable {
    public let name: String
    public let queues: [String]
    public let concurrency: Int
    public let brokerURL: String
    public let resultBackendURL: String?
    /// The worker's log (stdout and stderr); deleted on deinit unless `RETRYTOP_KEEP_LOGS=1`.
    public let logFile: URL
    private let environment: [String: String]
    private let extraArguments: [String]
    private let lock = NSLock()
    private var child: BackgroundProcess?

    /// Prepares a worker; nothing runs until `start()`.
    ///
    /// - Parameters:
    ///   - name: the part before `@` in the node name (`-n name@%h`).
    ///   - resultExtended: sets `RETRYTOP_RESULT_EXTENDED=1` (args and kwargs in the result backend).
    ///   - sideEffectDirectory: where `demo.echo` records its arguments (`RETRYTOP_SIDE_EFFECT_DIR`).
    ///   - environment: more variables for the worker (for example `RETRYTOP_API_URL`).
    public init(
        brokerURL: String,
        name: String = "w1",
        queues: [String] = ["celery"],
        concurrency: Int = 2,
        resultBackendURL: String? = nil,
        resultExtended: Bool = false,
        sideEffectDirectory: URL? = nil,
        environment: [String: String] = [:],
        extraArguments: [String] = []
    ) {
        self.name = name
        self.queues = queues
        self.concurrency = concurrency
        self.brokerURL = brokerURL
        self.resultBackendURL = resultBackendURL
        self.extraArguments = extraArguments
        self.logFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("retrytop-celery-\(name)-\(UUID().uuidString).log")
        var env = CeleryCall.environment(brokerURL: brokerURL, resultBackendURL: resultBackendURL)
        if resultExtended { env["RETRYTOP_RESULT_EXTENDED"] = "1" }
        if let sideEffectDirectory { env["RETRYTOP_SIDE_EFFECT_DIR"] = sideEffectDirectory.path }
        env.merge(environment) { _, new in new }
        self.environment = env
    }

    /// Creates, starts and waits for a worker to log `ready.`.
    public static func start(
        brokerURL: String,
        name: String = "w1",
        queues: [String] = ["celery"],
        concurrency: Int = 2,
        resultBackendURL: String? = nil,
        resultExtended: Bool = false,
        sideEffectDirectory: URL? = nil,
        environment: [String: String] = [:],
        timeout: Duration = .seconds(60)
    ) async throws -> CeleryWorkerProcess {
        let worker = CeleryWorkerProcess(
            brokerURL: brokerURL, name: name, queues: queues, concurrency: concurrency,
            resultBackendURL: resultBackendURL, resultExtended: resultExtended,
            sideEffectDirectory: sideEffectDirectory, environment: environment)
        try worker.start()
        try await worker.waitUntilReady(timeout: timeout)
        return worker
    }

    deinit {
        child?.kill()
        if ProcessInfo.processInfo.environment["RETRYTOP_KEEP_LOGS"] != "1" {
            try? FileManager.default.removeItem(at: logFile)
        }
    }

    /// The node name as Celery reports it in events and replies: `name@<hostname>`.
    public var nodeName: String { "\(name)@\(Self.hostname())" }

    /// The worker's main PID while it runs.
    public var pid: Int32? { lock.withLock { child?.isRunning == true ? child?.pid : nil } }

    public var isRunning: Bool { lock.withLock { child?.isRunning ?? false } }

    /// Starts the worker process (returns at once; see `waitUntilReady`).
    public func start() throws {
        if isRunning { return }
        let celery = try RequiredTool.celery.path()
        let arguments = [
            "-A", "demo_tasks", "worker", "-E", "-l", "info", "-c", String(concurrency),
            "-n", "\(name)@%h", "-Q", queues.joined(separator: ","), "--without-mingle", "--without-gossip",
        ] + extraArguments
        let child = try BackgroundProcess(
            executable: celery, arguments: arguments, environment: environment,
            currentDirectory: RepoPaths.demo, outputFile: logFile)
        lock.withLock { self.child = child }
    }

    /// Waits until the log says `ready.`; throws with the log when the worker exits or the time runs out.
    public func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        _ = try await waitForLog("ready.", timeout: timeout)
    }

    /// The worker's log so far.
    public func log() -> String { BackgroundProcess.read(logFile) }

    /// Waits until the log contains `text`, returning the first line that does.
    @discardableResult
    public func waitForLog(_ text: String, timeout: Duration = .seconds(30)) async throws -> String {
        try await waitForLog(timeout: timeout, description: "\"\(text)\"") { $0.contains(text) }
    }

    /// Waits until some log line satisfies `matches`, returning that line.
    @discardableResult
    public func waitForLog(
        timeout: Duration = .seconds(30), description: String = "a matching line",
        _ matches: (Substring) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let text = log()
            if let line = text.split(separator: "\n").first(where: matches) { return String(line) }
            let child = lock.withLock { self.child }
            guard let child, child.isRunning else {
                throw HarnessError(
                    "celery worker \(name) is not running (exit status "
                        + "\(child?.exitStatus.map(String.init) ?? "none")) while waiting for \(description)\n"
                        + "log \(logFile.path):\n\(Self.tail(text))")
            }
            if ContinuousClock.now >= deadline {
                throw HarnessError(
                    "celery worker \(name): no \(description) in the log after \(timeout)\n"
                        + "log \(logFile.path):\n\(Self.tail(text))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Warm shutdown: SIGTERM to the worker, up to `grace` for running tasks to finish, then SIGKILL.
    public func stop(grace: Duration = .seconds(20)) async {
        let child = lock.withLock { self.child }
        await child?.stop(grace: grace)
    }

    /// SIGKILL to the worker and its pool at once, like a crash (no worker-offline event).
    public func kill() {
        let child = lock.withLock { self.child }
        child?.kill()
    }

    /// What Python's `socket.gethostname()` returns, which is what Celery's `%h` expands to.
    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return ProcessInfo.processInfo.hostName }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func tail(_ text: String, lines: Int = 40) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
