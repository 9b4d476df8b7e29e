import Foundation
import Threading

/// Listens for `+switch-master` on the first sentinel that answers and reports each switch of one master.
///
/// Why: a sentinel announces the new master the moment it promotes it, seconds before the old master
/// is demoted and cuts its clients; the subscriber uses this to start reading the new master while it
/// still drains the old one. Losing the watch loses nothing but speed: the subscriber also re-asks the
/// sentinels on every reconnect.
///
/// Invariants: one thread per `start()`; `onSwitch` runs on that thread, only for `masterName`. A sentinel
/// that fails is left for the next one in URL order, round and round, with `retryDelay` between rounds.
/// `stop()` returns within about one connect plus one read timeout.
public final class SentinelWatch: @unchecked Sendable {
    private let settings: SentinelSettings
    private let masterName: String
    private let timeouts: RedisConnection.Timeouts
    private let onSwitch: @Sendable (MasterSwitch) -> Void
    private let thread = StoppableThread(name: "rt.sentinel")

    /// Seconds between rounds over all sentinels when none could be subscribed to.
    static let retryDelay = 0.5

    public init(
        settings: SentinelSettings, masterName: String, timeouts: RedisConnection.Timeouts,
        onSwitch: @escaping @Sendable (MasterSwitch) -> Void
    ) {
        self.settings = settings
        self.masterName = masterName
        self.timeouts = timeouts
        self.onSwitch = onSwitch
    }

    public func start() {
        thread.start { [self] _ in run() }
    }

    /// Stops the watch and waits for its thread.
    public func stop() {
        thread.stop()
    }

    private var isStopRequested: Bool { thread.isStopRequested }

    private func run() {
        var index = 0
        while !isStopRequested {
            let node = settings.nodes[index % settings.nodes.count]
            index += 1
            let connection = RedisConnection.sentinel(node, settings: settings, timeouts: timeouts)
            do {
                try connection.connect()
                try connection.append(["SUBSCRIBE", MasterSwitch.channel])
                try listen(connection)
            } catch {
                // Next sentinel; pause after a whole round failed.
                if index % settings.nodes.count == 0 { thread.wait(seconds: Self.retryDelay) }
            }
            connection.close()
        }
    }

    /// Reads messages until the stop or a failure; a read timeout is only a chance to check the stop.
    private func listen(_ connection: RedisConnection) throws {
        try connection.setIOTimeout(Self.readTimeout)
        while !isStopRequested {
            guard let reply = try connection.readReplyOrTimeout({ RedisConnection.copy($0) }) else { continue }
            guard let items = reply.elements, items.count == 3, items[0].text == "message",
                  let payload = items[2].text, let change = MasterSwitch(message: payload), change.masterName == masterName
            else { continue }
            onSwitch(change)
        }
    }

    /// How often an idle watch checks for a stop, seconds.
    static let readTimeout = 0.5
}
