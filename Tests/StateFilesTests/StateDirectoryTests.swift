import Foundation
import StateFiles
import Testing

/// The one `mkdir -p` of the audit log and the journal: what it creates is 0700, what exists keeps its mode.
@Suite struct StateDirectoryTests {
    static func scratch() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-state-\(UUID().uuidString)").path
    }

    static func mode(_ path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o7777 : nil
    }

    @Test func createdDirectoriesAre0700AndAnExistingOneKeepsItsMode() throws {
        let root = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        #expect(Self.mode(root) == 0o755)
        // Under the usual umask (022) mkdir alone would give 0755: what is created must be 0700, and the
        // existing root must not be narrowed. (The umask is process-wide, so the test does not change it.)
        try StateDirectory.makeDirectories(root + "/state/retrytop")
        #expect(Self.mode(root) == 0o755)
        #expect(Self.mode(root + "/state") == 0o700)
        #expect(Self.mode(root + "/state/retrytop") == 0o700)
        // Called again on what now exists: nothing changes, not even a mode set by hand since.
        #expect(chmod(root + "/state/retrytop", 0o750) == 0)
        try StateDirectory.makeDirectories(root + "/state/retrytop")
        #expect(Self.mode(root + "/state/retrytop") == 0o750)
    }

    @Test func aFileInTheWayIsAnErrorNamingIt() throws {
        let root = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/file"))
        #expect(throws: StateDirectoryError.self) { try StateDirectory.makeDirectories(root + "/file/retrytop") }
        do {
            try StateDirectory.makeDirectories(root + "/file")
            Issue.record("a regular file was taken for a directory")
        } catch {
            #expect("\(error)" == "\(root)/file is not a directory")
        }
    }

    @Test func theStatePathFollowsXDG() {
        #expect(StateDirectory.path(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/retrytop")
        #expect(StateDirectory.path(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]) == "/h/.local/state/retrytop")
        #expect(StateDirectory.path(environment: ["HOME": "/h"]) == "/h/.local/state/retrytop")
    }
}
