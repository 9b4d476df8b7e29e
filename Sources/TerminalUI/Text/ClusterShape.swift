/// What a grapheme cluster is made of, as far as its width on a terminal is concerned.
///
/// Terminals agree on the width of a single scalar (they all follow `wcwidth` or close to it) and
/// on a base character carrying one combining mark. They disagree on everything longer: a ZWJ
/// family is 2 columns in one terminal and 6 in another (tmux 3.3 counts each scalar), a flag is
/// 1, 2 or 4, a VS16 heart is 1 or 2, a skin tone may add 2, and a stack of combining marks can
/// overflow a multiplexer's cell. Such clusters are never sent as they are (see
/// `TextWidth.rendering(of:)`); this type says which kind a cluster is, most telling kind first.
public enum ClusterShape: Equatable, Sendable, CaseIterable {
    /// One scalar, or a base and one nonspacing/enclosing mark: width known.
    case single
    /// Emoji joined with U+200D (families, professions, rainbow flag).
    case joinedEmoji
    /// Regional indicator letters (country flags).
    case flag
    /// An emoji modifier (skin tone U+1F3FB...U+1F3FF) after a base.
    case skinTone
    /// A tag sequence (subdivision flags such as England's).
    case tagSequence
    /// A variation selector (VS16 emoji presentation, VS15 text presentation, keycaps).
    case presentationSelector
    /// More than one mark, or marks that terminals count as spacing (Indic vowel signs, jamo).
    case stackedMarks

    /// The shape of `character`.
    public static func of(_ character: Character) -> ClusterShape {
        let scalars = character.unicodeScalars
        var count = 0
        var joined = false, flag = false, skinTone = false, tag = false, selector = false
        var singleMark = true
        for scalar in scalars {
            let v = scalar.value
            count += 1
            if TextWidth.isRegionalIndicator(v) { flag = true }
            guard count > 1 else { continue }
            switch v {
            case 0x200D: joined = true
            case 0x1F3FB...0x1F3FF: skinTone = true
            case 0xE0020...0xE007F: tag = true
            case 0xFE00...0xFE0F, 0xE0100...0xE01EF: selector = true
            default:
                let category = scalar.properties.generalCategory
                if count > 2 || (category != .nonspacingMark && category != .enclosingMark) { singleMark = false }
            }
        }
        if count == 1 { return .single }
        if joined { return .joinedEmoji }
        if flag { return .flag }
        if skinTone { return .skinTone }
        if tag { return .tagSequence }
        if selector { return .presentationSelector }
        return singleMark && count == 2 ? .single : .stackedMarks
    }
}
