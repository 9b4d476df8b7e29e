import TerminalUI

/// Where the five overview panes go for a content area, from 80x24 up to 200x60 and beyond.
///
/// - Wide (≥ 100 columns and ≥ 26 content rows): two columns, Retrying over Active on the left, Rates,
///   Workers and Failed on the right; the Workers pane is as tall as its workers (up to 8 rows).
/// - Compact (smaller): the focused pane fills the area and each other pane collapses to a one-line
///   summary, so an 80x24 terminal still shows every pane and Tab expands the next one.
public struct OverviewLayout: Sendable, Equatable {
    public enum Mode: Sendable, Equatable { case compact, wide }

    public var mode: Mode
    /// Panes drawn as full boxes.
    public var expanded: [PaneID: Rect] = [:]
    /// Panes drawn as one-line summaries (compact mode).
    public var collapsed: [PaneID: Rect] = [:]

    public init(content: Rect, focused: PaneID, workerCount: Int) {
        if content.width >= 100 && content.height >= 26 {
            mode = .wide
            let columns = content.columns([.fill(11), .fill(9)])
            let left = columns[0].rows([.fill(3), .fill(2)])
            expanded[.retrying] = left[0]
            expanded[.active] = left[1]
            let workerRows = min(max(workerCount, 1), 8) + 3
            let right = columns[1].rows([.fill(1), .fixed(workerRows), .fill(1)])
            expanded[.rates] = right[0]
            expanded[.workers] = right[1]
            expanded[.failed] = right[2]
        } else {
            mode = .compact
            let others = PaneID.overview.filter { $0 != focused }
            var constraints: [Constraint] = []
            for pane in PaneID.overview { constraints.append(pane == focused ? .fill(1) : .fixed(1)) }
            let rows = content.rows(constraints)
            for (pane, rect) in zip(PaneID.overview, rows) {
                if others.contains(pane) { collapsed[pane] = rect } else { expanded[pane] = rect }
            }
        }
    }

    /// Table body rows of an expanded pane (inside the border, below the column header).
    public func bodyRows(_ pane: PaneID) -> Int {
        guard let rect = expanded[pane] else { return 0 }
        return max(0, rect.height - 3)
    }
}
