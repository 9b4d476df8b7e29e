import Foundation
import Synchronization

/// Set by SIGINT, SIGTERM or SIGHUP, polled by the loops so they can stop cleanly.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    private static let shared = StopFlag()

    var isSet: Bool { flag.load(ordering: .relaxed) }

    func set() { flag.store(true, ordering: .relaxed) }

    static func installForInterrupts() -> StopFlag {
        signal(SIGINT) { _ in StopFlag.shared.set() }
        signal(SIGTERM) { _ in StopFlag.shared.set() }
        signal(SIGHUP) { _ in StopFlag.shared.set() }
        return shared
    }
}
