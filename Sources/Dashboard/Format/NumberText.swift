/// Formats plain numbers the way the screens show them: counts with thousands separators, percentages,
/// rates without a trailing `.0`.
///
/// Pure, no locale. Total like `TimeText`: any Int or Double (NaN, infinities, 1e308) gives text, never a trap.
public enum NumberText {
    /// A count with thousands separators: `1,204`, `-12,000`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }

    /// `7.3%`.
    public static func percent(_ fraction: Double) -> String {
        let tenths = Int(saturating: (fraction * 1_000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// `20`, `2.5`: a number without a trailing `.0`.
    public static func compact(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "\(value)" }
        if value == value.rounded() { return String(Int(value)) }  // |value| < 1e15: cannot trap
        let tenths = Int((value * 10).rounded())  // |value| < 1e15: cannot trap
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
