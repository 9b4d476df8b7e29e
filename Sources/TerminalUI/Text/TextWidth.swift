/// Display width of text in terminal columns, and width-aware truncation and padding.
///
/// Widths are those of the glyphs the grid actually sends (see `rendering(of:)`), so a view that
/// pads with `fit` and the terminal that shows the result always agree on where a column starts.
/// A single scalar takes what glibc's `wcwidth` gives it in a UTF-8 locale (the width tmux and
/// most Linux terminals use): 0 for combining marks and format characters, 2 for East Asian wide
/// and emoji-presentation characters, 1 otherwise. Control characters take 1 column because the
/// grid draws them as spaces.
///
/// Grapheme clusters whose width terminals disagree on (see `ClusterShape`) are never sent as they
/// are: the grid draws their base character alone, or U+FFFD when the base is itself uncertain, and
/// counts the width of that stand-in.
public enum TextWidth {
    /// Drawn in place of a cluster that has no safe base character of its own (a flag, an unassigned
    /// scalar). One column everywhere (East Asian ambiguous, narrow outside CJK locales).
    public static let replacement: Character = "\u{FFFD}"

    /// Columns of one Unicode scalar sent on its own: 0, 1 or 2 (control characters count 0 here;
    /// `rendering(of:)` turns them into a one-column space).
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v < 0x20 ? 0 : 1 }
        if v < 0xA0 { return 0 }
        if v < 0x300 { return 1 }
        if isZeroWidth(scalar) { return 0 }
        if isWide(v) { return 2 }
        return 1
    }

    /// Columns the grid uses for one grapheme cluster: the width of its `rendering(of:)`.
    public static func of(_ character: Character) -> Int {
        if character.isASCII { return 1 }
        return rendering(of: character).width
    }

    /// Columns of a whole string.
    public static func of(_ text: String) -> Int {
        // Printable ASCII (nearly every cell of a screen): a column a byte, without grapheme breaking.
        if isPrintableASCII(text) { return text.utf8.count }
        var total = 0
        if isOneClusterPerScalar(text) {
            for scalar in text.unicodeScalars { total += widthOfAccepted(scalar) }
            return total
        }
        for ch in text {
            total += ch.isASCII ? 1 : rendering(of: ch).width
        }
        return total
    }

    /// True when every scalar of `text` is printable ASCII or in a block whose scalars are each a
    /// grapheme of their own, assigned, with a fixed width (U+00A0–U+02FF but the soft hyphen, general
    /// punctuation U+2010–U+2027 and U+2030–U+205E, arrows U+2190–U+21FF, box drawing, block elements
    /// and geometric shapes U+2500–U+25FF): no scalar there extends, joins or prepends to a cluster,
    /// so the grid may draw such text a scalar at a time, as the general path would.
    public static func isOneClusterPerScalar(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x20...0x7E, 0xA0...0xAC, 0xAE...0x2FF, 0x2010...0x2027, 0x2030...0x205E, 0x2190...0x21FF, 0x2500...0x25FF: true
            default: false
            }
        }
    }

    /// The width of a scalar `isOneClusterPerScalar` accepts: 1, but for the two wide geometric shapes
    /// (U+25FD, U+25FE, emoji presentation). The same as `of(_:)` without its category lookups.
    @inline(__always)
    static func widthOfAccepted(_ scalar: Unicode.Scalar) -> Int {
        scalar.value == 0x25FD || scalar.value == 0x25FE ? 2 : 1
    }

    /// True when every byte of `text` is printable ASCII (0x20–0x7E): one grapheme and one column each.
    @inline(__always)
    public static func isPrintableASCII(_ text: String) -> Bool {
        // A native string's bytes are checked eight at a time: every cell of every frame asks this.
        if let answer = text.utf8.withContiguousStorageIfAvailable(isPrintableASCII) { return answer }
        return text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Whether every byte is 0x20–0x7E, a word at a time: adding 0x60 to a byte carries into its high bit
    /// exactly when it is 0x20 or more, adding 0x01 exactly when it is 0x7F or more (bytes under 0x80, so
    /// no carry crosses into the next byte).
    static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                guard word & high == 0,
                      (word &+ 0x6060_6060_6060_6060) & high == high,
                      (word &+ 0x0101_0101_0101_0101) & high == 0 else { return false }
                index += 8
            }
        }
        while index < bytes.count {
            guard bytes[index] >= 0x20, bytes[index] < 0x7F else { return false }
            index += 1
        }
        return true
    }

    /// What the grid draws for `character` and the columns it takes.
    ///
    /// - Printable ASCII and clusters of known width (`ClusterShape.single`): the cluster itself.
    /// - Control characters, line and paragraph separators: a space (1 column), so text never moves
    ///   the cursor.
    /// - A lone combining mark or format character: nothing (0 columns); the grid skips it.
    /// - Clusters of uncertain width: their base scalar alone when that has a known width of 1 or 2,
    ///   else `replacement` (1 column). Unassigned scalars and lone regional indicators are drawn as
    ///   `replacement` too.
    public static func rendering(of character: Character) -> (glyph: Character, width: Int) {
        if let ascii = character.asciiValue {
            return ascii < 0x20 || ascii == 0x7F ? (" ", 1) : (character, 1)
        }
        let scalars = character.unicodeScalars
        guard let base = scalars.first else { return (" ", 0) }
        switch base.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator, .surrogate:
            return (" ", 1)
        case .unassigned:
            return (replacement, 1)
        default:
            break
        }
        let baseWidth = of(base)
        if ClusterShape.of(character) == .single {
            if isRegionalIndicator(base.value) { return (replacement, 1) }
            return (character, baseWidth)
        }
        if baseWidth == 0 || isRegionalIndicator(base.value) || isEmojiModifier(base.value) {
            return (replacement, 1)
        }
        return (Character(base), baseWidth)
    }

    static func isRegionalIndicator(_ v: UInt32) -> Bool { (0x1F1E6...0x1F1FF).contains(v) }

    static func isEmojiModifier(_ v: UInt32) -> Bool { (0x1F3FB...0x1F3FF).contains(v) }

    /// `text` cut to at most `width` columns, ending in `ellipsis` when anything was cut.
    /// A wide character never straddles the cut.
    public static func truncate(_ text: String, width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        let ellipsisWidth = of(ellipsis)
        guard ellipsisWidth <= width else { return prefix(text, width: width) }
        return prefix(text, width: width - ellipsisWidth) + ellipsis
    }

    /// The longest prefix of `text` that fits in `width` columns.
    ///
    /// Printable ASCII is cut at a byte and text of one cluster per scalar at a scalar, without grapheme
    /// breaking (every table cell of every frame comes through here); both cut where
    /// `prefixByGraphemes` does (`ScalarFastPathTests`).
    public static func prefix(_ text: String, width: Int) -> String {
        guard width > 0 else { return "" }
        if isPrintableASCII(text) {
            let bytes = text.utf8
            return bytes.count <= width ? text : String(text[..<bytes.index(bytes.startIndex, offsetBy: width)])
        }
        if isOneClusterPerScalar(text) {
            let scalars = text.unicodeScalars
            var used = 0
            var end = scalars.startIndex
            while end < scalars.endIndex {
                let w = widthOfAccepted(scalars[end])
                if used + w > width { break }
                used += w
                end = scalars.index(after: end)
            }
            return String(scalars[..<end])
        }
        return prefixByGraphemes(text, width: width)
    }

    /// `prefix(_:width:)` a grapheme cluster at a time: the general path.
    static func prefixByGraphemes(_ text: String, width: Int) -> String {
        var used = 0
        var result = ""
        for ch in text {
            let w = of(ch)
            if used + w > width { break }
            used += w
            result.append(ch)
        }
        return result
    }

    /// `text` truncated with an ellipsis and padded with spaces to exactly `width` columns.
    public static func fit(_ text: String, width: Int, alignment: Alignment = .left, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        let cut = truncate(text, width: width, ellipsis: ellipsis)
        let gap = width - of(cut)
        guard gap > 0 else { return cut }
        switch alignment {
        case .left: return cut + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + cut
        case .center:
            let left = gap / 2
            return String(repeating: " ", count: left) + cut + String(repeating: " ", count: gap - left)
        }
    }

    /// Nonspacing and enclosing marks, format characters (but the soft hyphen, which glibc shows)
    /// and the Hangul jungseong/jongseong jamo that join the preceding syllable. U+1171E (Ahom medial
    /// ra) became a spacing mark after Unicode 14, which glibc 2.36 still follows.
    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FB).contains(v) || v == 0x1171E { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: return true
        case .format: return v != 0xAD && !(0x0600...0x0605).contains(v) && v != 0x06DD && v != 0x070F
            && v != 0x0890 && v != 0x0891 && v != 0x08E2 && v != 0x110BD && v != 0x110CD
        default: return false
        }
    }

    /// East Asian wide and fullwidth characters and emoji with emoji presentation: the scalars glibc
    /// 2.36's `wcwidth` gives 2 columns in C.UTF-8 (generated from it; `TextWidthTests` compares).
    private static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3, 0x25FD...0x25FE,
             0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE,
             0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705,
             0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF,
             0x2B1B...0x2B1C, 0x2B50, 0x2B55, 0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x2FF0...0x2FFB,
             0x3000...0x3029, 0x302E...0x303E, 0x3041...0x3096, 0x309B...0x30FF, 0x3105...0x312F, 0x3131...0x318E,
             0x3190...0x31E3, 0x31F0...0x321E, 0x3220...0xA48C, 0xA490...0xA4C6, 0xA960...0xA97C, 0xAC00...0xD7A3,
             0xF900...0xFA6D, 0xFA70...0xFAD9, 0xFE10...0xFE19, 0xFE30...0xFE52, 0xFE54...0xFE66, 0xFE68...0xFE6B,
             0xFF01...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE3, 0x16FF0...0x16FF1, 0x17000...0x187F7,
             0x18800...0x18CD5, 0x18D00...0x18D08, 0x1AFF0...0x1AFF3, 0x1AFF5...0x1AFFB, 0x1AFFD...0x1AFFE,
             0x1B000...0x1B122, 0x1B150...0x1B152, 0x1B164...0x1B167, 0x1B170...0x1B2FB, 0x1F004, 0x1F0CF, 0x1F18E,
             0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
             0x1F260...0x1F265, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393,
             0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440,
             0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A, 0x1F595...0x1F596,
             0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7,
             0x1F6DD...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0, 0x1F90C...0x1F93A,
             0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FA74, 0x1FA78...0x1FA7C, 0x1FA80...0x1FA86,
             0x1FA90...0x1FAAC, 0x1FAB0...0x1FABA, 0x1FAC0...0x1FAC5, 0x1FAD0...0x1FAD9, 0x1FAE0...0x1FAE7,
             0x1FAF0...0x1FAF6, 0x20000...0x2A6DF, 0x2A700...0x2B738, 0x2B740...0x2B81D, 0x2B820...0x2CEA1,
             0x2CEB0...0x2EBE0, 0x2F800...0x2FA1D, 0x30000...0x3134A:
            return true
        default:
            return false
        }
    }
}

extension String {
    /// Columns this string occupies on screen (see `TextWidth`).
    public var displayWidth: Int { TextWidth.of(self) }
}
