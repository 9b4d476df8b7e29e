import ArgumentParser
import Foundation
import Synchronization

/// Set by SIGINT, SIGTERM or SIGHUP, polled by the loops so they can stop cleanly.
///
/// Remembers which signal asked (the first one): a command stopped by a signal still cleans up,
/// then exits with the conventional 128 + signal status (130 for Ctrl-C, 143 for SIGTERM) through
/// `exitIfInterrupted()`, so scripts and shells can tell an interruption from a clean finish.
final class StopFlag: Sendable {
    private let signalNumber = Atomic<Int32>(0)
    private static let shared = StopFlag()

    var isSet: Bool { signalNumber.load(ordering: .relaxed) != 0 }

    /// The signal that stopped the command, if one did.
    var signal: Int32? {
        let value = signalNumber.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Records `received` unless a signal already did (an atomic store is async-signal-safe).
    func set(_ received: Int32) {
        _ = signalNumber.compareExchange(expected: 0, desired: received, ordering: .relaxed)
    }

    /// Throws `ExitCode(128 + signal)` when a signal stopped the command; call after cleaning up.
    func exitIfInterrupted() throws {
        if let signal { throw ExitCode(128 + signal) }
    }

    static func installForInterrupts() -> StopFlag {
        Foundation.signal(SIGINT) { StopFlag.shared.set($0) }
        Foundation.signal(SIGTERM) { StopFlag.shared.set($0) }
        Foundation.signal(SIGHUP) { StopFlag.shared.set($0) }
        return shared
    }
}
