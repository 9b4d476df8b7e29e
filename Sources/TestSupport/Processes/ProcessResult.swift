/// What a finished command printed and how it ended (see ``ProcessRunner``).
public struct ProcessResult: Sendable {
    /// The executable's path followed by its arguments.
    public let command: [String]
    /// The exit status, or the signal number when a signal ended it.
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// True when the runner had to stop the command because its timeout passed.
    public let timedOut: Bool

    public var succeeded: Bool { !timedOut && status == 0 }

    /// Returns self when the command succeeded; otherwise throws a `HarnessError` with its stderr.
    @discardableResult
    public func check() throws -> ProcessResult {
        guard succeeded else {
            let how = timedOut ? "timed out" : "exited with status \(status)"
            throw HarnessError(
                "`\(command.joined(separator: " "))` \(how)\nstderr:\n\(stderr)\nstdout:\n\(stdout)")
        }
        return self
    }
}
