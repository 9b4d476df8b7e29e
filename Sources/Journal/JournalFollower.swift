import Foundation
import Monitor

/// A journal another process (a recorder) writes: read the recent history at start, then follow it.
///
/// Why: one writer per journal; a dashboard started while `retrytop record` runs must not write too,
/// but it should show what the recorder keeps. Every `followInterval` it reads the tasks written since
/// the last read (with a second of overlap: merging a task twice changes nothing) and the gaps.
/// Read-only: never creates or changes the journal. Batches submitted to it are dropped (the
/// recorder journals the same events).
public final class JournalFollower: JournalPort, @unchecked Sendable {
    public let configuration: JournalConfiguration
    private let mailbox: JournalMailbox
    private let lock = NSLock()
    private var stopping = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    public init(configuration: JournalConfiguration) {
        self.configuration = configuration
        mailbox = JournalMailbox(status: JournalStatus(mode: .following, path: configuration.path))
    }

    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "retrytop.journal-follow"
        self.thread = thread
        thread.start()
    }

    public func stop() {
        let wasRunning = lock.withLock {
            let running = thread != nil && !stopping
            stopping = true
            return running
        }
        if wasRunning { finished.wait() }
    }

    public func submit(_ batch: JournalBatch) {}

    public func take() -> JournalDelivery { mailbox.take() }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func run() {
        defer { finished.signal() }
        var reader: JournalReader?
        var lastWrite: Double?
        while !isStopping {
            do {
                if reader == nil {
                    let opened = try JournalReader(path: configuration.path)
                    lastWrite = try opened.newestWrite()
                    try mailbox.load(from: opened, configuration: configuration, now: configuration.clock())
                    reader = opened
                } else if let reader {
                    let newest = try reader.newestWrite()
                    let found = try reader.tasks(
                        since: 0, writtenAfter: (lastWrite ?? 0) - 1, limit: configuration.loadLimit, maxAttempts: configuration.maxAttempts)
                    lastWrite = newest ?? lastWrite
                    mailbox.post(tasks: found)
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
            let until = Date().addingTimeInterval(configuration.followInterval)
            while Date() < until, !isStopping { usleep(20_000) }
        }
    }
}
