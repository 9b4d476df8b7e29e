import Actions
import Monitor
import RedisLink

extension WorkerInspection {
    /// Fills the inspection from one worker's inspect replies, range-checking every value once.
    ///
    /// `stats` is the worker's `inspect stats` object, `active`/`reserved` its task lists and `queues`
    /// its `active_queues` list (docs/celery-wire.md, "Worker inspection"); nil: no answer in time.
    mutating func fold(stats: JSONValue?, active: JSONValue?, reserved: JSONValue?, queues: JSONValue?) {
        if let stats {
            let pool = stats["pool"]
            if let implementation = pool?["implementation"]?.stringValue { self.pool = WorkerInspection.poolName(implementation: implementation) }
            concurrency = checkedInt(pool?["max-concurrency"], in: 0...WorkerInspection.maxConcurrency)
            if let pids = pool?["processes"]?.arrayValue {
                processes = pids.prefix(WorkerInspection.maxConcurrency).compactMap { checkedInt($0, in: 1...Int(Int32.max)) }
            }
            prefetchCount = checkedInt(stats["prefetch_count"], in: 0...Int(Int32.max))
            uptime = checkedInt(stats["uptime"], in: 0...Int(Int32.max)).map(Double.init)
        } else {
            missing.append("stats")
        }
        if let active { (self.active, activeTotal) = tasks(active) } else { missing.append("active") }
        if let reserved { (self.reserved, reservedTotal) = tasks(reserved) } else { missing.append("reserved") }
        if let queues {
            let names = (queues.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            if queues.arrayValue == nil { rejected += 1 }
            self.queues = Array(names.prefix(WorkerInspection.maxQueues)).sorted()
        } else {
            missing.append("active_queues")
        }
    }

    private mutating func tasks(_ list: JSONValue) -> ([Task], Int) {
        guard let items = list.arrayValue else {
            rejected += 1
            return ([], 0)
        }
        var kept: [Task] = []
        for item in items.prefix(WorkerInspection.maxTasks) {
            guard let id = item["id"]?.stringValue, let name = item["name"]?.stringValue else {
                rejected += 1
                continue
            }
            var started: Double?
            if let value = item["time_start"]?.doubleValue {
                if WireRange.time.contains(value) { started = value } else { rejected += 1 }
            }
            kept.append(Task(id: id, name: name, started: started, workerPID: checkedInt(item["worker_pid"], in: 1...Int(Int32.max))))
        }
        return (kept, items.count)
    }

    private mutating func checkedInt(_ value: JSONValue?, in range: ClosedRange<Int>) -> Int? {
        guard let value, value != .null else { return nil }
        guard let number = value.doubleValue, number.isFinite, number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            rejected += 1
            return nil
        }
        return Int(number)
    }
}
