import Monitor

/// Plans a deterministic Celery retry storm (`docs/celery-wire.md`, "Event batches and fields") and its truth.
///
/// Each task goes received → started → retried ×N → received(retries=N, eta) → … → succeeded or
/// failed; the next attempt is often reserved by another worker. As on the wire, a worker reserves the
/// retry message (task-received, retries+1) within a millisecond or two of the attempt raising, so it
/// often arrives before that attempt's task-retried; some flushes are late (a busy worker), so a later
/// attempt's events can arrive before an earlier attempt's end from another worker. Each worker's clock
/// is monotonic in its send order; each worker sends worker-online first, then a heartbeat every 2 s of
/// storm time. Task events of one worker are grouped into `task.multi` messages per `BatchMix`.
public enum StormGenerator {
    /// Task names, one per exception kind of `ExceptionCorpus` (same index).
    public static let names = [
        "billing.tasks.charge_card", "inventory.tasks.sync_inventory", "reports.tasks.build_report",
        "notify.tasks.send_webhook", "orders.tasks.price_order", "mail.tasks.send_email",
    ]
    /// How often each name occurs, in the same order.
    static let nameWeights = [30, 22, 10, 20, 8, 10]

    /// Plans the storm; cost is linear in events (about a second per million).
    public static func generate(_ configuration: StormConfiguration) -> Storm {
        var random = StormRandom(seed: configuration.seed)
        let workerCount = max(1, configuration.workers)
        let hostnames = (0..<workerCount).map { "w\($0 + 1)@node-\(String($0 % 4 + 1))" }
        let pids = (0..<workerCount).map { _ in random.int(in: 1_000...60_000) }
        // span = events / rate (rate >= 1): below 2^63 microseconds for any event count that fits in memory.
        let spanMicros = Int64(configuration.span * 1_000_000)
        let backoffMicros = max(Int64(2_000), spanMicros / 100)

        var plans: [TaskPlan] = []
        var planned: [PlannedEvent] = []
        let taskCount = max(1, configuration.tasks)
        plans.reserveCapacity(taskCount)
        planned.reserveCapacity(configuration.events + workerCount * 4)
        let heartbeatEstimate = workerCount * (2 + Int(configuration.span / 2))
        var budget = max(0, configuration.events - heartbeatEstimate)
        let weightTotal = nameWeights.reduce(0, +)

        for index in 0..<taskCount {
            let perTask = Double(budget) / Double(taskCount - index)
            let meanRetries = max(0, (perTask - 3) / 3)
            let retries = min(configuration.maxRetries, Int(random.unit() * (2 * meanRetries + 1)))
            var roll = random.int(in: 0...(weightTotal - 1))
            var kind = 0
            while roll >= nameWeights[kind] { roll -= nameWeights[kind]; kind += 1 }
            var plan = TaskPlan(
                id: random.uuid(), kind: kind, detail: random.int(in: 10_000...99_999), retries: retries,
                failed: random.chance(configuration.failureShare), workers: [], received: [], started: [], ended: [], eta: [])
            var worker = Int32(random.int(in: 0...(workerCount - 1)))
            var received = Int64(random.unit() * Double(spanMicros) * 0.45)
            var eta: Int64?
            for attempt in 0...retries {
                if attempt > 0 {
                    let previousEnd = plan.ended[attempt - 1]
                    if workerCount > 1, random.chance(configuration.moveShare) {
                        let other = Int32(random.int(in: 0...(workerCount - 2)))
                        worker = other >= worker ? other + 1 : other
                    }
                    received = previousEnd + Int64(random.int(in: 100...1_500))
                    let countdown = backoffMicros << Int64(min(attempt - 1, 3))
                    eta = previousEnd + countdown + Int64(random.int(in: 0...999))
                }
                let started = (eta ?? received) + Int64(random.int(in: 200...3_000))
                let ended = started + Int64(random.int(in: 1_000...40_000))
                plan.workers.append(worker)
                plan.received.append(received)
                plan.started.append(started)
                plan.ended.append(ended)
                plan.eta.append(eta)
            }
            let task = Int32(index)
            for attempt in 0...retries {
                let worker = plan.workers[attempt]
                let number = Int32(attempt)
                planned.append(PlannedEvent(time: plan.received[attempt], kind: .taskReceived, worker: worker, task: task, attempt: number, clock: 0, processed: 0))
                planned.append(PlannedEvent(time: plan.started[attempt], kind: .taskStarted, worker: worker, task: task, attempt: number, clock: 0, processed: 0))
                let end: EventKind
                var at = plan.ended[attempt]
                if attempt < retries {
                    end = .taskRetried
                    at += Int64(random.int(in: 50...3_000))
                } else {
                    end = plan.failed ? .taskFailed : .taskSucceeded
                }
                planned.append(PlannedEvent(time: at, kind: end, worker: worker, task: task, attempt: number, clock: 0, processed: 0))
            }
            budget -= 3 * (retries + 1)
            plans.append(plan)
        }

        let lastTime = planned.reduce(Int64(0)) { max($0, $1.time) }
        for worker in 0..<workerCount {
            planned.append(PlannedEvent(time: -1_000, kind: .workerOnline, worker: Int32(worker), task: -1, attempt: 0, clock: 0, processed: 0))
            var beat = Int64(2_000_000)
            while beat <= lastTime + 2_000_000 {
                planned.append(PlannedEvent(time: beat, kind: .workerHeartbeat, worker: Int32(worker), task: -1, attempt: 0, clock: 0, processed: 0))
                beat += 2_000_000
            }
        }

        let (ordered, starts) = schedule(planned, workers: workerCount, batch: configuration.batch, random: &random)
        var truth = StormTruth(workers: hostnames)
        for plan in plans {
            truth.tasks[plan.id] = TaskTruth(
                id: plan.id, name: names[plan.kind], state: plan.failed ? .failure : .success, retries: plan.retries,
                attempts: plan.retries + 1, workers: plan.workers.map { hostnames[Int($0)] })
        }
        return Storm(
            configuration: configuration, truth: truth, hostnames: hostnames, pids: pids, plans: plans,
            events: ordered, messageStarts: starts)
    }

    /// Assigns clocks in each worker's send order, groups task events into messages, and merges the
    /// workers' message streams by publish time (each worker's own order kept).
    static func schedule(
        _ planned: [PlannedEvent], workers: Int, batch: BatchMix, random: inout StormRandom
    ) -> ([PlannedEvent], [Int32]) {
        var perWorker = [[Int]](repeating: [], count: workers)
        for index in planned.indices { perWorker[Int(planned[index].worker)].append(index) }
        struct Outgoing {
            var publish: Int64
            var worker: Int
            var sequence: Int
            var events: Range<Int>
        }
        var outgoing: [Outgoing] = []
        var staged: [PlannedEvent] = []
        staged.reserveCapacity(planned.count)
        for worker in 0..<workers {
            let sequence = perWorker[worker].sorted { lhs, rhs in
                let left = planned[lhs], right = planned[rhs]
                return left.time != right.time ? left.time < right.time : lhs < rhs
            }
            var clock = Int32(random.int(in: 1...50))
            var processed: Int32 = 0
            var lastPublish = Int64.min
            var position = 0
            var messageIndex = 0
            while position < sequence.count {
                let first = planned[sequence[position]]
                let size = first.kind.isTaskEvent ? batch.nextSize(&random) : 1
                let start = staged.count
                var lastTime = first.time
                while position < sequence.count, staged.count - start < size {
                    var event = planned[sequence[position]]
                    if staged.count > start, !event.kind.isTaskEvent { break }
                    clock += 1
                    event.clock = clock
                    switch event.kind {
                    case .taskSucceeded, .taskFailed, .taskRetried: processed += 1
                    case .workerHeartbeat, .workerOnline: event.processed = processed
                    default: break
                    }
                    lastTime = event.time
                    staged.append(event)
                    position += 1
                }
                var delay = Int64(random.int(in: 0...2_000))
                if random.chance(0.02) { delay += Int64(random.int(in: 20_000...80_000)) }
                let publish = max(lastPublish, lastTime + delay)
                lastPublish = publish
                outgoing.append(Outgoing(publish: publish, worker: worker, sequence: messageIndex, events: start..<staged.count))
                messageIndex += 1
            }
        }
        outgoing.sort { lhs, rhs in
            if lhs.publish != rhs.publish { return lhs.publish < rhs.publish }
            if lhs.worker != rhs.worker { return lhs.worker < rhs.worker }
            return lhs.sequence < rhs.sequence
        }
        var ordered: [PlannedEvent] = []
        ordered.reserveCapacity(staged.count)
        var starts: [Int32] = []
        starts.reserveCapacity(outgoing.count + 1)
        for message in outgoing {
            starts.append(Int32(ordered.count))
            ordered.append(contentsOf: staged[message.events])
        }
        starts.append(Int32(ordered.count))
        return (ordered, starts)
    }
}
