import ArgumentParser

/// The sections `retrytop bench --only` runs, given as a comma list (`core,memory,frame`).
///
/// Parsed by the argument parser: an unknown name is a usage error that lists the valid ones, never a
/// section silently skipped.
struct BenchSections: ExpressibleByArgument {
    /// One part of the bench report.
    enum Section: String, CaseIterable, Sendable {
        case startup, core, memory, longstorm, frame, idle, lowrate, e2e, journal, backfill
    }

    var sections: Set<Section>

    /// The sections run by default: all but `journal` (a million-event storm into SQLite) and `backfill`
    /// (100,000 result keys loaded into Redis), which are asked for by name.
    static let byName: Set<Section> = [.journal, .backfill]
    static let all = BenchSections(sections: Set(Section.allCases).subtracting(byName))

    init(sections: Set<Section>) {
        self.sections = sections
    }

    init?(argument: String) {
        var sections = Set<Section>()
        for name in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let section = Section(rawValue: name.trimmingCharacters(in: .whitespaces)) else { return nil }
            sections.insert(section)
        }
        self.sections = sections
    }

    var defaultValueDescription: String { Section.allCases.filter { !Self.byName.contains($0) }.map(\.rawValue).joined(separator: ",") }

    static var allValueStrings: [String] { Section.allCases.map(\.rawValue) }

    func contains(_ section: Section) -> Bool { sections.contains(section) }
}
