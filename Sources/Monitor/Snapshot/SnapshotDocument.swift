/// The folded model as one JSON document: what `retrytop snapshot` prints (schema in the README).
///
/// Times are epoch seconds. Tasks are ordered by first sighting then id, workers by hostname, so two
/// snapshots of the same events are byte-identical.
public enum SnapshotDocument {
    public static let windows = [60, 300]

    public static func render(_ state: MonitorState, link: LinkStatus, now: Double, includeTracebacks: Bool = true) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.number("generated_at", now)
        json.number("latest_event_at", state.latestTimestamp == 0 ? nil : state.latestTimestamp)
        writeConnection(link.connection, now: now, into: &json)
        writeStats(state, link: link, into: &json)
        json.beginObject("counts")
        for taskState in TaskState.allCases.sorted() { json.int(taskState.rawValue, state.count(taskState)) }
        json.endObject()
        writeWorkers(state, now: now, into: &json)
        writeRates(state, now: now, into: &json)
        writeBackfill(link.backfill, into: &json)
        writeJournal(link.journal, into: &json)
        writeQueues(link.queues, into: &json)
        json.beginArray("tasks")
        let ordered = state.tasks.values.sorted { ($0.firstSeen, $0.key) < ($1.firstSeen, $1.key) }
        for task in ordered { writeTask(task, state: state, includeTracebacks: includeTracebacks, into: &json) }
        json.endArray()
        json.endObject()
        return json.output
    }

    static func writeConnection(_ connection: ConnectionState, now: Double, into json: inout JSONWriter) {
        json.beginObject("connection")
        json.string("phase", connection.phase.rawValue)
        json.string("broker", connection.redactedURL)
        json.string("transport", connection.transport.rawValue)
        json.string("pattern", connection.pattern)
        json.number("since", connection.since)
        json.int("attempt", connection.attempt)
        json.string("reason", connection.reason)
        json.int("reconnects", connection.reconnects)
        json.int("gaps_last_hour", connection.gapsInLastHour(now: now))
        json.beginArray("gaps")
        for gap in connection.gaps {
            json.beginObject()
            json.number("from", gap.from)
            json.number("to", gap.to)
            json.string("reason", gap.reason)
            json.endObject()
        }
        json.endArray()
        if let master = connection.master { json.string("master", master) }
        if let failover = connection.lastFailover {
            json.beginObject("last_failover")
            json.string("from", failover.from)
            json.string("to", failover.to)
            json.number("at", failover.at)
            json.number("followed_at", failover.followedAt)
            json.number("old_master_closed_at", failover.oldMasterClosedAt)
            json.int("old_master_messages", failover.oldMasterMessages)
            json.endObject()
        }
        json.endObject()
    }

    static func writeStats(_ state: MonitorState, link: LinkStatus, into json: inout JSONWriter) {
        let decode = link.decodeStats
        json.beginObject("stats")
        json.int("messages", decode.messages)
        json.int("events", decode.events)
        json.int("folded", state.stats.events)
        json.int("malformed", link.malformedTotal)
        json.int("unknown", decode.unknown)
        json.beginObject("malformed_by_kind")
        json.int("json", decode.malformedJSON)
        json.int("base64", decode.badBase64)
        json.int("fields", decode.badFields)
        json.int("oversized", decode.oversized + link.inboxOversized)
        json.int("content_type", decode.unsupportedContentType)
        json.int("batch_item", decode.badBatchItems)
        json.endObject()
        json.int("wrong_type_fields", decode.wrongTypeFields)
        json.int("out_of_range", decode.outOfRange)
        json.int("invalid_utf8_ids", decode.invalidUTF8IDs)
        json.beginObject("unknown_types")
        for (name, count) in decode.unknownTypes.sorted(by: { $0.key < $1.key }) { json.int(name, count) }
        json.endObject()
        json.int("inbox_dropped", link.inboxDropped)
        json.int("orphan_events", state.stats.orphanEvents)
        json.int("late_events", state.stats.lateEvents)
        json.int("evicted_tasks", state.stats.evictedTasks)
        json.beginObject("evicted_by_state")
        for taskState in TaskState.allCases.sorted() where state.stats.evictedByState[taskState] != nil {
            json.int(taskState.rawValue, state.stats.evictedByState[taskState])
        }
        json.endObject()
        json.int("dropped_attempts", state.stats.droppedAttempts)
        json.int("dropped_tracebacks", state.stats.droppedTracebacks)
        json.int("tracked_tasks", state.tasks.count)
        json.int("max_tasks", state.limits.maxTasks)
        json.int("max_failed_or_retrying_tasks", state.limits.maxFailedOrRetryingTasks)
        json.endObject()
    }

    static func writeWorkers(_ state: MonitorState, now: Double, into json: inout JSONWriter) {
        json.beginArray("workers")
        for worker in state.workers.values.sorted(by: { $0.hostname < $1.hostname }) {
            json.beginObject()
            json.string("hostname", worker.hostname)
            json.bool("online", worker.isOnline(at: now))
            json.int("active", worker.active)
            json.int("processed", worker.processed)
            json.number("last_heartbeat", worker.lastHeartbeat)
            json.number("offline_at", worker.offlineAt)
            json.number("freq", worker.freq)
            json.beginArray("loadavg")
            for load in worker.loadavg { json.number(nil, load) }
            json.endArray()
            json.int("pid", worker.pid)
            json.string("software", worker.software)
            json.int("succeeded", worker.succeeded)
            json.int("failed", worker.failed)
            json.int("retried", worker.retried)
            json.endObject()
        }
        json.endArray()
    }

    static func writeRates(_ state: MonitorState, now: Double, into json: inout JSONWriter) {
        json.beginObject("rates")
        json.beginArray("windows")
        for window in windows { json.int(nil, window) }
        json.endArray()
        writeSeries("overall", state.overallRates, now: now, into: &json)
        json.beginObject("by_name")
        for (name, series) in state.ratesByName.sorted(by: { $0.key < $1.key }) { writeSeries(name, series, now: now, into: &json) }
        json.endObject()
        json.endObject()
    }

    static func writeSeries(_ key: String, _ series: RateSeries, now: Double, into json: inout JSONWriter) {
        json.beginObject(key)
        for window in windows {
            json.beginObject(window == 60 ? "1m" : "\(window / 60)m")
            for kind in RateKind.allCases {
                json.number("\(kind.label)_per_s", series.perSecond(kind, window: window, endingAt: now))
            }
            for kind in RateKind.allCases {
                json.int(kind.label, series.total(kind, window: window, endingAt: now))
            }
            json.number("failure_ratio", series.failureRatio(window: window, endingAt: now))
            json.endObject()
        }
        json.endObject()
    }

    static func writeTask(_ task: TaskRecord, state: MonitorState, includeTracebacks: Bool, into json: inout JSONWriter) {
        json.beginObject()
        json.string("id", task.id)
        json.string("name", task.name)
        json.string("state", task.state.rawValue)
        json.int("retries", task.retries)
        json.string("worker", task.worker)
        json.string("args", task.args)
        json.string("kwargs", task.kwargs)
        json.string("queue", task.queue ?? task.routingKey)
        json.string("root_id", task.rootID)
        json.string("parent_id", task.parentID)
        json.number("eta", task.eta)
        json.number("expires", task.expires)
        json.string("result", task.result)
        json.number("first_seen", task.firstSeen)
        json.number("last_update", task.lastUpdate)
        json.number("next_attempt_at", task.nextAttemptAt)
        json.beginArray("sources")
        for source in task.sources.list { json.string(nil, source.rawValue) }
        json.endArray()
        json.string("backend_state", task.backfill?.backendState?.rawValue)
        json.bool("backend_state_contradicted", task.contradictedBackendState != nil)
        json.int("attempts_before_watching", task.attemptsBeforeWatching)
        json.int("priority", task.backfill?.message?.priority ?? task.backfill?.held?.priority)
        json.bool("redelivery_expected", task.backfill?.message?.redeliveryExpected == true)
        json.bool("revoked_by_workers", task.backfill?.revokedByWorkers == true)
        if let revocation = task.revocation {
            json.beginObject("revoked")
            json.bool("terminated", revocation.terminated)
            json.int("signum", revocation.signum)
            json.bool("expired", revocation.expired)
            json.number("at", revocation.at)
            json.endObject()
        } else {
            json.null("revoked")
        }
        json.string("requeued_as", task.requeuedAs)
        json.string("requeue_of", task.requeueOf)
        json.int("dropped_attempts", task.droppedAttempts)
        json.beginArray("attempts")
        for attempt in task.attempts {
            json.beginObject()
            json.int("number", attempt.number)
            json.string("worker", attempt.worker)
            json.number("received", attempt.received)
            json.number("started", attempt.started)
            json.number("ended", attempt.ended)
            json.number("runtime", attempt.runtime)
            json.string("outcome", attempt.outcome?.rawValue)
            json.bool("beginning_unseen", attempt.beginningUnseen)
            json.bool("from_journal", attempt.fromJournal)
            json.string("exception", attempt.exception)
            if includeTracebacks { json.string("traceback", state.tracebacks.text(taskID: task.key, attempt: attempt.number)) }
            json.number("eta", attempt.eta)
            json.number("retry_at", attempt.retryAt)
            json.number("backoff_wait", attempt.backoffWait)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    static func writeJournal(_ journal: JournalStatus, into json: inout JSONWriter) {
        json.beginObject("journal")
        json.string("mode", journal.mode.rawValue)
        json.string("path", journal.path)
        json.int("tasks_loaded", journal.tasksLoaded)
        json.number("oldest_record", journal.oldestRecord)
        json.beginArray("gaps")
        for gap in journal.gaps {
            json.beginObject()
            json.number("from", gap.from)
            json.number("to", gap.to)
            json.string("reason", gap.reason)
            json.endObject()
        }
        json.endArray()
        json.string("error", journal.error)
        json.int("behind", journal.behind)
        json.int("overflow", journal.overflow)
        json.endObject()
    }

    static func writeBackfill(_ backfill: BackfillStatus, into json: inout JSONWriter) {
        json.beginObject("backfill")
        json.bool("enabled", backfill.enabled)
        json.number("watching_since", backfill.watchingSince)
        json.bool("finished", backfill.isFinished)
        json.beginObject("sources")
        for report in backfill.reports {
            json.beginObject(report.source.rawValue)
            json.string("state", report.phase.rawValue)
            json.int("tasks_found", report.tasksFound)
            json.int("keys_scanned", report.keysScanned)
            json.int("total", report.total)
            json.int("malformed", report.malformed)
            json.bool("limited", report.limited)
            json.string("error", report.error)
            json.number("duration", report.duration)
            json.endObject()
        }
        json.endObject()
        json.endObject()
    }

    static func writeQueues(_ queues: QueueDepths, into json: inout JSONWriter) {
        json.beginObject("queues")
        json.number("read_at", queues.readAt)
        json.int("messages", queues.total)
        json.int("omitted", queues.omitted)
        json.string("error", queues.error)
        json.beginArray("by_queue")
        for queue in queues.queues {
            json.beginObject()
            json.string("name", queue.name)
            json.int("messages", queue.messages)
            json.beginArray("by_priority_step")
            for count in queue.bySteps { json.int(nil, count) }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }
}
