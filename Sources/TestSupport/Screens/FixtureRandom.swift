import struct Firehose.SplitMix64

/// The fixtures' random source: the project's one SplitMix64 (Firehose's, which also seeds the storm),
/// plus the fixtures' own uuid and unit formats: the same seed gives the same fixture on every machine,
/// and the golden screens depend on these exact sequences.
public struct FixtureRandom: Sendable {
    private var generator: SplitMix64

    public init(seed: UInt64) {
        self.generator = SplitMix64(seed: seed)
    }

    public mutating func next() -> UInt64 {
        generator.next()
    }

    /// A uniform value in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }

    /// A version-4 style uuid string derived from the seed.
    public mutating func uuid() -> String {
        let high = next(), low = next()
        let hex = String(high, radix: 16).leftPadded(16) + String(low, radix: 16).leftPadded(16)
        var chars = Array(hex)
        chars[12] = "4"
        chars[16] = ["8", "9", "a", "b"][Int(low % 4)]
        let s = String(chars)
        let parts = [s.prefix(8), s.dropFirst(8).prefix(4), s.dropFirst(12).prefix(4), s.dropFirst(16).prefix(4), s.dropFirst(20)]
        return parts.map(String.init).joined(separator: "-")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
