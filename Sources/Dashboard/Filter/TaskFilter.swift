import Monitor

/// The parsed `/` filter: terms that must all match, each optionally on one field and negated.
///
/// Syntax: `name:fetch state:retry worker:api-1 exc:429 queue:celery timeout !quick_retry`.
/// A bare word matches the name, the id or the last exception. `!` before a term negates it. Matching
/// is a case-insensitive substring test. An empty filter matches everything.
public struct TaskFilter: Sendable, Equatable {
    /// What a term looks at.
    public enum Field: String, Sendable, Equatable, CaseIterable {
        case name, state, worker, exc, queue
    }

    /// One term of the filter.
    public struct Term: Sendable, Equatable {
        public var field: Field?
        public var text: String
        public var negated: Bool

        public init(field: Field?, text: String, negated: Bool) {
            self.field = field
            self.text = text
            self.negated = negated
        }
    }

    public var terms: [Term]
    /// Qualifiers that name no field (`foo` of `foo:bar`), lowercased: their terms are left out, and
    /// the input line says so (an unknown qualifier used to match as text and empty every list).
    public var unknownQualifiers: [String] = []

    public init(terms: [Term] = []) {
        self.terms = terms
    }

    /// Parses filter text; terms with an unknown qualifier (`foo:bar`) are left out and listed in
    /// `unknownQualifiers`. A colon first or last (`:30`, `foo:`) is text, not a qualifier.
    public init(parsing text: String) {
        var terms: [Term] = []
        var unknown: [String] = []
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            var body = Substring(word)
            var negated = false
            if body.first == "!" {
                negated = true
                body = body.dropFirst()
            }
            var field: Field?
            if let colon = body.firstIndex(of: ":") {
                let qualifier = body[..<colon].lowercased()
                if let known = Field(rawValue: qualifier) {
                    field = known
                    body = body[body.index(after: colon)...]
                } else if !qualifier.isEmpty, qualifier.allSatisfy({ $0.isLetter || $0 == "_" }) {
                    if !unknown.contains(qualifier) { unknown.append(qualifier) }
                    continue
                }
            }
            guard !body.isEmpty else { continue }
            terms.append(Term(field: field, text: body.lowercased(), negated: negated))
        }
        self.terms = terms
        self.unknownQualifiers = unknown
    }

    public var isEmpty: Bool { terms.isEmpty }

    /// True when every term matches `task`.
    public func matches(_ task: TaskRecord) -> Bool {
        for term in terms where Self.termMatches(term, task) == term.negated { return false }
        return true
    }

    private static func termMatches(_ term: Term, _ task: TaskRecord) -> Bool {
        switch term.field {
        case .name: return contains(task.name, term.text)
        case .state: return contains(task.state.rawValue, term.text)
        case .worker: return contains(task.worker, term.text)
        case .exc: return contains(task.lastException, term.text)
        case .queue: return contains(task.queue, term.text) || contains(task.routingKey, term.text)
        case nil: return contains(task.name, term.text) || contains(task.id, term.text) || contains(task.lastException, term.text)
        }
    }

    private static func contains(_ haystack: String?, _ needle: String) -> Bool {
        guard let haystack else { return false }
        return haystack.lowercased().contains(needle)
    }
}
