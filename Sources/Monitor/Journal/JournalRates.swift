/// The journal's per-minute counts of the last 24 hours per task name: the Rates pane's long view.
///
/// Why a value in the core: a journal thread (the writer or the follower) reads it from disk and hands
/// it over with its delivery, so the frame thread never reads the disk; the pane buckets it to the
/// width of its sparklines (`history`). Bounds: at most `maxNames` names (the busiest), each with at
/// most `windowMinutes` cells.
public struct JournalRates: Sendable, Equatable {
    /// The window the long view covers: 24 hours of minutes.
    public static let windowMinutes = 24 * 60
    /// Names read at most (the busiest over the window).
    public static let maxNames = 500

    /// Cells per task name (any minute order).
    public private(set) var cellsByName: [String: [RateCell]] = [:]

    public init(_ cells: [RateCell] = []) {
        for cell in cells { cellsByName[cell.key.name, default: []].append(cell) }
    }

    public var names: Dictionary<String, [RateCell]>.Keys { cellsByName.keys }

    /// The first epoch minute of the window that ends with `now`'s minute.
    public static func firstMinute(endingAt now: Double) -> Int {
        RateCell.minute(of: now) - windowMinutes + 1
    }

    /// Counts of `kind` for `name` in `buckets` buckets over the 24 h ending at `now`'s minute, oldest
    /// first. Bucket `i` holds the minutes whose offset `m` from the window's start has
    /// `m * buckets / windowMinutes == i`: the buckets differ by at most one minute, and every minute
    /// of the window lands in exactly one. Minutes outside the window are left out.
    public func history(_ kind: RateKind, name: String, buckets: Int, endingAt now: Double) -> [Int] {
        guard buckets > 0 else { return [] }
        var sums = Array(repeating: 0, count: buckets)
        let first = JournalRates.firstMinute(endingAt: now)
        for cell in cellsByName[name] ?? [] {
            let offset = cell.key.minute - first
            guard offset >= 0, offset < JournalRates.windowMinutes else { continue }
            sums[offset * buckets / JournalRates.windowMinutes] += cell.count(kind)
        }
        return sums
    }

    /// `name`'s counts over the 24 h ending at `now`'s minute (keyed by the window's first minute).
    public func totals(_ name: String, endingAt now: Double) -> RateCell {
        let first = JournalRates.firstMinute(endingAt: now)
        var sum = RateCell(key: RateCell.Key(name: name, minute: first))
        for cell in cellsByName[name] ?? [] where cell.key.minute >= first && cell.key.minute < first + JournalRates.windowMinutes {
            sum.add(cell)
        }
        return sum
    }

    /// Counts of `kind` over the 24 h ending at `now`'s minute, for every name.
    public func total(_ kind: RateKind, endingAt now: Double) -> Int {
        cellsByName.keys.reduce(0) { $0 + totals($1, endingAt: now).count(kind) }
    }
}
