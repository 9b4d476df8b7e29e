import Testing
import RedisLink

/// The table of `docs/celery-wire.md`, "Event channels" the pidbox channel and prefix escaping.
@Suite struct EventChannelsTests {
    @Test func defaultOptions() {
        let channels = EventChannels(db: 2)
        #expect(channels.eventChannel(routingKey: "task.sent") == "/2.celeryev/task.sent")
        #expect(channels.eventPattern == "/2.celeryev/*")
        #expect(channels.pidboxChannel == "/2.celery.pidbox")
    }

    @Test func noDbMeansZero() throws {
        let url = try BrokerURL(parsing: "redis://host:6390")
        let channels = EventChannels(db: url.db)
        #expect(channels.eventChannel(routingKey: "task.sent") == "/0.celeryev/task.sent")
        #expect(channels.eventPattern == "/0.celeryev/*")
        #expect(channels.pidboxChannel == "/0.celery.pidbox")
    }

    @Test func fanoutPrefixFalse() {
        let channels = EventChannels(db: 2, options: .init(fanoutPrefix: .disabled))
        #expect(channels.eventChannel(routingKey: "task.sent") == "celeryev/task.sent")
        #expect(channels.eventPattern == "celeryev/*")
        #expect(channels.pidboxChannel == "celery.pidbox")
    }

    @Test func fanoutPatternsFalse() {
        let channels = EventChannels(db: 2, options: .init(fanoutPatterns: false))
        #expect(channels.eventChannel(routingKey: "task.sent") == "/2.celeryev")
        #expect(channels.eventPattern == "/2.celeryev")
        #expect(channels.pidboxChannel == "/2.celery.pidbox")
    }

    @Test func customFanoutPrefix() {
        let channels = EventChannels(db: 2, options: .init(fanoutPrefix: .custom("/myprefix.")))
        #expect(channels.eventChannel(routingKey: "task.sent") == "/myprefix.celeryev/task.sent")
        #expect(channels.eventPattern == "/myprefix.celeryev/*")
        #expect(channels.pidboxChannel == "/myprefix.celery.pidbox")
        #expect(EventChannels(db: 7, options: .init(fanoutPrefix: .custom("{db}:"))).eventPattern == "7:celeryev/*")
    }

    @Test func globalKeyprefixIsPrepended() {
        let channels = EventChannels(db: 0, options: .init(globalKeyprefix: "app1:"))
        #expect(channels.eventChannel(routingKey: "worker.heartbeat") == "app1:/0.celeryev/worker.heartbeat")
        #expect(channels.eventPattern == "app1:/0.celeryev/*")
        #expect(channels.pidboxChannel == "app1:/0.celery.pidbox")
    }

    @Test func globCharactersInPrefixesAreEscaped() {
        let channels = EventChannels(db: 0, options: .init(globalKeyprefix: "a*[b]?\\"))
        #expect(channels.eventPattern == "a\\*\\[b\\]\\?\\\\/0.celeryev/*")
        #expect(channels.pidboxChannel == "a*[b]?\\/0.celery.pidbox")
    }
}
