import TallyCore
import TallyLang

/// The words after a command such as `load "f.csv" as t, delimiter: ";"`: read with the
/// language's lexer so spans point into the typed line for carets.
struct CommandArguments {
    var tokens: [Token]
    var pos = 0
    let command: String

    init(_ text: String, source: Int, command: String) throws(TallyError) {
        var lexer = Lexer(text, source: source)
        tokens = try lexer.tokenize()
        self.command = command
        pos = 1   // the command word itself
    }

    var current: Token { tokens[min(pos, tokens.count - 1)] }
    var atEnd: Bool { current.kind == .end }

    mutating func text(_ what: String) throws(TallyError) -> (String, SourceSpan) {
        guard case .text(let s) = current.kind else {
            throw TallyError(.syntax("`\(command)` needs \(what) in quotes"), span: current.span, hint: usage)
        }
        defer { pos += 1 }
        return (s, current.span)
    }

    mutating func name(_ what: String) throws(TallyError) -> (String, SourceSpan) {
        guard case .name(let n, _) = current.kind else {
            throw TallyError(.syntax("`\(command)` needs \(what)"), span: current.span, hint: usage)
        }
        defer { pos += 1 }
        return (n, current.span)
    }

    mutating func keyword(_ word: String) throws(TallyError) {
        let ok: Bool
        switch current.kind {
        case .keyword(let k): ok = k.rawValue == word
        case .name(let n, false): ok = n == word
        default: ok = false
        }
        guard ok else { throw TallyError(.syntax("expected `\(word)`"), span: current.span, hint: usage) }
        pos += 1
    }

    /// `, label: value, ...` up to the end; values are constants (numbers, texts,
    /// booleans, lists, records with bare names as values).
    mutating func options(allowed: [String]) throws(TallyError) -> [String: (Value, SourceSpan)] {
        var out: [String: (Value, SourceSpan)] = [:]
        while !atEnd {
            guard current.isSymbol(",") else {
                throw TallyError(.syntax("expected `,` before the next option"), span: current.span, hint: usage)
            }
            pos += 1
            let (label, span) = try name("an option name")
            guard allowed.contains(label) else {
                let hint = Suggestions.closest(to: label, among: allowed).map { "did you mean `\($0)`?" }
                    ?? "options: " + allowed.joined(separator: ", ")
                throw TallyError(.syntax("`\(command)` has no option `\(label)`"), span: span, hint: hint)
            }
            guard out[label] == nil else { throw TallyError(.syntax("option `\(label)` is given twice"), span: span) }
            guard current.isSymbol(":") else { throw TallyError(.syntax("expected `:` after `\(label)`"), span: current.span) }
            pos += 1
            var parser = Parser(tokens: Array(tokens[pos...]))
            let expr = try parser.expression()
            pos += parser.position
            out[label] = (try CommandParser.constant(expr), expr.span)
        }
        return out
    }

    var usage: String {
        switch command {
        case "load": return "load \"file.csv\" as name, delimiter: \";\", header: false, encoding: \"gb18030\", skip: 2, types: {col: date}, dateformat: \"%m/%d/%Y\", on_error: \"skip\""
        case "export": return "export name to \"file.csv\", force: true"
        default: return "\(command) name"
        }
    }
}
