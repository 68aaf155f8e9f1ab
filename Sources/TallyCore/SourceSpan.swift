/// A range of Unicode scalars in one registered source (a REPL input or a script file).
/// Lives in the core because error values remember where they were produced.
public struct SourceSpan: Sendable, Hashable {
    /// The source's number in the session's source map.
    public var source: Int
    /// Offset of the first scalar, counted from the start of the source.
    public var start: Int
    /// Offset one past the last scalar.
    public var end: Int

    public init(source: Int, start: Int, end: Int) {
        self.source = source
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both.
    public func merged(with other: SourceSpan) -> SourceSpan {
        SourceSpan(source: source, start: min(start, other.start), end: max(end, other.end))
    }
}
