import Firehose
import Testing

/// The one SplitMix64 of the project (the storm's seeding, the fixtures' random source) gives the
/// reference sequence, so moving it changed no storm and no golden screen.
@Suite struct SplitMix64Tests {
    @Test func givesTheReferenceSequence() {
        // The published SplitMix64 test vector for seed 1234567.
        var generator = SplitMix64(seed: 1_234_567)
        let expected: [UInt64] = [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ]
        #expect((0..<5).map { _ in generator.next() } == expected)
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }
}
