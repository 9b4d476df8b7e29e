/// A failure of the integration-test harness itself: a missing tool, a server that never became ready,
/// a command that failed or timed out.
///
/// The message says what to do about it (for example "run scripts/setup.sh"); tests surface it as a
/// failure, never as a skip, so a machine without the tools fails loudly instead of passing quietly.
public struct HarnessError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
