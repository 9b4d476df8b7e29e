import Monitor

/// Where the dashboard's events come from: the live broker or a recording.
///
/// Polled once per frame by the loop, on the loop's thread.
public protocol EventSource: AnyObject {
    /// Starts delivering (subscribes, or opens the recording).
    func start()
    /// Everything that arrived since the last poll.
    func poll() -> SourceUpdate
    /// Stops and releases threads and connections.
    func stop()
}
