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
    public static let history = ColumnSpec("LAST 15m", width: .fixed(15), meaning: "retries per minute over 15 minutes, one scale for all rows")
    public static let topError = ColumnSpec("TOP ERROR", width: .fill(1), meaning: "the exception this name raised most often")

    public static let sortColumns = [retried, task, received, succeeded, failed, failureRatio, attemptErrorRatio]
    public static let allColumns = [task, received, succeeded, retried, failed, failureRatio, attemptErrorRatio, history, topError]

    public var inputs: PaneInputs

    public init(_ inputs: PaneInputs) {
        self.inputs = inputs
    }

    func fill(_ model: inout PaneModel, _ window: ListWindow, first firstID: String?, width: Int) {
        let monitor = inputs.monitor
        let now = inputs.now
        let glyphs = inputs.glyphs
        let prefix = inputs.namePrefix
        model.title = "Rates per minute"
        model.rightTitle = "\(window.total) names" + (prefix.isEmpty ? "" : ", \(prefix)\(glyphs.ellipsis)")
        let nameWidth = min(24, max(8, window.ids.map { $0.count - prefix.count }.max() ?? 8))
        let showError = width >= 90
        let showOK = width >= 56
        var columns = [
            RatesPane.task.width(.fixed(nameWidth)), RatesPane.received, RatesPane.succeeded, RatesPane.retried,
            RatesPane.failed, RatesPane.attemptErrorRatio, RatesPane.failureRatio, RatesPane.history.width(showError ? .fixed(15) : .fill(1)),
        ]
        if showError { columns.append(RatesPane.topError) }
        if !showOK { columns.remove(at: 2) }
        model.columns = columns.map(\.column)
        let lengths = Layout.lengths(columns.map(\.width), total: width, spacing: 1)
        let sparkWidth = min(15, lengths[showOK ? 7 : 6])
        let topErrors = RatesPane.topExceptionByName(monitor)
        let histories = Dictionary(uniqueKeysWithValues: window.ids.map { name in
            (name, monitor.ratesByName[name]?.history(.retried, buckets: sparkWidth, bucketSeconds: 60, endingAt: now).map(Double.init) ?? [])
        })
        // One scale for all rows, so a quiet task reads flat next to a storming one.
        let scale = max(1, histories.values.flatMap { $0 }.max() ?? 1)
        model.rows = window.ids.compactMap { name in
            guard let series = monitor.ratesByName[name] else { return nil }
            let retried = series.total(.retried, window: 60, endingAt: now)
            let failed = series.total(.failed, window: 60, endingAt: now)
            let ratio = series.failureRatio(window: 60, endingAt: now)
            let history = histories[name] ?? []
            let storming = inputs.stormNames.contains(name)
            var cells: [TableCell] = [
                TableCell(String(name.dropFirst(prefix.count)), style: storming ? inputs.style(.failureStrong) : nil),
                TableCell(NumberText.grouped(series.total(.received, window: 60, endingAt: now))),
                TableCell(NumberText.grouped(series.total(.succeeded, window: 60, endingAt: now)), style: inputs.style(.success)),
                TableCell(NumberText.grouped(retried), style: retried > 0 ? inputs.style(.warning) : nil),
                TableCell(NumberText.grouped(failed), style: failed > 0 ? inputs.style(.failure) : nil),
                TableCell(RatesPane.attemptErrorRatio(series, now: now).map(NumberText.percent) ?? glyphs.dash.description),
                TableCell(ratio.map(NumberText.percent) ?? glyphs.dash.description),
                TableCell(Sparkline(values: history, maximum: scale).render(width: sparkWidth, glyphs: glyphs),
                          style: inputs.style(storming ? .failure : .warning)),
            ]
            if showError { cells.append(TableCell(ExceptionText.brief(topErrors[name]), style: inputs.style(.muted))) }
            if !showOK { cells.remove(at: 2) }
            return TableRow(cells)
        }
        model.emptyText = "No task events yet."
        let retries = monitor.overallRates.total(.retried, window: 60, endingAt: now)
        let ratio = monitor.overallRates.failureRatio(window: 60, endingAt: now)
        var summary = [Span("\(NumberText.grouped(retries)) retries/min ", style: inputs.style(.warningStrong))]
        if let top = firstID { summary.append(Span("top \(top) ")) }
        let attemptErrors = RatesPane.attemptErrorRatio(monitor.overallRates, now: now)
        summary.append(Span("attempt errors \(attemptErrors.map(NumberText.percent) ?? glyphs.dash.description) "))
        summary.append(Span("final failures \(ratio.map(NumberText.percent) ?? glyphs.dash.description)"))
        model.summary = summary
    }

    /// Attempts that raised (task-retried or task-failed) over attempts that ended, in the last minute;
    /// nil when none ended. Beside `failureRatio`, which counts only final failures: mid-storm a task
    /// can fail 78% of its attempts and 0% of its tasks.
    static func attemptErrorRatio(_ series: RateSeries, now: Double) -> Double? {
        let raised = series.total(.retried, window: 60, endingAt: now) + series.total(.failed, window: 60, endingAt: now)
        let ended = raised + series.total(.succeeded, window: 60, endingAt: now)
        return ended > 0 ? Double(raised) / Double(ended) : nil
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
