import Testing
import TerminalUI

/// Which clusters count as uncertain, and why.
@Suite("ClusterShape")
struct ClusterShapeTests {
    @Test func eachKindIsRecognised() {
        #expect(ClusterShape.of("a") == .single)
        #expect(ClusterShape.of("任") == .single)
        #expect(ClusterShape.of("e\u{301}") == .single)
        #expect(ClusterShape.of("👨‍👩‍👧") == .joinedEmoji)
        #expect(ClusterShape.of("🏳️‍🌈") == .joinedEmoji)
        #expect(ClusterShape.of("🇺🇸") == .flag)
        #expect(ClusterShape.of("👍🏽") == .skinTone)
        #expect(ClusterShape.of("🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}") == .tagSequence)
        #expect(ClusterShape.of("❤️") == .presentationSelector)
        #expect(ClusterShape.of("☺︎") == .presentationSelector)
        #expect(ClusterShape.of("1️⃣") == .presentationSelector)
        #expect(ClusterShape.of("e\u{301}\u{302}") == .stackedMarks)
        #expect(ClusterShape.of("कि") == .stackedMarks)
    }

    @Test func onlySingleClustersAreDrawnAsThemselves() {
        for text in ["👨‍👩‍👧", "🇺🇸", "👍🏽", "❤️", "1️⃣", "e\u{301}\u{302}", "कि"] {
            let character = Character(text)
            #expect(TextWidth.rendering(of: character).glyph != character, "\(text)")
            #expect(TextWidth.rendering(of: character).glyph.unicodeScalars.count == 1, "\(text)")
        }
    }
}
