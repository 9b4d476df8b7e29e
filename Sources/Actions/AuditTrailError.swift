import Monitor

/// An audit record could not be written (and flushed) where the trail keeps them.
///
/// Why a value of its own: an action whose record cannot be written is refused, and the user gets one
/// line that says where and why (`strerror` text, never a Foundation error dump).
public struct AuditTrailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or, later, the journal) that could not be written.
    public var location: String
    /// Why, in one line (`Permission denied`, `Not a directory`, …).
    public var reason: String

    public init(location: String, reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "cannot write the audit log \(location): \(reason)" }
}
