/// The audit log file could not be written.
public struct AuditLogError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "cannot write the audit log \(path): \(message)" }
}
