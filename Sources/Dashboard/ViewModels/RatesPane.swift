import Monitor
import TerminalUI

/// The view model of the Rates pane: per task name, the last minute's counts and 15 minutes of retries.
public struct RatesPane: Sendable {
    public static let task = ColumnSpec("TASK", width: .fixed(8), meaning: "task name, without the shared module prefix named in the title")
    public static let received = ColumnSpec("RECV", width: .fixed(5), alignment: .right,
        meaning: "task-received in the last minute: attempts a worker took off the queue")
    public static let succeeded = ColumnSpec("OK", width: .fixed(5), alignment: .right, meaning: "task-succeeded in the last minute")
    public static let retried = ColumnSpec("RETRY", width: .fixed(5), alignment: .right, meaning: "task-retried in the last minute")
    public static let failed = ColumnSpec("FAIL", width: .fixed(4), alignment: .right,
        meaning: "task-failed in the last minute: final failures, no retry left")
    public static let failureRatio = ColumnSpec("FAIL%", width: .fixed(6), alignment: .right,
        meaning: "final failure rate: task-failed (no retry left) / attempts that ended, last minute")
    public static let attemptErrorRatio = ColumnSpec("ATT ERR%", width: .fixed(8), alignment: .right,
        meaning: "attempt error rate: attempts that raised (retried or failed) / attempts that ended, last minute")
    public static let history = ColumnSpec("LAST 15m", width: .fixed(15),
        meaning: "retries per minute over 15 minutes, one scale for all rows (H: the last 24 h from the journal)")
    /// The history column in the 24 h view (`H`): the journal's per-minute counts, bucketed to its width.
    public static let journalHistory = ColumnSpec("LAST 24h", width: .fixed(15),
        meaning: "retries over the last 24 hours from the journal, bucketed to the column's width, one scale for all rows")
    public static let topError = ColumnSpec("TOP ERROR", width: .fill(1), meaning: "the exception this name raised most often")

    /// The columns as the 24 h view (`H`) shows them, for the `?` legend: the same counts over the
    /// journal's last 24 hours.
    public static let dayColumns = [
        task,
        ColumnSpec(received.title, width: received.width, alignment: .right,
                   meaning: "task-received in the last 24 h (journal): attempts a worker took off the queue"),
        ColumnSpec(succeeded.title, width: succeeded.width, alignment: .right, meaning: "task-succeeded in the last 24 h (journal)"),
        ColumnSpec(retried.title, width: retried.width, alignment: .right, meaning: "task-retried in the last 24 h (journal)"),
        ColumnSpec(failed.title, width: failed.width, alignment: .right,
                   meaning: "task-failed in the last 24 h (journal): final failures, no retry left"),
        ColumnSpec(failureRatio.title, width: failureRatio.width, alignment: .right,
                   meaning: "final failure rate: task-failed (no retry left) / attempts that ended, last 24 h"),
        ColumnSpec(attemptErrorRatio.title, width: attemptErrorRatio.width, alignment: .right,
                   meaning: "attempt error rate: attempts that raised (retried or failed) / attempts that ended, last 24 h"),
        journalHistory, topError,
    ]

    public static let sortColumns = [retried, task, received, succeeded, failed, failureRatio, attemptErrorRatio]
    public static let allColumns = [task, received, succeeded, retried, failed, failureRatio, attemptErrorRatio, history, topError]

    /// The live series of a name only the journal has seen (24 h view): every count zero.
    static let noLiveRates = RateSeries(capacity: 1)

    public var inputs: PaneInputs

    public init(_ inputs: PaneInputs) {
        self.inputs = inputs
    }

    func fill(_ model: inout PaneModel, _ window: ListWindow, first firstID: String?, width: Int) {
        let monitor = inputs.monitor
        let now = inputs.now
        let glyphs = inputs.glyphs
        let journal = inputs.journalRates
        // In the 24 h view names only the journal has seen are rows too: the shared prefix is theirs as well.
        let prefix = journal.map { PaneInputs.commonPrefix(Array(Set(monitor.ratesByName.keys).union($0.names))) } ?? inputs.namePrefix
        model.title = journal == nil ? "Rates per minute" : "Rates, last 24 h (journal)"
        model.rightTitle = "\(window.total) names" + (prefix.isEmpty ? "" : ", \(prefix)\(glyphs.ellipsis)")
        let nameWidth = min(24, max(8, window.ids.map { $0.count - prefix.count }.max() ?? 8))
        let showError = width >= 90
        let showOK = width >= 56
        // A day's counts run to six digits: wider count columns in the 24 h view.
        let count = { (spec: ColumnSpec) in journal == nil ? spec : spec.width(.fixed(7)) }
        var columns = [
            RatesPane.task.width(.fixed(nameWidth)), count(RatesPane.received), count(RatesPane.succeeded), count(RatesPane.retried),
            count(RatesPane.failed), RatesPane.attemptErrorRatio, RatesPane.failureRatio,
            (journal == nil ? RatesPane.history : RatesPane.journalHistory).width(showError ? .fixed(15) : .fill(1)),
        ]
        if showError { columns.append(RatesPane.topError) }
        if !showOK { columns.remove(at: 2) }
        model.columns = columns.map(\.column)
        let lengths = Layout.lengths(columns.map(\.width), total: width, spacing: 1)
        let sparkWidth = min(15, lengths[showOK ? 7 : 6])
        let topErrors = RatesPane.topExceptionByName(monitor)
        let histories = Dictionary(uniqueKeysWithValues: window.ids.map { name -> (String, [Double]) in
            let counts: [Int] = if let journal {
                journal.history(.retried, name: name, buckets: sparkWidth, endingAt: now)
            } else {
                monitor.ratesByName[name]?.history(.retried, buckets: sparkWidth, bucketSeconds: 60, endingAt: now) ?? []
            }
            return (name, counts.map(Double.init))
        })
        // One scale for all rows, so a quiet task reads flat next to a storming one.
        let scale = max(1, histories.values.flatMap { $0 }.max() ?? 1)
        model.rows = window.ids.compactMap { name in
            guard let series = monitor.ratesByName[name] ?? (journal?.names.contains(name) == true ? RatesPane.noLiveRates : nil) else { return nil }
            let counts = RatesPane.counts(name, series: series, day: journal, now: now)
            let history = histories[name] ?? []
            let storming = inputs.stormNames.contains(name)
            var cells: [TableCell] = [
                TableCell(String(name.dropFirst(prefix.count)), style: storming ? inputs.style(.failureStrong) : nil),
                TableCell(NumberText.grouped(counts.received)),
                TableCell(NumberText.grouped(counts.succeeded), style: inputs.style(.success)),
                TableCell(NumberText.grouped(counts.retried), style: counts.retried > 0 ? inputs.style(.warning) : nil),
                TableCell(NumberText.grouped(counts.failed), style: counts.failed > 0 ? inputs.style(.failure) : nil),
                TableCell(counts.attemptErrorRatio.map(NumberText.percent) ?? glyphs.dash.description),
                TableCell(counts.failureRatio.map(NumberText.percent) ?? glyphs.dash.description),
                TableCell(Sparkline(values: history, maximum: scale).render(width: sparkWidth, glyphs: glyphs),
                          style: inputs.style(storming ? .failure : .warning)),
            ]
            if showError { cells.append(TableCell(ExceptionText.brief(topErrors[name]), style: inputs.style(.muted))) }
            if !showOK { cells.remove(at: 2) }
            return TableRow(cells)
        }
        model.emptyText = journal == nil ? "No task events yet." : "Nothing in the journal's last 24 h (H: the live view)."
        let retries = monitor.overallRates.total(.retried, window: 60, endingAt: now)
        let ratio = monitor.overallRates.failureRatio(window: 60, endingAt: now)
        var summary = [Span("\(NumberText.grouped(retries)) retries/min ", style: inputs.style(.warningStrong))]
        if let top = firstID { summary.append(Span("top \(top) ")) }
        let attemptErrors = RatesPane.attemptErrorRatio(monitor.overallRates, now: now)
        summary.append(Span("attempt errors \(attemptErrors.map(NumberText.percent) ?? glyphs.dash.description) "))
        summary.append(Span("final failures \(ratio.map(NumberText.percent) ?? glyphs.dash.description)"))
        if let journal {
            let counts = [RateKind.received, .succeeded, .retried, .failed].map { NumberText.grouped(journal.total($0, endingAt: now)) }
            summary.append(Span("  last 24 h: \(counts[0]) received, \(counts[1]) ok, \(counts[2]) retries, \(counts[3]) failures",
                                style: inputs.style(.muted)))
        }
        model.summary = summary
    }

    /// A name's counts as the pane shows them: the last minute live, or the last 24 h from the journal
    /// in the 24 h view (`day`, `H`).
    static func counts(_ name: String, series: RateSeries, day: JournalRates?, now: Double) -> RateCell {
        if let day { return day.totals(name, endingAt: now) }
        return RateCell(
            key: RateCell.Key(name: name, minute: RateCell.minute(of: now)), received: series.total(.received, window: 60, endingAt: now),
            succeeded: series.total(.succeeded, window: 60, endingAt: now), retried: series.total(.retried, window: 60, endingAt: now),
            failed: series.total(.failed, window: 60, endingAt: now))
    }

    /// Attempts that raised (task-retried or task-failed) over attempts that ended, in the last minute;
    /// nil when none ended. Beside `failureRatio`, which counts only final failures: mid-storm a task
    /// can fail 78% of its attempts and 0% of its tasks.
    static func attemptErrorRatio(_ series: RateSeries, now: Double) -> Double? {
        counts("", series: series, day: nil, now: now).attemptErrorRatio
    }

    /// The most frequent exception per task name, from the exception groups.
    static func topExceptionByName(_ monitor: MonitorState) -> [String: String] {
        var best: [String: (count: Int, sample: String)] = [:]
        for group in monitor.exceptionGroups.values {
            for (name, count) in group.names where count > best[name]?.count ?? 0 || (count == best[name]?.count && group.sample < best[name]?.sample ?? "") {
                best[name] = (count, group.sample)
            }
        }
        return best.mapValues(\.sample)
    }
}
