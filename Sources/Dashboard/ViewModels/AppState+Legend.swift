import TerminalUI

extension AppState {
    /// The legend at the top of `?`: every column of the list the keys move in, from its column specs.
    ///
    /// The same specs title the pane's header, so the legend cannot name a column the pane lacks.
    public func legendLines() -> [HelpLine] {
        guard let pane = activeList else { return [] }
        // The 24 h view counts the journal's day, not the last minute.
        let day = pane == .rates && ratesFromJournal
        let columns = day ? RatesPane.dayColumns : pane.allColumns
        let label = { (column: ColumnSpec) in column.title.isEmpty ? "(bar)" : column.title }
        let width = columns.map { label($0).displayWidth }.max() ?? 0
        var lines = [HelpLine(kind: .heading, text: "Columns of " + (day ? "Rates, last 24 h (journal)" : pane.title))]
        for column in columns {
            lines.append(HelpLine(kind: .binding, text: TextWidth.fit(label(column), width: width) + "  " + column.meaning))
        }
        if pane != .workers, pane != .attempts { lines.append(HelpLine(kind: .binding, text: PaneInputs.unknownNameMeaning)) }
        lines.append(HelpLine(kind: .blank, text: ""))
        return lines
    }
}
