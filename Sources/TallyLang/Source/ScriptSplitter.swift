/// Cuts a script into statements the way the REPL reads typed lines: one statement per
/// line, continued while a bracket or text is open. Blank and comment lines are skipped.
public enum ScriptSplitter {
    public struct Statement: Equatable, Sendable {
        public var text: String
        /// Line of the file the statement starts on.
        public var line: Int

        public init(text: String, line: Int) {
            self.text = text
            self.line = line
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
                out.append(Statement(text: buffer, line: start))
                buffer = ""
            }
        }
        return out
    }

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
