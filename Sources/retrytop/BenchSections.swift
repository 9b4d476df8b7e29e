import ArgumentParser

/// The sections `retrytop bench --only` runs, given as a comma list (`core,memory,frame`).
///
/// Parsed by the argument parser: an unknown name is a usage error that lists the valid ones, never a
/// section silently skipped.
struct BenchSections: ExpressibleByArgument {
    /// One part of the bench report.
    enum Section: String, CaseIterable, Sendable {
        case startup, core, memory, longstorm, frame, idle, lowrate, e2e, journal
    }

    var sections: Set<Section>

    /// Every section but `journal` (a million-event storm into SQLite: asked for by name).
    static let all = BenchSections(sections: Set(Section.allCases).subtracting([.journal]))

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

    var defaultValueDescription: String { Section.allCases.filter { $0 != .journal }.map(\.rawValue).joined(separator: ",") }

    static var allValueStrings: [String] { Section.allCases.map(\.rawValue) }

    func contains(_ section: Section) -> Bool { sections.contains(section) }
}
