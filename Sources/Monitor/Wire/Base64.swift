/// Standard base64 decoding straight from bytes, tolerant of padding and whitespace, strict otherwise.
///
/// kombu base64-encodes every body; decoding it without a round trip through `String` and `Data`
/// keeps the ingest path allocation-light.
public enum Base64 {
    private static let invalid: UInt8 = 0xFF
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// The alphabet value of each byte, pre-shifted to its place in a decoded quad (`shifted[k]` holds
    /// values for the quad's k-th character, byte-swapped so a little-endian store writes them in order);
    /// `invalidQuad` bits mark a byte outside the alphabet. 4 × 256 entries.
    private static let invalidQuad: UInt32 = 0xFF00_0000
    private static let shifted: [UInt32] = {
        var tables = [UInt32](repeating: invalidQuad, count: 4 * 256)
        for byte in 0..<256 where table[byte] != invalid {
            let value = UInt32(table[byte])
            for position in 0..<4 {
                let chunk = value << UInt32(18 - 6 * position)
                // Bytes of the 24-bit chunk in output order: chunk >> 16, chunk >> 8, chunk.
                let swapped = (chunk >> 16) & 0xFF | ((chunk >> 8) & 0xFF) << 8 | (chunk & 0xFF) << 16
                tables[position * 256 + byte] = swapped
            }
        }
        return tables
    }()

    /// Decodes `input`; nil if it holds a byte outside the alphabet or a bad length.
    public static func decode(_ input: [UInt8]) -> [UInt8]? {
        input.withUnsafeBufferPointer { decode($0) }
    }

    public static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard !input.isEmpty else { return [] }
        var failed = false
        let output = [UInt8](unsafeUninitializedCapacity: input.count / 4 * 3 + 3) { out, written in
            var index = 0
            var count = 0
            decodeQuads(input, from: &index, to: input.count, into: out, count: &count)
            failed = !decodeTail(input, from: &index, to: input.count, into: out, count: &count)
            written = count
        }
        return failed ? nil : output
    }

    /// Decodes a JSON string of base64 that starts at `start` (just after its opening quote) in the same
    /// pass that finds its closing quote: base64 holds no `"` and no `\`, so the first byte outside the
    /// alphabet and padding must be the closing quote. Returns the decoded bytes and the closing quote's
    /// index; nil when the string holds anything else (an escape, whitespace, a bad byte, a bad length),
    /// and the caller then reads it the general way.
    static func decodeQuoted(_ input: UnsafeBufferPointer<UInt8>, from start: Int) -> (bytes: [UInt8], quote: Int)? {
        var output: [UInt8] = []
        guard let (quote, length) = decodeQuoted(input, from: start, into: &output) else { return nil }
        return (Array(output[0..<length]), quote)
    }

    /// `decodeQuoted` into the first bytes of `scratch`, which only grows (the decoder's scratch: one
    /// body a message, about 2 KB, was an allocation of its own on malloc's slow path, and zeroing it
    /// for every message cost as much). Returns the closing quote's index and the decoded length; nil
    /// as above.
    static func decodeQuoted(_ input: UnsafeBufferPointer<UInt8>, from start: Int, into scratch: inout [UInt8]) -> (quote: Int, length: Int)? {
        guard start <= input.count else { return nil }
        let room = (input.count - start) / 4 * 3 + 3
        if scratch.count < room { scratch.append(contentsOf: repeatElement(0, count: max(room, 2 * scratch.count) - scratch.count)) }
        var quote = -1
        var written = 0
        scratch.withUnsafeMutableBufferPointer { out in
            var index = start
            var count = 0
            decodeQuads(input, from: &index, to: input.count, into: out, count: &count)
            var tail = Tail()
            while index < input.count {
                let byte = input[index]
                if byte == UInt8(ascii: "\"") {
                    guard tail.isComplete else { return }
                    quote = index
                    written = count
                    return
                }
                index += 1
                guard tail.take(byte, into: out, count: &count) else { return }
            }
        }
        return quote < 0 ? nil : (quote, written)
    }

    /// Fast path: whole quads of alphabet characters from `index` up to the first quad holding anything
    /// else: one 32-bit load, 4 lookups in pre-shifted tables and one 32-bit store each (the store's 4th
    /// byte is overwritten by the next quad; `out` has 3 spare bytes). Leaves `index` at that quad.
    @inline(__always)
    private static func decodeQuads(
        _ input: UnsafeBufferPointer<UInt8>, from index: inout Int, to end: Int,
        into out: UnsafeMutableBufferPointer<UInt8>, count: inout Int
    ) {
        guard let base = input.baseAddress, let outBase = out.baseAddress else { return }
        #if _endian(little)
        Base64.shifted.withUnsafeBufferPointer { shifted in
            let tables = shifted.baseAddress!
            let raw = UnsafeRawPointer(base)
            let output = UnsafeMutableRawPointer(outBase)
            while index + 4 <= end {
                let quad = raw.loadUnaligned(fromByteOffset: index, as: UInt32.self)
                let word = tables[Int(quad & 0xFF)] | tables[256 + Int((quad >> 8) & 0xFF)]
                    | tables[512 + Int((quad >> 16) & 0xFF)] | tables[768 + Int(quad >> 24)]
                if word & Base64.invalidQuad != 0 { break }
                output.storeBytes(of: word, toByteOffset: count, as: UInt32.self)
                count += 3
                index += 4
            }
        }
        #else
        while index + 4 <= end {
            let a = table[Int(base[index])], b = table[Int(base[index + 1])]
            let c = table[Int(base[index + 2])], d = table[Int(base[index + 3])]
            if (a | b | c | d) & 0xC0 != 0 { break }
            let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
            out[count] = UInt8(truncatingIfNeeded: chunk >> 16)
            out[count + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
            out[count + 2] = UInt8(truncatingIfNeeded: chunk)
            count += 3
            index += 4
        }
        #endif
    }

    /// Slow path for the rest: padding, whitespace, and anything invalid (false).
    private static func decodeTail(
        _ input: UnsafeBufferPointer<UInt8>, from index: inout Int, to end: Int,
        into out: UnsafeMutableBufferPointer<UInt8>, count: inout Int
    ) -> Bool {
        var tail = Tail()
        while index < end {
            let byte = input[index]
            index += 1
            if byte == 0x0A || byte == 0x0D || byte == 0x20 { continue }
            guard tail.take(byte, into: out, count: &count) else { return false }
        }
        return tail.isComplete
    }

    /// The characters after the last whole quad, one at a time: alphabet characters, then padding.
    private struct Tail {
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0

        /// Whether what was taken ends a valid encoding (whole bytes, at most two `=`).
        var isComplete: Bool { padding <= 2 && bits < 6 }

        /// Takes one character, writing a byte to `out` whenever 8 bits are in; false for a byte outside
        /// the alphabet or a character after padding.
        mutating func take(_ byte: UInt8, into out: UnsafeMutableBufferPointer<UInt8>, count: inout Int) -> Bool {
            if byte == UInt8(ascii: "=") {
                padding += 1
                return true
            }
            let value = Base64.table[Int(byte)]
            guard padding == 0, value != Base64.invalid else { return false }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out[count] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                count += 1
            }
            return true
        }
    }

    /// Encodes bytes as standard padded base64.
    public static func encode(_ input: [UInt8]) -> String {
        var output = [UInt8]()
        encode(input, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Appends the standard padded base64 of `input` to `output` (the firehose writes envelopes this way).
    public static func encode(_ input: [UInt8], into output: inout [UInt8]) {
        let alphabet = Base64.alphabet
        output.reserveCapacity(output.count + (input.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= input.count {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            output.append(alphabet[Int(chunk >> 6 & 63)])
            output.append(alphabet[Int(chunk & 63)])
            index += 3
        }
        let rest = input.count - index
        if rest > 0 {
            var chunk = UInt32(input[index]) << 16
            if rest == 2 { chunk |= UInt32(input[index + 1]) << 8 }
            output.append(alphabet[Int(chunk >> 18 & 63)])
            output.append(alphabet[Int(chunk >> 12 & 63)])
            output.append(rest == 2 ? alphabet[Int(chunk >> 6 & 63)] : UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        }
    }
}
