import Monitor

/// One event of a storm in compact form (about 32 bytes), turned into a `CeleryEvent` only when sent.
///
/// Why compact: a 1,000,000-event storm is planned up front (publish order needs every event's time),
/// and full events with their strings would cost a gigabyte.
struct PlannedEvent: Sendable {
    /// Microseconds after the storm's start epoch.
    var time: Int64
    var kind: EventKind
    var worker: Int32
    /// Index into the storm's task plans; -1 for worker events.
    var task: Int32
    /// 0-based attempt of the task this event belongs to.
    var attempt: Int32
    /// The sender's Lamport clock, assigned in the worker's send order.
    var clock: Int32
    /// Heartbeats: the worker's processed count at that moment.
    var processed: Int32
}
