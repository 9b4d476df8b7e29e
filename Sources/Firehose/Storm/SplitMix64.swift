/// SplitMix64 (Steele, Lea and Flood, 2014): a seeded, platform-independent 64-bit generator.
///
/// Why one type: the storm seeds its xoshiro256** state with it (`StormRandom`) and the golden-screen and
/// fold fixtures draw from it directly (TestSupport's `FixtureRandom`); both must give the same numbers for
/// the same seed on every machine, which `SystemRandomNumberGenerator` cannot.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
