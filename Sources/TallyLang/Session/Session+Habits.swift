import Foundation

/// Hints for habits users bring from other tools: a mistyped command word, `-amount` or
/// `descending` to sort the other way. They only reword a refusal; nothing runs differently.
extension Session {
    /// `error` with a better message or hint when it looks like one of those habits.
    func withHabitHints(_ error: TallyError, text: String, source: Int) -> TallyError {
        guard let span = error.span, span.source == source else { return error }
        let scalars = Array(text.unicodeScalars)
        func slice(_ a: Int, _ b: Int) -> String {
            String(String.UnicodeScalarView(scalars[min(a, scalars.count)..<min(max(a, b), scalars.count)]))
        }
        if let better = mistypedCommand(error, text: text, source: source) { return better }
        let word = slice(span.start, span.end)
        let before = slice(0, span.start).trimmingCharacters(in: .whitespaces)
        let insideSort = text.range(of: "sort(") != nil
        var out = error
        switch word.lowercased() {
        case "descending", "descend", "reverse":
            out.hint = "write `desc` after the column to sort from the largest: sort(t, amount, desc)"
        case "ascending", "ascend":
            out.hint = "write `asc` after the column (or nothing: ascending is the default): sort(t, amount, asc)"
        default:
            // `sort(t, -amount)`: the minus applies to the column's values, not the order.
            guard insideSort, before.hasSuffix("-"), case .unknownName = error.kind else { return error }
            out.hint = "to sort from the largest, write `desc` after the column: sort(t, \(word), desc)"
        }
        return out
    }

    /// `lst`, `exprot t to "x.csv"`, `lod "f.csv" as t`: the first word is no name in scope
    /// but is one letter or two from a command word, and the line is not an expression.
    private func mistypedCommand(_ error: TallyError, text: String, source: Int) -> TallyError? {
        var lexer = Lexer(text, source: source)
        guard let tokens = try? lexer.tokenize(), case .name(let w, quoted: false) = tokens.first?.kind,
              let span = error.span, workspace[w] == nil, registry.lookup(w) == nil,
              !Session.commandWords.contains(w) else { return nil }
        let first = tokens[0].span
        let letters = Array(w.lowercased())
        let limit = letters.count <= 4 ? 1 : 2
        let scored = Set(Session.commandWords).map { ($0, Suggestions.distance(letters, Array($0))) }
        guard let best = scored.filter({ $0.1 <= limit }).min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return nil }
        switch error.kind {
        case .unknownName(let n) where n == w && span == first:
            // A closer name in the workspace wins over the command.
            if let named = Suggestions.closest(to: w, among: workspace.order),
               Suggestions.distance(letters, Array(named.lowercased())) < best.1 { return nil }
            return TallyError(.command("`\(w)` is not a name or a command"), span: first, hint: "did you mean the command `\(best.0)`?")
        case .syntax where span.start >= first.end:
            return TallyError(.command("`\(w)` is not a command"), span: first, hint: "did you mean `\(best.0)`?")
        default:
            return nil
        }
    }
}
