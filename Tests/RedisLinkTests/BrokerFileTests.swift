import Foundation
import RedisLink
import Testing

@Suite struct BrokerFileTests {
    static func file(_ text: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("retrytop-broker-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func ownerOnlyFileGivesTheFirstURLLine() throws {
        let path = try Self.file("# broker for prod\n\n  rediss://:pw@redis.example.com:6380/0?ssl_cert_reqs=required  \nredis://other\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try BrokerFile.read(path: path) == "rediss://:pw@redis.example.com:6380/0?ssl_cert_reqs=required")
        #expect(try BrokerFile.read(path: try Self.file("redis://h\n", mode: 0o400)) == "redis://h")
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o620, 0o666])
    func groupOrWorldAccessIsRefusedWithTheFix(_ mode: Int) throws {
        let path = try Self.file("redis://:secret@h/0\n", mode: mode)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try BrokerFile.read(path: path)
            Issue.record("mode \(String(mode, radix: 8)) accepted")
        } catch {
            #expect(error.description == "refusing --broker-file \(path): its mode \(String(mode, radix: 8)) lets group or others read it; run chmod 600 \(path)")
            #expect(!error.description.contains("secret"))
        }
    }

    @Test func missingOrEmptyFilesAreClearErrors() throws {
        #expect(throws: BrokerFile.Refusal(description: "cannot read --broker-file /nonexistent/url: no such file or not accessible")) {
            try BrokerFile.read(path: "/nonexistent/url")
        }
        let empty = try Self.file("# nothing\n\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: BrokerFile.Refusal(description: "--broker-file \(empty) holds no URL")) { try BrokerFile.read(path: empty) }
    }

    @Test func argvPasswordWarningOnlyWithAPasswordAndNeverShowsIt() throws {
        #expect(BrokerFile.argvPasswordWarning(try BrokerURL(parsing: "redis://h/0"), option: "--broker") == nil)
        #expect(BrokerFile.argvPasswordWarning(try BrokerURL(parsing: "redis://user@h/0"), option: "--broker") == nil)
        let warning = try #require(BrokerFile.argvPasswordWarning(try BrokerURL(parsing: "rediss://u:hunter2@h/0"), option: "--broker"))
        #expect(warning.contains("--broker") && warning.contains("--broker-file") && !warning.contains("hunter2"))
        #expect(!warning.contains("\n"))
    }
}
