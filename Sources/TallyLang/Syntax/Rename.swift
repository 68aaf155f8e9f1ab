/// Rewrites the text of a definition so that it names `to` wherever it named `from`:
/// every name token except a column after `.` and an argument label before `:`.
enum Rename {
    static func definition(_ text: String, from: String, to: String, defining: Bool) -> String {
        var lexer = Lexer(text, source: -1)
        guard let tokens = try? lexer.tokenize() else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var last = 0
        for (i, t) in tokens.enumerated() {
            guard case .name(let n, _) = t.kind, n == from else { continue }
            if i > 0, tokens[i - 1].isSymbol(".") { continue }
            if i + 1 < tokens.count, tokens[i + 1].isSymbol(":"), !(i == 0 && defining) { continue }
            out.append(contentsOf: scalars[last..<t.span.start])
            out.append(contentsOf: Canonical.name(to).unicodeScalars)
            last = t.span.end
        }
        out.append(contentsOf: scalars[last...])
        return String(out)
    }
}
