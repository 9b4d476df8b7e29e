import Foundation
import Testing
@testable import Monitor

@Suite struct TaskKeyTests {
    /// Ids from the real captures and shapes that must stay text; every one comes back exactly.
    @Test func everyIdRoundTripsExactly() {
        let ids = [
            "68661b92-3bd0-4fd7-ab3f-9ae8b2dbdb0b", "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff", "68661B92-3BD0-4FD7-AB3F-9AE8B2DBDB0B",
            "68661b92-3bd0-4fd7-ab3f-9ae8b2dbdb0g", "68661b92x3bd0-4fd7-ab3f-9ae8b2dbdb0b",
            "68661b92-3bd0-4fd7-ab3f-9ae8b2dbdb0", "t", "", "my-custom-id-42", "ünïcode-id",
        ]
        for id in ids {
            #expect(TaskKey(id).string == id)
            let fromBytes = Array(id.utf8).withUnsafeBufferPointer { TaskKey(utf8: $0) }
            #expect(fromBytes == TaskKey(id) && fromBytes.string == id)
        }
        #expect(TaskKey("").isEmpty && !TaskKey("t").isEmpty && !TaskKey(ids[0]).isEmpty)
    }

    @Test func equalityHashAndOrderFollowTheStrings() {
        let ids = [
            "68661b92-3bd0-4fd7-ab3f-9ae8b2dbdb0b", "68661b92-3bd0-4fd7-ab3f-9ae8b2dbdb0c",
            "a8661b92-3bd0-4fd7-ab3f-9ae8b2dbdb0b", "08661b92-3bd0-4fd7-ab3f-9ae8b2dbdb0b",
            "68661b92-3bd0-4fd7-ab3f-9ae8b2dbdb0", "68661B92-3BD0-4FD7-AB3F-9AE8B2DBDB0B", "zeta", "alpha",
            "68661b92-3bd0-4fd7-ab3f-9ae8b2dbdb0bz",
        ]
        let keys = ids.map(TaskKey.init)
        #expect(keys.sorted().map(\.string) == ids.sorted())
        #expect(Set(keys).count == ids.count)
        for (a, b) in zip(ids, keys) {
            #expect(TaskKey(a) == b && TaskKey(a).hashValue == b.hashValue)
        }
        let table = Dictionary(uniqueKeysWithValues: zip(keys, ids))
        #expect(table[ids[0]] == ids[0] && table["nope"] == nil)
    }

    /// The packed form hashes by a cheap mix, not SipHash: it must still spread ids over a table's
    /// buckets (a constant or a weak mix would pass every equality test and make lookups linear).
    @Test func theCheapHashSpreadsIdsOverBuckets() {
        let keys = (0..<20_000).map { _ in TaskKey(UUID().uuidString.lowercased()) }
        for seed in [0, 0x5EED, -1] {
            let hashes = keys.map { $0._rawHashValue(seed: seed) }
            #expect(Set(hashes).count == keys.count, "seed \(seed)")
            // Low bits decide the bucket: 20,000 ids over 4,096 buckets average ~4.9; a sound mix keeps
            // the fullest bucket far below 40.
            var buckets = [Int](repeating: 0, count: 4_096)
            for hash in hashes { buckets[hash & 4_095] += 1 }
            #expect(buckets.max()! < 40, "seed \(seed): fullest bucket \(buckets.max()!)")
        }
        // Sequential ids (a producer counting) spread too.
        let sequential = (0..<4_096).map { TaskKey(String(format: "00000000-0000-4000-8000-%012x", $0)) }
        var buckets = [Int](repeating: 0, count: 1_024)
        for key in sequential { buckets[key._rawHashValue(seed: 7) & 1_023] += 1 }
        #expect(buckets.max()! < 24, "fullest bucket \(buckets.max()!)")
    }
}
