import Monitor

/// A `WorkerChange` addressed to workers, and why it is sent.
///
/// Why: the same change goes out three ways (applied from a dialog, restored by undo, re-applied to a
/// worker that came online), and the answer must find its way back to the entry in the changes list.
public struct WorkerChangeRequest: Sendable, Equatable {
    /// Why the request is sent.
    public enum Purpose: Sendable, Equatable {
        /// A new change: the workers' previous values are read first, so undo can restore them.
        case apply
        /// Restores the values recorded when change `id` was made.
        case undo(id: Int)
        /// Sends change `id` again to a worker that came online while retrytop runs.
        case reapply(id: Int)
    }

    public var change: WorkerChange
    /// Node names that should act; nil means every worker.
    public var destination: [String]?
    public var purpose: Purpose
    /// Workers expected to answer (online when it was sent), so the silent ones can be named.
    public var expected: [String]

    public init(change: WorkerChange, destination: [String]?, purpose: Purpose = .apply, expected: [String] = []) {
        self.change = change
        self.destination = destination
        self.purpose = purpose
        self.expected = expected
    }

    /// `all workers` or `w1@host, w2@host`.
    public var destinationText: String {
        destination.map { $0.joined(separator: ", ") } ?? "all workers"
    }
}
