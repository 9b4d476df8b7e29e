import Foundation
import Monitor
import Threading

/// A journal another process (a recorder) writes: read the recent history at start, then follow it.
///
/// Why: one writer per journal; a dashboard started while `retrytop record` runs must not write too,
/// but it should show what the recorder keeps. Every `followInterval` it reads the tasks written since
/// the last read (with a second of overlap: merging a task twice changes nothing) and the gaps.
/// Read-only: never creates or changes the journal. Facts submitted to it are dropped (the recorder
/// journals the same events). About once a minute it also reads the last 24 h of rates (the Rates
/// pane's long view).
public final class JournalFollower: JournalPort, @unchecked Sendable {
    public let configuration: JournalConfiguration
    private let mailbox: JournalMailbox
    private let thread = StoppableThread(name: "rt.journal-read")

    public init(configuration: JournalConfiguration) {
        self.configuration = configuration
        mailbox = JournalMailbox(status: JournalStatus(mode: .following, path: configuration.path))
    }

    public func start() {
        thread.start { [self] thread in run(thread) }
    }

    /// Ends the reading thread and waits for it (at once: its wait between reads is woken).
    public func stop() {
        thread.stop()
    }

    public func submit(_ facts: JournalFacts) {}

    public func take() -> JournalDelivery { mailbox.take() }

    private func run(_ thread: StoppableThread) {
        var reader: JournalReader?
        var lastWrite: Double?
        var ratesReadAt = -Double.infinity
        repeat {
            do {
                if reader == nil {
                    let opened = try JournalReader(path: configuration.path)
                    lastWrite = try opened.newestWrite()
                    ratesReadAt = configuration.clock()
                    try mailbox.load(from: opened, configuration: configuration, now: ratesReadAt)
                    reader = opened
                } else if let reader {
                    let newest = try reader.newestWrite()
                    let found = try reader.tasks(
                        since: 0, writtenAfter: (lastWrite ?? 0) - 1, limit: configuration.loadLimit, maxAttempts: configuration.maxAttempts)
                    lastWrite = newest ?? lastWrite
                    mailbox.post(tasks: found)
                    let now = configuration.clock()
                    if now - ratesReadAt >= JournalWriter.ratesInterval {
                        ratesReadAt = now
                        try mailbox.loadRates(from: reader, now: now)
                    }
                    let gaps = try reader.gaps()
                    mailbox.update {
                        $0.setGaps(gaps)
                        $0.error = nil
                        $0.mode = .following
                    }
                }
            } catch {
                mailbox.update {
                    $0.error = error.description
                    $0.mode = .failed
                }
            }
        } while thread.wait(seconds: configuration.followInterval)
    }
}
