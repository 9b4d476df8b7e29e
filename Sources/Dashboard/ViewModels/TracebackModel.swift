/// What the traceback viewer shows: whose traceback, its lines, and the scroll offset.
public struct TracebackModel: Sendable, Equatable {
    public var title: String
    public var lines: [String]
    public var offset: Int

    public init(title: String, lines: [String], offset: Int) {
        self.title = title
        self.lines = lines
        self.offset = offset
    }
}
