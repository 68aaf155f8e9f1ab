import TallyCore
import TallyLang

/// The words of a `chart` command, read with the language's lexer so that errors point
/// into the typed line: `chart KIND DATA, x: col, y: col, bins: n, title: "...",
/// height: n, to: "file.svg", force: true`. `to "file.svg"` may also be written without
/// the comma and colon. DATA is any expression; it is evaluated later in the workspace.
struct ChartRequest {
    /// An option's value and where it was written. Bare names stand for their own text
    /// (`x: channel`), so column names need no quotes.
    struct Option {
        var value: Value
        var span: SourceSpan
    }

    var kind: ChartSpec.Kind
    var kindSpan: SourceSpan
    var data: Expr
    var options: [String: Option]
    /// The end of the line, where a missing option would go.
    var endSpan: SourceSpan

    /// Options each kind accepts.
    static func allowedOptions(_ kind: ChartSpec.Kind) -> [String] {
        let common = ["title", "to", "force"]
        switch kind {
        case .bar: return ["x", "y"] + common
        case .hist: return ["x", "bins"] + common
        case .line: return ["x", "y", "height"] + common
        case .pareto: return ["height"] + common
        case .rfm, .tornado, .heat: return common
        }
    }

    /// How each kind is written, for hints.
    static func usage(_ kind: ChartSpec.Kind?) -> String {
        switch kind {
        case .bar?: return "chart bar t, x: label_column, y: number_column (or y: [a, b]), to: \"chart.svg\""
        case .hist?: return "chart hist t.column (or chart hist t, x: column, bins: 10)"
        case .line?: return "chart line t, x: date_column, y: number_column"
        case .pareto?: return "chart pareto abc_result (a table with cum_share and class columns)"
        case .rfm?: return "chart rfm rfm_result (a table with segment and monetary columns)"
        case .tornado?: return "chart tornado sensitivity_result (after `sensitivity f`: chart tornado _)"
        case .heat?: return "chart heat data_table (a two-input `datatable`: chart heat _)"
        case nil: return "chart bar|hist|line|pareto|rfm|tornado|heat DATA, options; e.g. chart bar t, x: channel, y: revenue"
        }
    }

    static func parse(_ text: String, source: Int) throws(TallyError) -> ChartRequest {
        var lexer = Lexer(text, source: source)
        let tokens = try lexer.tokenize()
        var pos = 1   // after the word `chart`
        func token(_ i: Int) -> Token { tokens[min(i, tokens.count - 1)] }
        let kinds = ChartSpec.Kind.allCases.map(\.rawValue)

        guard case .name(let word, _) = token(pos).kind else {
            throw TallyError(.syntax("`chart` needs a kind of chart: " + kinds.joined(separator: ", ")),
                             span: token(pos).span, hint: usage(nil))
        }
        guard let kind = ChartSpec.Kind(rawValue: word) else {
            let hint = Suggestions.closest(to: word, among: kinds).map { "did you mean `\($0)`?" }
                ?? "kinds: " + kinds.joined(separator: ", ")
            throw TallyError(.syntax("unknown chart kind `\(word)`"), span: token(pos).span, hint: hint)
        }
        let kindSpan = token(pos).span
        pos += 1
        if token(pos).kind == .end || token(pos).isSymbol(",") {
            throw TallyError(.syntax("`chart \(word)` needs the data to draw"), span: token(pos).span, hint: usage(kind))
        }
        var parser = Parser(tokens: Array(tokens[pos...]))
        let data = try parser.expression()
        pos += parser.position

        let allowed = allowedOptions(kind)
        var options: [String: Option] = [:]
        func isBareTo(_ i: Int) -> Bool {
            if case .name("to", false) = token(i).kind, case .text = token(i + 1).kind { return true }
            return false
        }
        while token(pos).kind != .end {
            let (label, labelSpan): (String, SourceSpan)
            let value: Option
            if isBareTo(pos) || (token(pos).isSymbol(",") && isBareTo(pos + 1)) {
                if token(pos).isSymbol(",") { pos += 1 }
                guard case .text(let path) = token(pos + 1).kind else { break }
                (label, labelSpan) = ("to", token(pos).span)
                value = Option(value: .text(path), span: token(pos + 1).span)
                pos += 2
            } else {
                guard token(pos).isSymbol(",") else {
                    throw TallyError(.syntax("expected `,` before the next option"), span: token(pos).span, hint: usage(kind))
                }
                pos += 1
                guard case .name(let n, _) = token(pos).kind else {
                    throw TallyError(.syntax("expected an option name after `,`"), span: token(pos).span, hint: usage(kind))
                }
                (label, labelSpan) = (n, token(pos).span)
                guard allowed.contains(n) else {
                    let hint = Suggestions.closest(to: n, among: allowed).map { "did you mean `\($0)`?" }
                        ?? "options of chart \(word): " + allowed.joined(separator: ", ")
                    throw TallyError(.syntax("`chart \(word)` has no option `\(n)`"), span: labelSpan, hint: hint)
                }
                guard token(pos + 1).isSymbol(":") else {
                    throw TallyError(.syntax("expected `:` after `\(n)`"), span: token(pos + 1).span, hint: usage(kind))
                }
                pos += 2
                var p = Parser(tokens: Array(tokens[pos...]))
                let e = try p.expression()
                pos += p.position
                value = Option(value: try CommandParser.constant(e), span: e.span)
            }
            guard options[label] == nil else {
                throw TallyError(.syntax("`\(label)` is given twice"), span: labelSpan)
            }
            options[label] = value
        }
        return ChartRequest(kind: kind, kindSpan: kindSpan, data: data, options: options, endSpan: token(pos).span)
    }
}
