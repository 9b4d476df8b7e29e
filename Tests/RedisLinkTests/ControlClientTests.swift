import Foundation
import Testing
import RedisLink
import TestSupport

@Suite struct ControlClientTests {
    /// Subscribes to the pidbox channel and returns the subscriber once it listens.
    static func pidboxListener(_ url: BrokerURL, options: TransportOptions = .default) -> EventSubscriber {
        let pattern = EventChannels.escapeGlob(EventChannels(db: url.db, options: options).pidboxChannel)
        let subscriber = EventSubscriber(configuration: .init(url: url, pattern: pattern, readTimeout: 0.2))
        subscriber.start()
        _ = eventually { subscriber.connectionState.phase == .connected }
        return subscriber
    }

    @Test func revokePublishesTheExactEnvelope() throws {
        let server = try RedisServerProcess.startBlocking()
        let listener = Self.pidboxListener(server.brokerURL())
        defer { listener.stop() }
        let client = ControlClient(url: server.brokerURL(), clock: { 1_000_000 })

        let receivers = try client.revoke(ids: ["id-1", "id-2"], terminate: true, signal: "SIGKILL")
        #expect(receivers == 1)
        #expect(eventually { listener.inbox.statistics.received == 1 })
        let message = try #require(listener.inbox.drainAll().first)
        #expect(message.channel == Array("/0.celery.pidbox".utf8))

        let envelope = try JSONValue.parse(message.payload)
        let members = try #require(envelope.objectValue)
        #expect(Set(members.keys) == ["body", "content-encoding", "content-type", "headers", "properties"])
        #expect(envelope["content-type"] == "application/json")
        #expect(envelope["content-encoding"] == "utf-8")
        #expect(envelope["headers"] == ["clock": 1, "expires": 1_000_001.0])
        let properties = try #require(envelope["properties"]?.objectValue)
        #expect(properties["delivery_mode"] == 2)
        #expect(properties["delivery_info"] == ["exchange": "celery.pidbox", "routing_key": ""])
        #expect(properties["priority"] == 0)
        #expect(properties["body_encoding"] == "base64")
        let tag = try #require(properties["delivery_tag"]?.stringValue)
        #expect(UUID(uuidString: tag) != nil && tag == tag.lowercased())

        let body = try KombuEnvelope.decode(message.payload).bodyJSON()
        #expect(body == [
            "method": "revoke",
            "arguments": ["task_id": ["id-1", "id-2"], "terminate": true, "signal": "SIGKILL"],
            "destination": nil, "pattern": nil, "matcher": nil,
        ])
    }

    @Test func broadcastToDestinationsAndHeartbeat() throws {
        let server = try RedisServerProcess.startBlocking()
        let listener = Self.pidboxListener(server.brokerURL(db: 2))
        defer { listener.stop() }
        let client = ControlClient(url: server.brokerURL(db: 2))
        #expect(client.pidboxChannel == "/2.celery.pidbox")
        try client.broadcast(.rateLimit(task: "app.add", rate: "1/s"), destination: ["w1@vm"])
        try client.requestHeartbeat()
        #expect(eventually { listener.inbox.statistics.received == 2 })
        let bodies = try listener.inbox.drainAll().map { try KombuEnvelope.decode($0.payload).bodyJSON() }
        #expect(bodies[0]["destination"] == ["w1@vm"])
        #expect(bodies[0]["arguments"]?["rate_limit"] == "1/s")
        #expect(bodies[1]["method"] == "heartbeat")
        #expect(bodies[1]["ticket"] == nil)
    }

    @Test func inspectRoundTripWithAFakeWorker() throws {
        let server = try RedisServerProcess.startBlocking()
        let active: JSONValue = [["id": "732ebc88", "name": "app.sleeper", "args": [12], "kwargs": [:]]]
        let worker = FakeWorker(url: server.brokerURL(), result: active)
        #expect(worker.start())
        let client = ControlClient(url: server.brokerURL())

        let started = Date()
        let replies = try client.request(.active, timeout: 0.5)
        let elapsed = Date().timeIntervalSince(started)
        #expect(replies == ["w1@test": active])
        #expect(elapsed >= 0.45 && elapsed < 3)

        let seen = worker.finish()
        #expect(seen.failure == nil)
        let body = try #require(seen.body)
        #expect(body["method"] == "active")
        #expect(body["arguments"] == [:])
        #expect(body["reply_to"]?["exchange"] == "reply.celery.pidbox")
        let oid = try #require(body["reply_to"]?["routing_key"]?.stringValue)
        #expect(body["ticket"]?.stringValue?.isEmpty == false)

        // Cleaned up: binding removed, reply lists deleted.
        let check = try connected(server.brokerURL())
        #expect(try check.command(["SCARD", "_kombu.binding.reply.celery.pidbox"]) == .integer(0))
        let replyLists = PriorityBucket.allKeys(queue: "\(oid).reply.celery.pidbox")
        #expect(try check.command([Array("EXISTS".utf8)] + replyLists) == .integer(0))
    }

    @Test func inspectStopsEarlyWhenEveryDestinationAnswered() throws {
        let server = try RedisServerProcess.startBlocking()
        let worker = FakeWorker(url: server.brokerURL(db: 1), nodename: "w9@host")
        #expect(worker.start())
        let client = ControlClient(url: server.brokerURL(db: 1))
        let started = Date()
        let replies = try client.request(.ping, destination: ["w9@host"], timeout: 5)
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(replies == ["w9@host": ["ok": "pong"]])
        #expect(worker.finish().body?["destination"] == ["w9@host"])
    }

    @Test func inspectWithoutWorkersTimesOutEmpty() throws {
        let server = try RedisServerProcess.startBlocking()
        let client = ControlClient(url: server.brokerURL())
        #expect(try client.request(.ping, timeout: 0.3).isEmpty)
    }

    @Test func globalKeyprefixAppliesToChannelBindingAndLists() throws {
        let server = try RedisServerProcess.startBlocking()
        let options = TransportOptions(globalKeyprefix: "pfx:")
        let worker = FakeWorker(url: server.brokerURL(), options: options)
        #expect(worker.start())
        let client = ControlClient(url: server.brokerURL(), options: options)
        #expect(client.pidboxChannel == "pfx:/0.celery.pidbox")
        let replies = try client.request(.ping, destination: ["w1@test"], timeout: 3)
        #expect(replies == ["w1@test": ["ok": "pong"]])
        #expect(worker.finish().failure == nil)

        try client.pushTaskMessage(queue: "celery", priority: 5, message: Array("m".utf8))
        let check = try connected(server.brokerURL())
        let prefixed = Array("pfx:celery".utf8) + [0x06, 0x16] + Array("3".utf8)
        #expect(try check.command([Array("LLEN".utf8), prefixed]) == .integer(1))
        #expect(try client.lrange(key: PriorityBucket.key(queue: "celery", priority: 5)) == [Array("m".utf8)])
    }

    @Test func pushTaskMessageBucketsPriorities() throws {
        let server = try RedisServerProcess.startBlocking()
        let client = ControlClient(url: server.brokerURL())
        let cases: [(Int?, String)] = [(nil, "a"), (0, "b"), (1, "c"), (3, "d"), (5, "e"), (6, "f"), (9, "g"), (12, "h")]
        for (priority, message) in cases {
            try client.pushTaskMessage(queue: "custom_q", priority: priority, message: Array(message.utf8))
        }
        func list(_ step: Int) throws -> [String] {
            try client.lrange(key: PriorityBucket.key(queue: "custom_q", step: step)).map { String(decoding: $0, as: UTF8.self) }
        }
        // LPUSH puts the newest first.
        #expect(try list(0) == ["c", "b", "a"])
        #expect(try list(3) == ["e", "d"])
        #expect(try list(6) == ["f"])
        #expect(try list(9) == ["h", "g"])
        let check = try connected(server.brokerURL())
        #expect(try check.command([Array("LLEN".utf8), Array("custom_q".utf8) + [0x06, 0x16, 0x33]]) == .integer(2))
        #expect(try client.llen(key: Array("custom_q".utf8)) == 3)
    }

    @Test func readsQueueUnackedAndResultKeys() throws {
        let server = try RedisServerProcess.startBlocking()
        let seed = try connected(server.brokerURL())
        let message = #"{"body": "W1s0MCwgMl0sIHt9LCB7fV0=", "headers": {"task": "app.add"}}"#
        try seed.command(["HSET", "unacked", "tag-1", "[\(message), \"\", \"celery\"]"]).checked()
        try seed.command(["RPUSH", "celery", "q1", "q2"]).checked()
        let backend = try connected(server.brokerURL(db: 1))
        try backend.command(["SET", "celery-task-meta-abc", #"{"status": "SUCCESS", "args": [1]}"#]).checked()

        let broker = ControlClient(url: server.brokerURL())
        let unacked = try broker.hgetall("unacked")
        #expect(Set(unacked.keys) == ["tag-1"])
        #expect(try JSONValue.parse(try #require(unacked["tag-1"]))[2] == "celery")
        #expect(try broker.hget("unacked", field: "tag-1") == unacked["tag-1"])
        #expect(try broker.hget("unacked", field: "nope") == nil)
        #expect(try broker.lrange("celery") == [Array("q1".utf8), Array("q2".utf8)])
        #expect(try broker.lrange("celery", start: -1, stop: -1) == [Array("q2".utf8)])
        #expect(try broker.get("celery-task-meta-abc") == nil)

        let results = ControlClient(url: server.brokerURL(db: 1))
        let meta = try JSONValue.parse(try #require(try results.get("celery-task-meta-abc")))
        #expect(meta["args"] == [1])
        #expect(try results.clientList().contains("db=1"))
    }

    @Test func reconnectsAndRetriesOnceAfterABrokerRestart() throws {
        let server = try RedisServerProcess.startBlocking()
        let client = ControlClient(url: server.brokerURL())
        #expect(try client.revoke(ids: ["x"], terminate: false) == 0)
        server.kill()
        #expect(throws: RedisError.self) { try client.revoke(ids: ["x"], terminate: false) }
        try server.startBlocking()
        #expect(try client.revoke(ids: ["x"], terminate: false) == 0)
        // And once more with a connection that went stale while the server restarted.
        server.kill()
        try server.startBlocking()
        #expect(try client.revoke(ids: ["y"], terminate: false) == 0)
    }

    @Test func fakeableThroughThePort() throws {
        let server = try RedisServerProcess.startBlocking()
        let port: any BrokerControl = ControlClient(url: server.brokerURL())
        #expect(try port.pushTaskMessage(queue: "celery", priority: nil, message: [1, 2, 3]) == 1)
        #expect(try port.lrange("celery", start: 0, stop: -1) == [[1, 2, 3]])
    }
}
