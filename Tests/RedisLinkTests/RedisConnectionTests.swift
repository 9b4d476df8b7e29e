import Foundation
import Launch
import Testing
import TestSupport
import RedisLink

@Suite struct RedisConnectionTests {
    @Test func binarySafeCommandsRoundTrip() throws {
        let server = try RedisServerProcess.startBlocking()
        let connection = try connected(server.brokerURL())
        let key: [UInt8] = Array("celery".utf8) + [0x06, 0x16] + Array("3".utf8)
        let value: [UInt8] = [0, 1, 0x06, 0x16, 0xff, 0, 0x7f]
        #expect(try connection.command([Array("SET".utf8), key, value]) == .status("OK"))
        #expect(try connection.command([Array("GET".utf8), key]) == .bulk(value))
        #expect(try connection.command([Array("GET".utf8), Array("celery".utf8)]) == .null)
        #expect(try connection.command(["RPUSH", "l", "a", ""]) == .integer(2))
        #expect(try connection.command(["LRANGE", "l", "0", "-1"]) == .array([.bulk(Array("a".utf8)), .bulk([])]))
        #expect(throws: RedisError.self) { try connection.command(["NOSUCHCOMMAND"]).checked() }
    }

    @Test func errorReplyIsAValueAndTheConnectionSurvives() throws {
        let server = try RedisServerProcess.startBlocking()
        let connection = try connected(server.brokerURL())
        let reply = try connection.command(["INCR", "k", "extra"])
        guard case .error(let message) = reply else {
            Issue.record("expected an error reply, got \(reply)")
            return
        }
        #expect(message.hasPrefix("ERR"))
        try connection.ping()
    }

    @Test func pipelineAppendThenGetReplies() throws {
        let server = try RedisServerProcess.startBlocking()
        let connection = try connected(server.brokerURL())
        for _ in 0..<1_000 { try connection.append(["INCR", "counter"]) }
        #expect(connection.pendingReplies == 1_000)
        var last: Int64 = 0
        for _ in 0..<1_000 {
            let value = try #require(try connection.getReply().integer)
            #expect(value == last + 1)
            last = value
        }
        #expect(connection.pendingReplies == 0)
    }

    @Test func selectsTheDatabaseFromTheURL() throws {
        let server = try RedisServerProcess.startBlocking()
        let db3 = try connected(server.brokerURL(db: 3))
        try db3.command(["SET", "where", "three"]).checked()
        let db0 = try connected(server.brokerURL(db: 0))
        #expect(try db0.command(["GET", "where"]) == .null)
        #expect(try db3.command(["GET", "where"]).text == "three")
        #expect(throws: RedisError.self) { try connected(server.brokerURL(db: 99)) }
    }

    @Test func clientListShowsConnections() throws {
        let server = try RedisServerProcess.startBlocking()
        let connection = try connected(server.brokerURL())
        let list = try connection.clientList()
        #expect(list.contains("cmd=client"))
    }

    @Test func refusedConnectIsAClearError() throws {
        let port = try FreePort.next()
        let connection = RedisConnection(url: BrokerURL(endpoint: .tcp(host: "127.0.0.1", port: port)), timeouts: .init(connect: 0.5, io: 1))
        do {
            try connection.connect()
            Issue.record("connected to a closed port")
        } catch let error as RedisError {
            guard case .connectFailed(let endpoint, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(endpoint == "127.0.0.1:\(port)")
            #expect(error.description.contains("cannot connect to Redis at 127.0.0.1:\(port)"))
        }
    }

    @Test func unixSocketConnect() throws {
        let path = "/tmp/retrytop-redislink-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let server = try RedisServerProcess.startBlocking(extraArguments: ["--unixsocket", path, "--unixsocketperm", "700"])
        defer { server.kill() }
        let url = try BrokerURL(parsing: "unix://\(path)?db=2")
        let connection = try connected(url)
        try connection.command(["SET", "u", "1"]).checked()
        let tcp = try connected(server.brokerURL(db: 2))
        #expect(try tcp.command(["GET", "u"]).text == "1")
    }

    @Test func serverRestartThenCommandFailsOnceAndReconnects() throws {
        let server = try RedisServerProcess.startBlocking()
        let connection = try connected(server.brokerURL())
        server.kill()
        try server.startBlocking()
        #expect(throws: RedisError.self) { try connection.ping() }
        #expect(!connection.isConnected)
        try connection.connect()
        try connection.ping()
    }
}

@Suite struct AuthenticationTests {
    static let password = "p@ss:w/rd"
    static let encoded = "p%40ss%3Aw%2Frd"

    @Test func passwordFromURLIsDecodedAndWorks() throws {
        let server = try RedisServerProcess.startBlocking(password: Self.password)
        let url = try BrokerURL(parsing: "redis://:\(Self.encoded)@127.0.0.1:\(server.port)/1")
        let connection = try connected(url)
        try connection.ping()
    }

    @Test func wrongPasswordIsAClearErrorWithoutThePassword() throws {
        let server = try RedisServerProcess.startBlocking(password: Self.password)
        let url = try BrokerURL(parsing: "redis://:wrong-secret@127.0.0.1:\(server.port)/0")
        do {
            _ = try connected(url)
            Issue.record("wrong password accepted")
        } catch let error as RedisError {
            guard case .authenticationFailed(let endpoint, let message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(endpoint == "redis://:***@127.0.0.1:\(server.port)/0")
            #expect(message.contains("WRONGPASS"))
            #expect(error.description.hasPrefix("authentication failed for redis://:***@"))
            #expect(!error.description.contains("wrong-secret"))
        }
    }

    @Test func missingPasswordSaysOneIsRequired() throws {
        let server = try RedisServerProcess.startBlocking(password: Self.password)
        #expect {
            _ = try connected(server.brokerURL())
        } throws: { error in
            guard case RedisError.authenticationRequired = error else { return false }
            return String(describing: error).contains("requires a password")
        }
    }

    @Test func aclUserAndPassword() throws {
        let server = try RedisServerProcess.startBlocking()
        let admin = try connected(server.brokerURL())
        try admin.command(["ACL", "SETUSER", "alice", "on", ">alicepw", "~*", "&*", "+@all"]).checked()
        let url = try BrokerURL(parsing: "redis://alice:alicepw@127.0.0.1:\(server.port)/0")
        let connection = try connected(url)
        #expect(try connection.command(["ACL", "WHOAMI"]).text == "alice")
        let wrong = try BrokerURL(parsing: "redis://alice:nope@127.0.0.1:\(server.port)/0")
        #expect(throws: RedisError.self) { try connected(wrong) }
    }
}
