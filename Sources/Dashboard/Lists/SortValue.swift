/// A value a list is sorted by: a number or a text. Numbers order before texts.
public enum SortValue: Sendable, Hashable, Comparable {
    case number(Double)
    case text(String)

    public static func < (lhs: SortValue, rhs: SortValue) -> Bool {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): a < b
        case (.text(let a), .text(let b)): a < b
        case (.number, .text): true
        case (.text, .number): false
        }
    }
}
