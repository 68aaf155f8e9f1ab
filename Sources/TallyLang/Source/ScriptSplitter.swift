/// Cuts a script into statements the way the REPL reads typed lines: one statement per
/// line, continued while a bracket or text is open, and several on one line when `;`
/// separates them. Blank and comment lines are skipped.
public enum ScriptSplitter {
    public struct Statement: Equatable, Sendable {
        public var text: String
        /// Line of the file the statement starts on.
        public var line: Int
        /// The rest of its line when the statement shares it (`a = 1; b = 2`).
        public var context: LineContext

        public init(text: String, line: Int, context: LineContext = .none) {
            self.text = text
            self.line = line
            self.context = context
        }
    }

    /// Lines of a script, split on "\n", "\r\n" or a lone "\r" (old Mac files); "\r\n" is
    /// one Character in Swift, so the split works on scalars.
    public static func lines(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var line = String.UnicodeScalarView()
        var afterCR = false
        for c in text.unicodeScalars {
            if c == "\n" && afterCR {
                afterCR = false
                continue
            }
            afterCR = c == "\r"
            if c == "\n" || c == "\r" {
                out.append(Substring(String(line)))
                line = String.UnicodeScalarView()
            } else {
                line.append(c)
            }
        }
        out.append(Substring(String(line)))
        return out
    }

    public static func statements(_ text: String) -> [Statement] {
        var out: [Statement] = []
        var buffer = ""
        var start = 0
        for (i, raw) in lines(text).enumerated() {
            let l = String(raw)
            if buffer.isEmpty {
                if l.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                if l.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("#") { continue }
                if i == 0, l.hasPrefix("#!") { continue }
                start = i + 1
                buffer = l
            } else {
                buffer += "\n" + l
            }
            if !Lexer.needsMoreInput(buffer) {
                out += separated(buffer, line: start)
                buffer = ""
            }
        }
        return out
    }

    /// One complete input (its brackets and texts closed) cut at each `;` that separates
    /// statements: outside brackets, texts, backtick names and comments. Without such a
    /// `;` the input is one statement, as it is. Empty statements (`a = 1;`) and a
    /// trailing comment alone (`a = 1; # note`) are left out.
    public static func separated(_ text: String, line: Int = 1) -> [Statement] {
        let scalars = Array(text.unicodeScalars)
        let cuts = separators(scalars)
        guard !cuts.isEmpty else { return [Statement(text: text, line: line)] }
        var out: [Statement] = []
        var from = 0
        for end in cuts + [scalars.count] {
            defer { from = end + 1 }
            var a = from, b = end
            while a < b, isSpace(scalars[a]) { a += 1 }
            while b > a, isSpace(scalars[b - 1]) { b -= 1 }
            guard a < b, !(scalars[a] == "#" && !scalars[a..<b].contains("\n")) else { continue }
            // The line it starts on, and the rest of its first and last lines.
            var lineStart = 0, newlines = 0
            for i in 0..<a where scalars[i] == "\n" { newlines += 1; lineStart = i + 1 }
            var lineEnd = b
            while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
            let context = LineContext(before: string(scalars[lineStart..<a]), after: string(scalars[b..<lineEnd]),
                                      continuesLine: !out.isEmpty)
            out.append(Statement(text: string(scalars[a..<b]), line: line + newlines, context: context))
        }
        return out
    }

    /// Offsets of the `;`s that end a statement.
    static func separators(_ scalars: [Unicode.Scalar]) -> [Int] {
        var cuts: [Int] = []
        var depth = 0
        var quote: Unicode.Scalar?
        var escaped = false
        var comment = false
        for (i, c) in scalars.enumerated() {
            if comment { if c == "\n" { comment = false }; continue }
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" && q != "`" { escaped = true } else if c == q || (q == "`" && c == "\n") { quote = nil }
                continue
            }
            switch c {
            case "\"", "'", "`": quote = c
            case "#": comment = true
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            case ";" where depth <= 0: cuts.append(i)
            default: break
            }
        }
        return cuts
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

    private static func string(_ s: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(s)) }

    /// The line where a statement that never closes its bracket or text starts.
    public static func unfinished(_ text: String) -> Int? {
        var buffer = ""
        var start = 0
        for (i, raw) in lines(text).enumerated() {
            let l = String(raw)
            if buffer.isEmpty {
                if l.allSatisfy({ $0 == " " || $0 == "\t" }) || l.drop(while: { $0 == " " }).hasPrefix("#") { continue }
                start = i + 1
                buffer = l
            } else {
                buffer += "\n" + l
            }
            if !Lexer.needsMoreInput(buffer) { buffer = "" }
        }
        return buffer.isEmpty ? nil : start
    }
}
