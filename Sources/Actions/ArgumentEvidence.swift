import Monitor

/// What each exact source said about one task, gathered by the runtime's argument finder.
///
/// Why: the finder does the I/O; the planner decides from this value alone, so every decision can be
/// tested without Redis. A source that was not consulted has a `skipped` note saying why (for example
/// "no result backend given"), which becomes part of a refusal.
public struct ArgumentEvidence: Sendable, Equatable {
    /// One source's answer.
    public enum Finding: Sendable, Equatable {
        case found(ExactArguments)
        /// Consulted, nothing for this task (with what was looked at).
        case absent(String)
        /// Not consulted, and why.
        case skipped(String)
    }

    public var findings: [ArgumentSource: Finding]

    public init(findings: [ArgumentSource: Finding] = [:]) {
        self.findings = findings
    }

    /// The first exact source, in `ArgumentSource` order (the event repr is not in the evidence).
    public var firstFound: ExactArguments? {
        for source in ArgumentSource.allCases {
            if case .found(let arguments)? = findings[source] { return arguments }
        }
        return nil
    }
}
