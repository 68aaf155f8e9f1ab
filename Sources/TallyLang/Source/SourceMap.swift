import TallyCore

/// Where a statement sits on a line it shares with others (`a = 1; b = a + 1`): the text
/// before it on its first line and after it on its last, so that an error in it is shown
/// under the line as it was written, with the caret in the right column.
public struct LineContext: Sendable, Equatable {
    public var before: String
    public var after: String
    /// True for the second and later statements of a line: a REPL input keeps one
    /// `<input:N>` for all of them, and a failing statement stops the rest of its line.
    public var continuesLine: Bool

    public init(before: String = "", after: String = "", continuesLine: Bool = false) {
        self.before = before
        self.after = after
        self.continuesLine = continuesLine
    }

    /// A statement alone on its line(s).
    public static let none = LineContext()
}

/// One registered piece of text: a REPL input (`<input:3>`) or a statement read from a file.
public struct Source: Sendable {
    /// `<input:3>` or the script's path.
    public var name: String
    public var text: String
    /// Line of the file on which `text` starts (1-based); 1 for REPL inputs.
    public var firstLine: Int
    /// The rest of the line around `text` when it shares its line with other statements.
    public var context: LineContext
    let scalars: [Unicode.Scalar]

    init(name: String, text: String, firstLine: Int, context: LineContext = .none) {
        self.name = name
        self.text = text
        self.firstLine = firstLine
        self.context = context
        self.scalars = Array(text.unicodeScalars)
    }
}

/// A position readable by people: file, 1-based line and column, and the line's text.
public struct SourceLocation: Sendable, Equatable {
    public var name: String
    public var line: Int
    public var column: Int
    /// The whole line holding the span's start.
    public var lineText: String
    /// The span's length on that line, in scalars (at least 1).
    public var length: Int
    /// Scalars of the line before the span (to measure the caret's display column).
    public var prefix: String
}

/// Every source the session has seen, so that an error found later still points at the
/// line that defined the faulty formula.
public struct SourceMap: Sendable {
    public private(set) var sources: [Source] = []
    private var inputCount = 0

    public init() {}

    /// Registers a REPL input and returns its id; inputs are named `<input:N>`. A statement
    /// that continues a line (`context.continuesLine`) keeps the number of the line's first.
    public mutating func addInput(_ text: String, context: LineContext = .none) -> Int {
        if !context.continuesLine || inputCount == 0 { inputCount += 1 }
        return add(name: "<input:\(inputCount)>", text: text, firstLine: 1, context: context)
    }

    public mutating func add(name: String, text: String, firstLine: Int, context: LineContext = .none) -> Int {
        sources.append(Source(name: name, text: text, firstLine: firstLine, context: context))
        return sources.count - 1
    }

    public func source(_ id: Int) -> Source? { sources.indices.contains(id) ? sources[id] : nil }

    /// The text a span covers.
    public func text(of span: SourceSpan) -> String {
        guard let s = source(span.source) else { return "" }
        let a = min(span.start, s.scalars.count), b = min(span.end, s.scalars.count)
        return String(String.UnicodeScalarView(s.scalars[a..<b]))
    }

    public func location(of span: SourceSpan) -> SourceLocation? {
        guard let s = source(span.source) else { return nil }
        let scalars = s.scalars
        let start = min(span.start, scalars.count)
        var lineStart = 0, line = 0
        for i in 0..<start where scalars[i] == "\n" { line += 1; lineStart = i + 1 }
        var lineEnd = start
        while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
        var text = String(String.UnicodeScalarView(scalars[lineStart..<lineEnd]))
        var prefix = String(String.UnicodeScalarView(scalars[lineStart..<start]))
        let length = max(1, min(span.end, lineEnd) - start)
        // A statement sharing its line: show the whole line, columns counted from its start.
        if line == 0 {
            text = s.context.before + text
            prefix = s.context.before + prefix
        }
        if lineEnd == scalars.count { text += s.context.after }
        return SourceLocation(name: s.name, line: s.firstLine + line, column: prefix.unicodeScalars.count + 1,
                              lineText: text, length: length, prefix: prefix)
    }
}
