import TerminalUI

/// Draws the overview panes into the content area: expanded panes as boxes, collapsed ones as lines.
public struct OverviewView: Widget {
    public var layout: OverviewLayout
    public var panes: [PaneModel]

    public init(layout: OverviewLayout, panes: [PaneModel]) {
        self.layout = layout
        self.panes = panes
    }

    public func draw(in area: Rect, on grid: inout Grid) {
        for pane in panes {
            if let rect = layout.expanded[pane.pane] {
                grid.render(PaneView(pane), in: rect)
            } else if let rect = layout.collapsed[pane.pane] {
                grid.render(CollapsedPaneView(pane), in: rect)
            }
        }
    }
}
