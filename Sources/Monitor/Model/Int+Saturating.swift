extension Int {
    /// `value` rounded toward zero, saturating at `Int.min`/`Int.max`; NaN is 0.
    ///
    /// Why: `Int(_: Double)` traps on NaN, infinities and anything past `Int`'s range, and one such
    /// value on the wire (`"timestamp": 1e19`) once stopped retrytop. Decoding range-checks every number
    /// (`WireRange`), so this is the second line: code past decode converts Doubles through it and cannot
    /// trap whatever reaches it.
    @inlinable
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9_223_372_036_854_775_807.0 {  // 2^63, the first Double past Int.max
            self = .max
        } else if value <= -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int(value)  // in range: cannot trap
        }
    }
}
