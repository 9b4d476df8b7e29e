/// Display width of text in terminal columns, and width-aware truncation and padding.
///
/// A compact `wcwidth`: combining marks, joiners and variation selectors take 0 columns; East Asian
/// wide and fullwidth ranges and emoji take 2; everything else takes 1. Control characters count as 0
/// (the grid replaces them with spaces). Ambiguous-width characters (box drawing, ●, ▸) count as 1,
/// which is how terminals treat them in non-CJK locales.
public enum TextWidth {
    /// Columns of one Unicode scalar: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v < 0x20 ? 0 : 1 }
        if v < 0xA0 { return 0 }
        if v < 0x300 { return v == 0xAD ? 0 : 1 }
        if isZeroWidth(v) { return 0 }
        if isWide(v) { return 2 }
        return 1
    }

    /// Columns of one grapheme cluster: its base scalar's width, or 2 for an emoji presentation
    /// sequence (VS16) or a ZWJ sequence.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        var base = 0
        var emojiPresentation = false
        for scalar in scalars {
            let v = scalar.value
            if v == 0xFE0F || v == 0x200D { emojiPresentation = true; continue }
            if base == 0 { base = of(scalar) }
        }
        if base == 1 && emojiPresentation && scalars.count > 1 { return 2 }
        return base
    }

    /// Columns of a whole string.
    public static func of(_ text: String) -> Int {
        var total = 0
        for ch in text {
            if ch.isASCII { total += (ch.asciiValue ?? 0) >= 0x20 && ch != "\u{7F}" ? 1 : 0 } else { total += of(ch) }
        }
        return total
    }

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
    public static func prefix(_ text: String, width: Int) -> String {
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

    private static func isZeroWidth(_ v: UInt32) -> Bool {
        switch v {
        case 0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x0610...0x061A, 0x064B...0x065F,
             0x0E31, 0x0E34...0x0E3A, 0x0E47...0x0E4E,
             0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064,
             0x20D0...0x20FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F, 0xFEFF,
             0x1F3FB...0x1F3FF, 0xE0000...0xE0FFF:
            return true
        default:
            return false
        }
    }

    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
             0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
             0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251,
             0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB, 0x1F900...0x1F9FF,
             0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
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
