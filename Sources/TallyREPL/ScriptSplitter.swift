import TallyLang

/// Cuts a script into statements the way the REPL reads typed lines: one statement per
/// line, continued while a bracket or text is open. Blank and comment lines are skipped.
enum ScriptSplitter {
    struct Statement: Equatable {
        var text: String
        /// Line of the file the statement starts on.
        var line: Int
    }

    /// Lines of a script; "\r\n" is one Character in Swift, so normalise it first.
    static func lines(_ text: String) -> [Substring] {
        let t = text.contains("\r\n") ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        return t.split(separator: "\n", omittingEmptySubsequences: false)
    }

    static func statements(_ text: String) -> [Statement] {
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
    static func unfinished(_ text: String) -> Int? {
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
