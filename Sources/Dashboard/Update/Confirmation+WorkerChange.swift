import Actions
import Monitor

extension Confirmation {
    /// Workers named in a dialog before "and N more".
    static let maxWorkersShown = 3

    /// A rate limit or consumer change: what changes on which workers, the effective total of a per-worker
    /// limit, and the caveats that matter (prefetch stalls, held tasks not released, worker memory only).
    static func workerChange(_ request: WorkerChangeRequest, online: [String], currentRate: String?) -> Confirmation {
        let workers = request.destination ?? online
        let on = request.destination == nil
            ? "every worker (\(workersText(online, online: true)))"
            : workersText(workers, online: false)
        var lines: [String] = []
        let title: String
        switch request.change {
        case .rateLimit(let task, let rate):
            let lifting = WorkerChange.isNoLimit(rate)
            title = lifting ? "Lift the rate limit of \(task)?" : "Rate-limit \(task) to \(rate)?"
            lines.append(lifting
                ? "Set rate_limit of \(task) to none on \(on)."
                : "Set rate_limit of \(task) to \(rate) on \(on).")
            if let currentRate { lines.append("Now: \(WorkerChange.rateText(currentRate)) (as inspect registered last reported).") }
            if !lifting, let perMinute = WorkerChange.perMinute(rate) {
                let count = workers.count
                let total = NumberText.compact((perMinute * Double(count) * 10).rounded() / 10)
                lines.append(count == 0
                    ? "The limit is per worker: no worker is online now, so the total depends on how many run."
                    : "The limit is per worker: \(count) \(count == 1 ? "worker" : "workers") × \(rate) = \(total)/m in total.")
                lines.append("Tasks held by a rate limit still fill each worker's prefetch window and stall its other tasks;")
                lines.append("lifting the limit later does not release the tasks already held.")
            } else {
                lines.append("Lifting the limit does not release tasks a worker already holds for it; they run as their turn comes.")
            }
        case .cancelConsumer(let queue):
            title = "Stop consuming queue \(queue)?"
            lines.append("cancel_consumer \(queue) on \(on): they take no new messages from it; the messages wait in the queue.")
            lines.append("Tasks a worker already holds (prefetched, or waiting for a retry's ETA) still run.")
        case .addConsumer(let queue):
            title = "Resume consuming queue \(queue)?"
            lines.append("add_consumer \(queue) on \(on): they take messages from it again.")
        }
        lines.append("Lives in worker memory only: retrytop re-applies it to a worker that comes online while it runs.")
        lines.append("Read back through inspect after sending; listed under the header until undone with U.")
        return Confirmation(title: title, lines: lines, effect: .changeWorkers([request]))
    }

    /// Undo of a change retrytop made: what is restored on which workers.
    static func undo(_ entry: WorkerChangeEntry) -> Confirmation {
        let requests = entry.undoRequests()
        var lines = ["Undo \(entry.change.summary) (made on \(entry.destination.map { $0.joined(separator: ", ") } ?? "every worker")).",
                     "Restores: \(entry.undoText)."]
        if case .rateLimit = entry.change {
            lines.append("Tasks a worker already holds for the limit are not released by lifting it; they run as their turn comes.")
        }
        return Confirmation(title: "Undo \(entry.change.summary)?", lines: lines, effect: .changeWorkers(requests))
    }

    /// `w1@vm, w2@vm and 3 more`, or `no worker online`.
    static func workersText(_ workers: [String], online: Bool) -> String {
        guard !workers.isEmpty else { return online ? "none online now" : "no worker" }
        var shown = workers.prefix(maxWorkersShown).joined(separator: ", ")
        if workers.count > maxWorkersShown { shown += " and \(workers.count - maxWorkersShown) more" }
        return online ? "\(workers.count) online: \(shown)" : shown
    }
}
