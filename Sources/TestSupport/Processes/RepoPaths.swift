import Foundation

/// Where things live in the checkout, found from this source file's own path.
///
/// Integration tests run from SwiftPM's build directory, so relative paths are useless; everything is
/// derived from the repository root (the nearest ancestor of this file holding `Package.swift`).
public enum RepoPaths {
    /// The repository root.
    public static let root: URL = findRoot(startingAt: URL(fileURLWithPath: #filePath))

    /// `demo/`: the Celery app (`demo_tasks.py`), the flaky API and the producer.
    public static var demo: URL { root.appendingPathComponent("demo", isDirectory: true) }

    /// `scripts/`.
    public static var scripts: URL { root.appendingPathComponent("scripts", isDirectory: true) }

    /// The project-local virtualenv made by `scripts/setup.sh`.
    public static var venv: URL { root.appendingPathComponent(".venv", isDirectory: true) }

    /// `.venv/bin/celery`.
    public static var celery: URL { venv.appendingPathComponent("bin/celery") }

    /// `.venv/bin/python`.
    public static var python: URL { venv.appendingPathComponent("bin/python") }

    /// The built `retrytop` executable.
    ///
    /// In order: `$RETRYTOP_BIN`; a `retrytop` beside the running test binary (so `--scratch-path` builds
    /// work); `.build/debug/retrytop`. The file may not exist: check with `RequiredTool.retrytop`.
    public static var retrytopBinary: URL {
        if let override = ProcessInfo.processInfo.environment["RETRYTOP_BIN"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        if let testBinary = CommandLine.arguments.first, testBinary.contains("/") {
            var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
            // On macOS the test binary sits inside `<bin>/X.xctest/Contents/MacOS/`.
            while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS"
                || directory.lastPathComponent == "Contents" {
                directory.deleteLastPathComponent()
            }
            let sibling = directory.appendingPathComponent("retrytop")
            if FileManager.default.isExecutableFile(atPath: sibling.path) { return sibling }
        }
        return root.appendingPathComponent(".build/debug/retrytop")
    }

    /// The release build of `retrytop`, for tests whose subject is speed (a debug build decodes an order of
    /// magnitude slower): `$RETRYTOP_RELEASE_BIN`, else `.build/release/retrytop`. Check with
    /// `RequiredTool.retrytopRelease`.
    public static var retrytopReleaseBinary: URL {
        if let override = ProcessInfo.processInfo.environment["RETRYTOP_RELEASE_BIN"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return root.appendingPathComponent(".build/release/retrytop")
    }

    static func findRoot(startingAt file: URL) -> URL {
        var directory = file.deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        // This file lives at Sources/TestSupport/Processes/RepoPaths.swift.
        return file.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }
}
