import Dashboard
import Testing

/// Plain numbers as the screens show them; total like the time formats.
@Suite struct NumberTextTests {
    @Test func groupsThousands() {
        #expect(NumberText.grouped(0) == "0")
        #expect(NumberText.grouped(999) == "999")
        #expect(NumberText.grouped(1_204) == "1,204")
        #expect(NumberText.grouped(-12_000) == "-12,000")
        #expect(NumberText.grouped(1_000_000) == "1,000,000")
        // The most negative Int has no positive counterpart: it must not trap.
        #expect(NumberText.grouped(Int.min) == "-9,223,372,036,854,775,808")
    }

    @Test func percentAndCompact() {
        #expect(NumberText.percent(0.073) == "7.3%")
        #expect(NumberText.compact(20) == "20")
        #expect(NumberText.compact(2.5) == "2.5")
    }
}
