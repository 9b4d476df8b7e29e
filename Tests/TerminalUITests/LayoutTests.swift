import Testing
@testable import TerminalUI

@Suite("Layout")
struct LayoutTests {
    @Test func fixedAndFillCoverTheArea() {
        let rows = Rect(x: 0, y: 0, width: 120, height: 36).rows([.fixed(1), .fixed(1), .fill(1), .fixed(1)])
        #expect(rows.map(\.height) == [1, 1, 33, 1])
        #expect(rows.map(\.y) == [0, 1, 2, 35])
    }

    @Test(arguments: [0, 1, 7, 13, 37, 99, 121])
    func splitsSumExactlyForOddSizes(size: Int) {
        let cases: [[Constraint]] = [
            [.percent(50), .percent(50)],
            [.percent(33), .percent(33), .percent(34)],
            [.percent(55), .fill(1)],
            [.fill(1), .fill(2), .fill(1)],
            [.fixed(3), .min(5), .fill(1)],
            [.min(4), .min(4)],
            [.fixed(2), .fixed(3)],
            [.percent(30), .fixed(10), .min(3)],
        ]
        for constraints in cases {
            let lengths = Layout.lengths(constraints, total: size)
            #expect(lengths.reduce(0, +) == size, "\(constraints) at \(size): \(lengths)")
            #expect(lengths.allSatisfy { $0 >= 0 })
            let rects = Rect(x: 3, y: 0, width: size, height: 1).columns(constraints, spacing: 0)
            #expect(rects.first?.x == 3)
            for (a, b) in zip(rects, rects.dropFirst()) { #expect(a.maxX == b.x) }
            #expect(rects.last?.maxX == 3 + size)
        }
    }

    @Test func spacingIsCountedAndSegmentsStayAdjacent() {
        let rects = Rect(x: 0, y: 0, width: 21, height: 1).columns([.fill(1), .fill(1), .fill(1)], spacing: 1)
        #expect(rects.map(\.width) == [7, 6, 6])
        #expect(rects.map(\.x) == [0, 8, 15])
        #expect(rects.last!.maxX == 21)
    }

    @Test func fillSharesByWeight() {
        #expect(Layout.lengths([.fill(1), .fill(3)], total: 100) == [25, 75])
        #expect(Layout.lengths([.fill(1), .fill(1)], total: 7) == [4, 3])
    }

    @Test func percentUsesLargestRemainder() {
        #expect(Layout.lengths([.percent(50), .percent(50)], total: 7) == [4, 3])
        #expect(Layout.lengths([.percent(60), .percent(40)], total: 119) == [71, 48])
    }

    @Test func tooSmallAreaShrinksFromTheEnd() {
        #expect(Layout.lengths([.fixed(1), .fixed(5), .fixed(3)], total: 4) == [1, 3, 0])
        #expect(Layout.lengths([.fixed(2), .min(10)], total: 6) == [2, 4])
    }

    @Test func rectHelpers() {
        let r = Rect(x: 2, y: 3, width: 10, height: 6)
        #expect(r.inset(by: 1) == Rect(x: 3, y: 4, width: 8, height: 4))
        #expect(r.inset(by: 4).isEmpty)
        #expect(r.centered(width: 4, height: 2) == Rect(x: 5, y: 5, width: 4, height: 2))
        #expect(r.centered(width: 40, height: 2).width == 10)
        #expect(r.row(2) == Rect(x: 2, y: 5, width: 10, height: 1))
        #expect(r.row(9).isEmpty)
        #expect(r.intersection(Rect(x: 10, y: 0, width: 5, height: 5)) == Rect(x: 10, y: 3, width: 2, height: 2))
    }
}
