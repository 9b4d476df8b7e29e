import Foundation

/// Sends demo tasks the way a real producer does: Python in the project venv calling `apply_async`.
///
/// Each call runs `.venv/bin/python -c <script>` in `demo/`, so the messages and the `task-sent` events are
/// exactly what Celery itself produces. Arguments, keyword arguments and `apply_async` options go in as
/// JSON text, so tests can state nested values exactly.
public struct CeleryCall: Sendable {
    public let brokerURL: String
    public let resultBackendURL: String?
    /// More variables for the Python process.
    public let environment: [String: String]

    public init(brokerURL: String, resultBackendURL: String? = nil, environment: [String: String] = [:]) {
        self.brokerURL = brokerURL
        self.resultBackendURL = resultBackendURL
        self.environment = environment
    }

    /// Sends task `name` `count` times and returns the new task ids in order.
    ///
    /// The arguments go to `apply_async` as a tuple, as `task.delay(2, 3)` sends them, so every event's
    /// `args` repr is `(2, 3)` (`docs/celery-wire.md`, "Event batches and fields": a 2000-character argument gives a 1031-character repr);
    /// the message body carries them as a JSON list either way.
    /// - Parameters:
    ///   - args: a JSON array, e.g. `[2, 3]`.
    ///   - kwargs: a JSON object.
    ///   - options: a JSON object of `apply_async` options, e.g. `{"countdown": 30, "queue": "other"}`.
    /// A name that `demo_tasks` does not register is sent with `send_task` (the worker rejects it).
    public func send(
        _ name: String, args: String = "[]", kwargs: String = "{}", options: String = "{}", count: Int = 1,
        timeout: Duration = .seconds(60)
    ) async throws -> [String] {
        let output = try await python(
            Self.sendScript, arguments: [name, args, kwargs, options, String(count)], timeout: timeout)
        let ids = output.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        guard ids.count == count else {
            throw HarnessError("sending \(name) printed \(ids.count) task ids, expected \(count):\n\(output)")
        }
        return ids
    }

    /// Sends task `name` once and returns its id.
    public func sendOne(
        _ name: String, args: String = "[]", kwargs: String = "{}", options: String = "{}"
    ) async throws -> String {
        try await send(name, args: args, kwargs: kwargs, options: options)[0]
    }

    /// Runs Python `code` in the venv with `demo/` as working directory; returns stdout, throws on failure.
    ///
    /// `arguments` become `sys.argv[1...]`. The broker settings are in the environment, so
    /// `from demo_tasks import app` talks to this call's broker.
    public func python(_ code: String, arguments: [String] = [], timeout: Duration = .seconds(60)) async throws
        -> String
    {
        let python = try RequiredTool.python.path()
        var env = Self.environment(brokerURL: brokerURL, resultBackendURL: resultBackendURL)
        env.merge(environment) { _, new in new }
        let result = try await ProcessRunner.run(
            python, ["-c", code] + arguments, environment: env, currentDirectory: RepoPaths.demo,
            timeout: timeout)
        return try result.check().stdout
    }

    /// The environment `demo_tasks.py` reads its configuration from.
    static func environment(brokerURL: String, resultBackendURL: String?) -> [String: String] {
        var env = [
            "RETRYTOP_BROKER": brokerURL,
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        ]
        if let resultBackendURL { env["RETRYTOP_RESULT_BACKEND"] = resultBackendURL }
        return env
    }

    static let sendScript = """
        import json, sys
        from demo_tasks import app
        name, args, kwargs, options, count = sys.argv[1], tuple(json.loads(sys.argv[2])), \
        json.loads(sys.argv[3]), json.loads(sys.argv[4]), int(sys.argv[5])
        task = app.tasks.get(name)
        for _ in range(count):
            if task is not None:
                result = task.apply_async(args=args, kwargs=kwargs, **options)
            else:
                result = app.send_task(name, args=args, kwargs=kwargs, **options)
            print(result.id, flush=True)
        """
}
