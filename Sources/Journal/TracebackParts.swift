/// A traceback as the journal stores it: the stack's frames (shared by every attempt that failed on the
/// same code path, stored once in `traceback_frames`) and the tail (the exception line and any chained
/// part, which carry the per-task details), so that `frames + tail` is the text again.
///
/// Why: in a storm thousands of attempts raise the same exception from the same lines; their 1–2 KB
/// tracebacks differ only in the last lines (the message, a retry's countdown). Stored whole, they were
/// most of the journal's bytes (7 KB written per event; 1.3 GB after a 1,000,000-event storm).
struct TracebackParts: Equatable {
    /// The first stack: from `Traceback (most recent call last):` through its last indented line, with
    /// that line's newline; nil when the text has no such stack worth sharing.
    var frames: String?
    /// The rest; never nil, so an attempt's traceback is known to be present when its tail is.
    var tail: String

    /// Frames shorter than this are kept in the tail: a lookup costs more than it saves.
    static let minimumFramesBytes = 64

    init(frames: String?, tail: String) {
        self.frames = frames
        self.tail = tail
    }

    init(splitting text: String) {
        let bytes = Array(text.utf8)
        let header = Array("Traceback (most recent call last):\n".utf8)
        guard bytes.starts(with: header) else {
            self.init(frames: nil, tail: text)
            return
        }
        // Walk the lines after the header while they are indented (frames and their source lines).
        var end = header.count
        while end < bytes.count, bytes[end] == UInt8(ascii: " ") {
            guard let newline = bytes[end...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            end = newline + 1
        }
        guard end >= Self.minimumFramesBytes, end > header.count else {
            self.init(frames: nil, tail: text)
            return
        }
        self.init(frames: String(decoding: bytes[..<end], as: UTF8.self), tail: String(decoding: bytes[end...], as: UTF8.self))
    }

    /// The traceback's text.
    var text: String { (frames ?? "") + tail }

    /// FNV-1a, 64 bits, of the frames' UTF-8: the lookup key of `traceback_frames` (texts are compared too).
    static func digest(_ frames: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in frames.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(bitPattern: UInt(hash))
    }
}
