/// The folded model as one JSON document: what `retrytop snapshot` prints (schema in the README).
///
/// Times are epoch seconds. Tasks are ordered by first sighting then id, workers by hostname, so two
/// snapshots of the same events are byte-identical. Each section is one `JSONWriter.object` or `array`
/// whose body writes the fields in the schema's order.
public enum SnapshotDocument {
    public static let windows = [60, 300]

    public static func render(_ state: MonitorState, link: LinkStatus, now: Double, includeTracebacks: Bool = true) -> String {
        var json = JSONWriter()
        json.object { json in
            json.number("generated_at", now)
            json.number("latest_event_at", state.latestTimestamp == 0 ? nil : state.latestTimestamp)
            writeConnection(link.connection, now: now, into: &json)
            writeStats(state, link: link, into: &json)
            json.object("counts") { json in
                for taskState in TaskState.allCases.sorted() { json.int(taskState.rawValue, state.count(taskState)) }
            }
            writeWorkers(state, now: now, into: &json)
            writeRates(state, now: now, into: &json)
            writeBackfill(link.backfill, into: &json)
            writeJournal(link.journal, into: &json)
            writeQueues(link.queues, into: &json)
            let ordered = state.tasks.values.sorted { ($0.firstSeen, $0.key) < ($1.firstSeen, $1.key) }
            json.array("tasks", ordered) { json, task in
                writeTask(task, state: state, includeTracebacks: includeTracebacks, into: &json)
            }
        }
        return json.output
    }

    static func writeConnection(_ connection: ConnectionState, now: Double, into json: inout JSONWriter) {
        json.object("connection") { json in
            json.string("phase", connection.phase.rawValue)
            json.string("broker", connection.redactedURL)
            json.string("transport", connection.transport.rawValue)
            json.string("pattern", connection.pattern)
            json.number("since", connection.since)
            json.int("attempt", connection.attempt)
            json.string("reason", connection.reason)
            json.int("reconnects", connection.reconnects)
            json.int("gaps_last_hour", connection.gapsInLastHour(now: now))
            writeGaps(connection.gaps, into: &json)
            if let master = connection.master { json.string("master", master) }
            if let failover = connection.lastFailover {
                json.object("last_failover") { json in
                    json.string("from", failover.from)
                    json.string("to", failover.to)
                    json.number("at", failover.at)
                    json.number("followed_at", failover.followedAt)
                    json.number("old_master_closed_at", failover.oldMasterClosedAt)
                    json.int("old_master_messages", failover.oldMasterMessages)
                }
            }
        }
    }

    /// `"gaps": [{from, to, reason}]`, the same for the connection's gaps and the journal's.
    static func writeGaps(_ gaps: [ConnectionState.Gap], into json: inout JSONWriter) {
        json.array("gaps", gaps) { json, gap in
            json.object { json in
                json.number("from", gap.from)
                json.number("to", gap.to)
                json.string("reason", gap.reason)
            }
        }
    }

    static func writeStats(_ state: MonitorState, link: LinkStatus, into json: inout JSONWriter) {
        let decode = link.decodeStats
        json.object("stats") { json in
            json.int("messages", decode.messages)
            json.int("events", decode.events)
            json.int("folded", state.stats.events)
            json.int("malformed", link.malformedTotal)
            json.int("unknown", decode.unknown)
            json.object("malformed_by_kind") { json in
                json.int("json", decode.malformedJSON)
                json.int("base64", decode.badBase64)
                json.int("fields", decode.badFields)
                json.int("oversized", decode.oversized + link.inboxOversized)
                json.int("content_type", decode.unsupportedContentType)
                json.int("batch_item", decode.badBatchItems)
            }
            json.int("wrong_type_fields", decode.wrongTypeFields)
            json.int("out_of_range", decode.outOfRange)
            json.int("invalid_utf8_ids", decode.invalidUTF8IDs)
            json.object("unknown_types") { json in
                for (name, count) in decode.unknownTypes.sorted(by: { $0.key < $1.key }) { json.int(name, count) }
            }
            json.int("inbox_dropped", link.inboxDropped)
            json.int("orphan_events", state.stats.orphanEvents)
            json.int("late_events", state.stats.lateEvents)
            json.int("evicted_tasks", state.stats.evictedTasks)
            json.object("evicted_by_state") { json in
                for taskState in TaskState.allCases.sorted() where state.stats.evictedByState[taskState] != nil {
                    json.int(taskState.rawValue, state.stats.evictedByState[taskState])
                }
            }
            json.int("dropped_attempts", state.stats.droppedAttempts)
            json.int("dropped_tracebacks", state.stats.droppedTracebacks)
            json.int("tracked_tasks", state.tasks.count)
            json.int("max_tasks", state.limits.maxTasks)
            json.int("max_failed_or_retrying_tasks", state.limits.maxFailedOrRetryingTasks)
        }
    }

    static func writeWorkers(_ state: MonitorState, now: Double, into json: inout JSONWriter) {
        json.array("workers", state.workers.values.sorted(by: { $0.hostname < $1.hostname })) { json, worker in
            json.object { json in
                json.string("hostname", worker.hostname)
                json.bool("online", worker.isOnline(at: now))
                json.int("active", worker.active)
                json.int("processed", worker.processed)
                json.number("last_heartbeat", worker.lastHeartbeat)
                json.number("offline_at", worker.offlineAt)
                json.number("freq", worker.freq)
                json.array("loadavg", worker.loadavg) { $0.number(nil, $1) }
                json.int("pid", worker.pid)
                json.string("software", worker.software)
                json.int("succeeded", worker.succeeded)
                json.int("failed", worker.failed)
                json.int("retried", worker.retried)
            }
        }
    }

    static func writeRates(_ state: MonitorState, now: Double, into json: inout JSONWriter) {
        json.object("rates") { json in
            json.array("windows", windows) { $0.int(nil, $1) }
            writeSeries("overall", state.overallRates, now: now, into: &json)
            json.object("by_name") { json in
                for (name, series) in state.ratesByName.sorted(by: { $0.key < $1.key }) { writeSeries(name, series, now: now, into: &json) }
            }
        }
    }

    static func writeSeries(_ key: String, _ series: RateSeries, now: Double, into json: inout JSONWriter) {
        json.object(key) { json in
            for window in windows {
                json.object(window == 60 ? "1m" : "\(window / 60)m") { json in
                    for kind in RateKind.allCases {
                        json.number("\(kind.label)_per_s", series.perSecond(kind, window: window, endingAt: now))
                    }
                    for kind in RateKind.allCases {
                        json.int(kind.label, series.total(kind, window: window, endingAt: now))
                    }
                    json.number("failure_ratio", series.failureRatio(window: window, endingAt: now))
                }
            }
        }
    }

    static func writeTask(_ task: TaskRecord, state: MonitorState, includeTracebacks: Bool, into json: inout JSONWriter) {
        json.object { json in
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
            json.array("sources", task.sources.list) { $0.string(nil, $1.rawValue) }
            json.string("backend_state", task.backfill?.backendState?.rawValue)
            json.bool("backend_state_contradicted", task.contradictedBackendState != nil)
            json.int("attempts_before_watching", task.attemptsBeforeWatching)
            json.int("priority", task.backfill?.message?.priority ?? task.backfill?.held?.priority)
            json.bool("redelivery_expected", task.backfill?.message?.redeliveryExpected == true)
            json.bool("revoked_by_workers", task.backfill?.revokedByWorkers == true)
            if let revocation = task.revocation {
                json.object("revoked") { json in
                    json.bool("terminated", revocation.terminated)
                    json.int("signum", revocation.signum)
                    json.bool("expired", revocation.expired)
                    json.number("at", revocation.at)
                }
            } else {
                json.null("revoked")
            }
            json.string("requeued_as", task.requeuedAs)
            json.string("requeue_of", task.requeueOf)
            json.int("dropped_attempts", task.droppedAttempts)
            json.array("attempts", task.attempts) { json, attempt in
                writeAttempt(attempt, of: task, state: state, includeTracebacks: includeTracebacks, into: &json)
            }
        }
    }

    static func writeAttempt(_ attempt: Attempt, of task: TaskRecord, state: MonitorState, includeTracebacks: Bool, into json: inout JSONWriter) {
        json.object { json in
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
        }
    }

    static func writeJournal(_ journal: JournalStatus, into json: inout JSONWriter) {
        json.object("journal") { json in
            json.string("mode", journal.mode.rawValue)
            json.string("path", journal.path)
            json.int("tasks_loaded", journal.tasksLoaded)
            json.number("oldest_record", journal.oldestRecord)
            writeGaps(journal.gaps, into: &json)
            json.string("error", journal.error)
            json.int("behind", journal.behind)
            json.int("overflow", journal.overflow)
        }
    }

    static func writeBackfill(_ backfill: BackfillStatus, into json: inout JSONWriter) {
        json.object("backfill") { json in
            json.bool("enabled", backfill.enabled)
            json.number("watching_since", backfill.watchingSince)
            json.bool("finished", backfill.isFinished)
            json.object("sources") { json in
                for report in backfill.reports {
                    json.object(report.source.rawValue) { json in
                        json.string("state", report.phase.rawValue)
                        json.int("tasks_found", report.tasksFound)
                        json.int("keys_scanned", report.keysScanned)
                        json.int("total", report.total)
                        json.int("malformed", report.malformed)
                        json.bool("limited", report.limited)
                        json.string("error", report.error)
                        json.number("duration", report.duration)
                    }
                }
            }
        }
    }

    static func writeQueues(_ queues: QueueDepths, into json: inout JSONWriter) {
        json.object("queues") { json in
            json.number("read_at", queues.readAt)
            json.int("messages", queues.total)
            json.int("omitted", queues.omitted)
            json.string("error", queues.error)
            json.array("by_queue", queues.queues) { json, queue in
                json.object { json in
                    json.string("name", queue.name)
                    json.int("messages", queue.messages)
                    json.array("by_priority_step", queue.bySteps) { $0.int(nil, $1) }
                }
            }
        }
    }
}
