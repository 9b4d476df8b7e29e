import Actions
import Monitor
import TerminalUI

extension AppState {
    /// The detail of task `id` laid out in `content`; nil when the task is no longer tracked.
    public func taskDetailModel(_ id: String, in content: Rect) -> TaskDetailModel? {
        guard let task = viewed.tasks[id] else { return nil }
        let gapLine = gapNotice(task)
        let layout = DetailLayout(content: content, attemptCount: task.attempts.count, factLines: DetailLayout.factLines + (gapLine == nil ? 0 : 1))
        let label = theme[.muted]
        let dash = glyphs.dash.description
        let title: [Span] = [
            Span(" \(glyphs.back) ", style: theme[.accent]),
            Span(task.name ?? AppState.unknownName(of: task), style: theme[.strong]),
            Span("  \(task.id)"),
        ]
        var titleRight: [Span] = [Span(task.state.rawValue, style: style(of: task.state).bold())]
        var attemptLabel = "  attempt \(attemptText(task))"
        if isLastAttempt(task) { attemptLabel += " (last)" }
        titleRight.append(Span(attemptLabel + " ", style: isLastAttempt(task) ? theme[.failureStrong] : theme[.strong]))
        if marks.contains(id) { titleRight.insert(Span("\(glyphs.mark) marked  ", style: theme[.info]), at: 0) }

        let wide = content.width >= 120
        func short(_ value: String?) -> String {
            guard let value else { return dash }
            if value == task.id { return "self" }
            return wide ? value : String(value.prefix(8)) + glyphs.ellipsis
        }
        var facts: [[Span]] = []
        facts.append([
            Span(" args ", style: label), Span(task.args ?? dash),
            Span("   kwargs ", style: label), Span(task.kwargs ?? dash),
        ])
        facts.append([
            Span(" queue ", style: label), Span(task.queue ?? dash),
            Span("   routing key ", style: label), Span(task.routingKey ?? dash),
            Span("   worker ", style: label), Span(task.worker ?? dash),
            Span("   first seen ", style: label), Span(TimeText.clock(task.firstSeen)),
            Span("   updated ", style: label), Span(TimeText.clock(task.lastUpdate)),
        ])
        var links: [Span] = [
            Span(" root ", style: label), Span(short(task.rootID)),
            Span("   parent ", style: label), Span(short(task.parentID)),
        ]
        if let copy = task.requeuedAs { links += [Span("   requeued as ", style: label), Span(copy, style: theme[.info])] }
        if let original = task.requeueOf { links += [Span("   requeue of ", style: label), Span(original, style: theme[.info])] }
        if let sent = task.revokeSentAt {
            links.append(Span("   revoke sent \(TimeText.clock(sent)), waiting for task-revoked", style: theme[.revoked]))
        }
        if let revocation = task.revocation {
            var text = "   revoked \(TimeText.clock(revocation.at))"
            if revocation.terminated { text += " (terminated" + (revocation.signum.map { ", signal \($0)" } ?? "") + ")" }
            if revocation.expired { text += " (expired)" }
            links.append(Span(text, style: theme[.revoked]))
        }
        links += backfillFacts(task, label: label)
        facts.append(links)
        if let name = task.name, let policy = policies[name] {
            facts.append([Span(" policy ", style: label), Span(AppState.policyText(policy))])
        } else {
            facts.append([Span(" policy ", style: label), Span("unknown (p asks the workers: inspect registered)", style: theme[.muted])])
        }

        if let gapLine { facts.append(gapLine) }

        let attempts = paneModel(.attempts, in: layout.attempts)
        var previewTitle = "Traceback"
        var previewLines: [String] = []
        let rows = max(0, layout.preview.height - 2)
        if let number = selectedID(in: .attempts).flatMap({ Int($0) }) {
            if let text = viewed.traceback(taskID: id, attempt: number) {
                previewTitle = "Traceback of attempt \(number), last lines (t opens the viewer)"
                previewLines = Array(TracebackLayout.lines(text).suffix(rows))
            } else if let latest = task.attempts.last(where: { $0.number < number && viewed.traceback(taskID: id, attempt: $0.number) != nil }),
                      let text = viewed.traceback(taskID: id, attempt: latest.number) {
                previewTitle = "Traceback of attempt \(latest.number), the latest that raised (select it and press t)"
                previewLines = Array(TracebackLayout.lines(text).suffix(rows))
            } else {
                previewTitle = "Attempt \(number)"
                previewLines = ["No traceback for this attempt."]
            }
        }
        return TaskDetailModel(
            title: title, titleRight: titleRight, facts: facts, attempts: attempts,
            previewTitle: previewTitle, previewLines: previewLines, attemptCount: task.attempts.count
        )
    }

    /// The fact line saying that the task's history spans a window in which events may be missing
    /// (the newest such gap, and how many more), or nil when it spans none.
    ///
    /// A task's history runs from its first event to its last one if it finished, else to `now`
    /// (an event it is still waiting for may have been lost).
    func gapNotice(_ task: TaskRecord) -> [Span]? {
        let upper = task.state.isFinished ? task.lastUpdate : max(now, task.lastUpdate)
        // The live link's gaps, like the header: a gap that opens while `Z` freezes the panes still counts.
        let spanned = link.connection.gaps(overlapping: task.firstSeen, upper, now: now)
        guard let gap = spanned.last else { return nil }
        let between = glyphs.dash == "—" ? "–" : "-"
        var text = " \(glyphs.warning) events may be missing: gap \(TimeText.clock(gap.from))\(between)"
            + (gap.to.map { TimeText.clock($0) } ?? "now") + " (\(gap.reason))"
        if spanned.count > 1 { text += " and \(spanned.count - 1) more" }
        return [Span(text, style: theme[.warningStrong])]
    }

    /// Where the task's facts came from when not only from events, and what backfill could not trust.
    func backfillFacts(_ task: TaskRecord, label: Style) -> [Span] {
        var spans: [Span] = []
        if task.sources != TaskSources([.events]), !task.sources.isEmpty {
            spans += [Span("   from ", style: label), Span(task.sources.list.map(\.rawValue).joined(separator: ", "))]
        }
        if let stored = task.contradictedBackendState {
            spans.append(Span("   result backend says \(stored.rawValue) (not trusted)", style: theme[.warning]))
        }
        if task.backfill?.revokedByWorkers == true {
            spans.append(Span("   revoked on the workers before retrytop started: discarded at its ETA, never runs", style: theme[.revoked]))
        }
        if task.backfill?.message?.redeliveryExpected == true {
            spans.append(Span("   ETA past visibility_timeout: will be redelivered and may run twice", style: theme[.failureStrong]))
        }
        return spans
    }

    /// The name shown for a task without one: a result record without `result_extended` says how to fix it.
    static func unknownName(of task: TaskRecord) -> String {
        task.sources == TaskSources([.resultBackend])
            ? "(name unknown: workers need result_extended=True)"
            : "(unknown name)"
    }

    /// The policy in words: manual or automatic retries first, Celery's default maximum named as one.
    ///
    /// A task without `autoretry_for` retries only when its code calls `self.retry()`, and every task
    /// has `max_retries=3` unless it sets another: "manual retries, default max 3" says both.
    static func policyText(_ policy: RetryPolicy) -> String {
        let kind = policy.autoretryFor.isEmpty ? "manual retries (self.retry())" : "automatic retries"
        let isDefaultMax = policy.maxRetries == AppState.celeryDefaultMaxRetries
        let max = isDefaultMax ? ", default max \(AppState.celeryDefaultMaxRetries)" : ""
        return "\(kind)\(max); \(policy.summary)"
    }

    /// Celery's `Task.max_retries` when a task does not set it.
    static let celeryDefaultMaxRetries = 3
}
