/// A child process that could not be started, or a loopback port that could not be found.
///
/// The message says what failed and why (`strerror` text); callers surface it as is.
public struct LaunchError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
