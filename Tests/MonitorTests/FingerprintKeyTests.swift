import Testing
@testable import Monitor

@Suite struct FingerprintKeyTests {
    @Test func keysAreEqualExactlyWhenTheirTextsAre() {
        let texts = [
            "", "a", "ConnectionError('HTTPSConnectionPool(host=#): Max retries exceeded with url: /v#/charges/#')",
            "ConnectionError('HTTPSConnectionPool(host=#): Max retries exceeded with url: /v#/charges/$')",
            "KeyError('ключ # не найден')", "12345678", "123456789", String(repeating: "x", count: 300),
        ]
        let keys = texts.map(FingerprintKey.init)
        #expect(Set(keys).count == texts.count)
        for (text, key) in zip(texts, keys) {
            #expect(FingerprintKey(text) == key && FingerprintKey(text).hashValue == key.hashValue && key.text == text)
        }
        let groups = Dictionary(uniqueKeysWithValues: zip(keys, texts.indices))
        #expect(groups[texts[2]] == 2 && groups[texts[3]] == 3 && groups["absent"] == nil)
    }
}
