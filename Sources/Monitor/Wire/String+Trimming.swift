extension String {
    /// The string without the leading and trailing characters in `set` (Foundation's `trimmingCharacters`
    /// without Foundation: the pure modules do not import it).
    public func trimming(_ set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
