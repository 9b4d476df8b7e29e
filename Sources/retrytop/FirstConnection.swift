import ArgumentParser
import Foundation
import Monitor
import RedisLink

/// Watches a one-shot command's subscriber until its first connection, and ends the command with one
/// stderr line and a non-zero status when that connection never happens.
///
/// Why: `snapshot` and `events` used to exit 0 with an empty document when the broker was down, the
/// port spoke HTTP or the password was wrong. Only the first connection matters: once connected, a
/// later drop is the subscriber's to reconnect (and is reported as a gap). The first failed attempt
/// ends the command at once (refused, not Redis and a wrong password do not heal by waiting).
struct FirstConnection {
    private(set) var everConnected = false

    /// Notes `state`; returns the verdict when the first attempt failed before any connection.
    mutating func observe(_ state: ConnectionState) -> NeverConnected? {
        if state.phase == .connected || state.phase == .reconnecting || state.reconnects > 0 { everConnected = true }
        guard !everConnected, state.phase == .connecting, state.attempt >= 1 else { return nil }
        return NeverConnected(reason: state.reason, redactedURL: state.redactedURL, waited: 0)
    }

    /// The verdict at the end of the wait: nil if a connection was ever made.
    func atDeadline(_ state: ConnectionState, waited seconds: Double) -> NeverConnected? {
        if everConnected || state.phase == .connected || state.reconnects > 0 { return nil }
        return NeverConnected(reason: state.reason, redactedURL: state.redactedURL, waited: seconds)
    }

    /// Writes the verdict's line to stderr and ends the command with its status.
    static func fail(_ verdict: NeverConnected) -> ExitCode {
        FileHandle.standardError.write(Data((verdict.line + "\n").utf8))
        return ExitCode(verdict.exitStatus)
    }
}
