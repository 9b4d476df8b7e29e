/// Parses the ISO-8601 times Celery writes (`2026-11-26T12:31:47.645703+00:00`) to epoch seconds.
///
/// Hand-rolled because Foundation's formatters are slow and not needed for this one fixed shape:
/// date, `T` or space, time with optional fraction, then `Z`, `±HH:MM`, `±HHMM` or nothing (UTC).
public enum ISO8601 {
    public static func epoch(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { epoch(bytes: $0) }
    }

    static func epoch(bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        // A cursor value, not nested functions over a captured index: a captured `var` is boxed and
        // every access to it was checked for exclusivity at run time (~30 instructions a digit).
        var cursor = Cursor(bytes: bytes)
        guard let year = cursor.number(4), cursor.skip(UInt8(ascii: "-")), let month = cursor.number(2),
              cursor.skip(UInt8(ascii: "-")), let day = cursor.number(2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        guard cursor.skip(UInt8(ascii: "T")) || cursor.skip(UInt8(ascii: " ")) else { return nil }
        guard let hour = cursor.number(2), cursor.skip(UInt8(ascii: ":")), let minute = cursor.number(2),
              cursor.skip(UInt8(ascii: ":")), let second = cursor.number(2), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if cursor.skip(UInt8(ascii: ".")) {
            var scale = 0.1
            var any = false
            while let digit = cursor.digit() {
                fraction += Double(digit) * scale
                scale /= 10
                any = true
            }
            guard any else { return nil }
        }
        var offsetSeconds = 0
        if !cursor.isAtEnd {
            if cursor.skip(UInt8(ascii: "Z")) {
                offsetSeconds = 0
            } else {
                let sign: Int
                if cursor.skip(UInt8(ascii: "+")) { sign = 1 } else if cursor.skip(UInt8(ascii: "-")) { sign = -1 } else { return nil }
                guard let offsetHours = cursor.number(2) else { return nil }
                _ = cursor.skip(UInt8(ascii: ":"))
                let offsetMinutes = cursor.number(2) ?? 0
                offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            }
        }
        guard cursor.isAtEnd else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Double(seconds) + fraction
    }

    /// Reads digits and separators forward through the bytes of one timestamp.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var isAtEnd: Bool { index >= bytes.count }

        /// The next byte's digit value, consumed; nil (nothing consumed) when it is not a digit.
        mutating func digit() -> Int? {
            guard index < bytes.count, bytes[index] &- 48 < 10 else { return nil }
            index += 1
            return Int(bytes[index - 1] &- 48)
        }

        /// `width` digits as a number; nil when they are not all there.
        mutating func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<width {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }

        mutating func skip(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
    }

    /// Howard Hinnant's days-from-civil: days since 1970-01-01 in the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Formats epoch seconds as `2026-11-26T12:31:47.645703+00:00` (Celery's shape), UTC.
    ///
    /// Total: a time outside ±1e15 s (and NaN) is clamped to that bound first, so no Double traps here.
    public static func format(_ epoch: Double) -> String {
        let epoch = epoch.isNaN ? 0 : min(max(epoch, -1e15), 1e15)
        let whole = Int(epoch.rounded(.down))  // |epoch| <= 1e15: cannot trap
        let micros = Int(((epoch - Double(whole)) * 1_000_000).rounded())
        var days = whole / 86_400
        var rest = whole % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let civil = civilFromDays(days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(civil.year, 4))-\(pad(civil.month, 2))-\(pad(civil.day, 2))T\(pad(rest / 3600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2)).\(pad(min(micros, 999_999), 6))+00:00"
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
