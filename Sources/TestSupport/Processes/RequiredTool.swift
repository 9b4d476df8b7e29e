import Foundation

/// A tool an integration test cannot run without; asking for a missing one throws, it never skips.
///
/// A skipped test on a machine without Redis or Celery would look like a pass. Each error names the
/// command that installs or builds the tool.
public enum RequiredTool: String, CaseIterable, Sendable {
    case redisServer = "redis-server"
    case tmux
    /// `.venv/bin/celery` from `scripts/setup.sh`.
    case celery
    /// `.venv/bin/python` from `scripts/setup.sh`.
    case python
    /// The built `retrytop` executable (see `RepoPaths.retrytopBinary`).
    case retrytop
    /// The release build of `retrytop` (see `RepoPaths.retrytopReleaseBinary`).
    case retrytopRelease = "retrytop (release)"

    /// The absolute path of the tool; throws a `HarnessError` saying how to get it when it is missing.
    public func path() throws -> String {
        switch self {
        case .redisServer, .tmux:
            if let found = Self.which(rawValue) { return found }
            throw HarnessError("\(rawValue) not found on PATH: run scripts/setup.sh (installs it with apt-get)")
        case .celery, .python:
            let url = self == .celery ? RepoPaths.celery : RepoPaths.python
            if FileManager.default.isExecutableFile(atPath: url.path) { return url.path }
            throw HarnessError("\(url.path) not found: run scripts/setup.sh (creates .venv with celery[redis])")
        case .retrytop:
            let url = RepoPaths.retrytopBinary
            if FileManager.default.isExecutableFile(atPath: url.path) { return url.path }
            throw HarnessError(
                "\(url.path) not found: run `swift build --product retrytop` (scripts/test.sh does) "
                    + "or set RETRYTOP_BIN")
        case .retrytopRelease:
            let url = RepoPaths.retrytopReleaseBinary
            if FileManager.default.isExecutableFile(atPath: url.path) { return url.path }
            throw HarnessError(
                "\(url.path) not found: run `swift build -c release --product retrytop` (scripts/test.sh does) "
                    + "or set RETRYTOP_RELEASE_BIN")
        }
    }

    /// Throws for the first of `tools` that is missing.
    public static func require(_ tools: RequiredTool...) throws {
        for tool in tools { _ = try tool.path() }
    }

    /// Searches `$PATH` (plus the usual system directories) for an executable called `name`.
    public static func which(_ name: String) -> String? {
        if name.contains("/") {
            return FileManager.default.isExecutableFile(atPath: name) ? name : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init)
            + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
