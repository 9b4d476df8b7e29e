/// An exception group's key: the fingerprint text with a hash of its bytes computed once.
///
/// Why: every retry and failure updates its group, and a fingerprint is ~100–160 bytes; hashed as a
/// String each time (SipHash plus a normalization check) that cost more than the rest of the update.
/// The catalog entry that a retry shares with the task's previous attempts carries this key, so an
/// update mixes one stored word with the table's seed. Equality still compares the text.
public struct FingerprintKey: Hashable, Sendable, CustomStringConvertible {
    public let text: String
    /// FNV-1a over the UTF-8 bytes, 8 at a time (seed-independent; mixed with the table's seed below).
    private let digest: UInt64

    public init(_ text: String) {
        self.text = text
        var copy = text
        digest = copy.withUTF8 { bytes in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            guard let base = bytes.baseAddress else { return hash }
            let raw = UnsafeRawPointer(base)
            var index = 0
            while index + 8 <= bytes.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x100_0000_01B3
                hash ^= hash >> 29
                index += 8
            }
            while index < bytes.count {
                hash = (hash ^ UInt64(base[index])) &* 0x100_0000_01B3
                index += 1
            }
            return hash ^ UInt64(bytes.count)
        }
    }

    public var description: String { text }

    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    public func _rawHashValue(seed: Int) -> Int {
        Int(truncatingIfNeeded: TaskKey.mix(digest, 0x5851_F42D_4C95_7F2D, seed: seed))
    }

    public static func == (lhs: FingerprintKey, rhs: FingerprintKey) -> Bool {
        lhs.digest == rhs.digest && lhs.text == rhs.text
    }
}

extension Dictionary where Key == FingerprintKey {
    /// The value for a fingerprint given as a String.
    public subscript(_ fingerprint: String) -> Value? { self[FingerprintKey(fingerprint)] }
}
