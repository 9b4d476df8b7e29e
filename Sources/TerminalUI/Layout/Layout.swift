/// Splits a rect into segments by constraints, so call sites never do `height - 5` arithmetic.
///
/// Invariant: the segments plus spacing always cover the area exactly (for any odd size).
/// Leftover space goes to `.fill` segments by weight, else shared by `.min` segments, else to the
/// `.percent` segments, else to the last segment. When the area is too small, segments are shrunk
/// from the last one backwards, so the first (usually a header) survives longest.
public struct Layout: Hashable, Sendable {
    public enum Direction: Hashable, Sendable { case horizontal, vertical }

    public var direction: Direction
    public var constraints: [Constraint]
    public var spacing: Int

    public init(_ direction: Direction, _ constraints: [Constraint], spacing: Int = 0) {
        self.direction = direction
        self.constraints = constraints
        self.spacing = max(0, spacing)
    }

    public func split(_ area: Rect) -> [Rect] {
        let total = direction == .horizontal ? area.width : area.height
        let lengths = Layout.lengths(constraints, total: total, spacing: spacing)
        var rects: [Rect] = []
        var cursor = direction == .horizontal ? area.x : area.y
        for (i, length) in lengths.enumerated() {
            let gap = i == 0 ? 0 : spacing
            cursor += gap
            switch direction {
            case .horizontal: rects.append(Rect(x: cursor, y: area.y, width: length, height: area.height))
            case .vertical: rects.append(Rect(x: area.x, y: cursor, width: area.width, height: length))
            }
            cursor += length
        }
        return rects
    }

    /// Segment lengths for `total` cells; `sum(lengths) + spacing * (count - 1) == total` when the
    /// spacing itself fits.
    public static func lengths(_ constraints: [Constraint], total: Int, spacing: Int = 0) -> [Int] {
        let count = constraints.count
        guard count > 0 else { return [] }
        let available = max(0, total - spacing * (count - 1))
        var lengths = Array(repeating: 0, count: count)
        var percentRemainders: [(index: Int, remainder: Int)] = []
        for (i, c) in constraints.enumerated() {
            switch c {
            case .fixed(let n), .min(let n): lengths[i] = max(0, n)
            case .percent(let p):
                let scaled = available * max(0, p)
                lengths[i] = scaled / 100
                percentRemainders.append((i, scaled % 100))
            case .fill: lengths[i] = 0
            }
        }
        var leftover = available - lengths.reduce(0, +)
        if leftover > 0 {
            let fills = constraints.enumerated().compactMap { i, c -> (Int, Int)? in
                if case .fill(let w) = c { return (i, max(0, w)) } else { return nil }
            }
            let mins = constraints.indices.filter { if case .min = constraints[$0] { return true } else { return false } }
            if !fills.isEmpty {
                distribute(leftover, weights: fills, into: &lengths)
            } else if !mins.isEmpty {
                distribute(leftover, weights: mins.map { ($0, 1) }, into: &lengths)
            } else if !percentRemainders.isEmpty {
                // Largest remainder first, so 50% + 50% of 7 is 4 + 3 and the sum stays exact.
                let order = percentRemainders.sorted { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
                var k = 0
                while leftover > 0 {
                    lengths[order[k % order.count].index] += 1
                    leftover -= 1
                    k += 1
                }
            } else {
                lengths[count - 1] += leftover
            }
        } else if leftover < 0 {
            var deficit = -leftover
            for i in stride(from: count - 1, through: 0, by: -1) where deficit > 0 {
                let cut = min(lengths[i], deficit)
                lengths[i] -= cut
                deficit -= cut
            }
        }
        return lengths
    }

    /// Shares `amount` by weight; remainders go one by one to the earliest segments.
    private static func distribute(_ amount: Int, weights: [(Int, Int)], into lengths: inout [Int]) {
        let totalWeight = weights.reduce(0) { $0 + $1.1 }
        guard totalWeight > 0 else {
            lengths[weights[weights.count - 1].0] += amount
            return
        }
        var given = 0
        for (index, weight) in weights {
            let share = amount * weight / totalWeight
            lengths[index] += share
            given += share
        }
        var k = 0
        while given < amount {
            let (index, weight) = weights[k % weights.count]
            if weight > 0 {
                lengths[index] += 1
                given += 1
            }
            k += 1
        }
    }
}
