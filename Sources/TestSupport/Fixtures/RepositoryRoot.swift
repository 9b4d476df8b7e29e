import Foundation

/// The checkout this test binary was built from, found from this source file's path.
public enum RepositoryRoot {
    public static var url: URL {
        if let override = ProcessInfo.processInfo.environment["RETRYTOP_REPO"] { return URL(fileURLWithPath: override) }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
