import TallyCore

extension Parser {
    /// Command words the language parses (the REPL keeps `help`, `show`, `describe`,
    /// `export`, `chart`, `run` and `quit`, which never change the workspace).
    public static let commandWords: Set<String> = [
        "load", "reload", "drop", "rename", "undo", "redo", "list", "what", "scenario", "scenarios",
        "compare", "goalseek", "datatable", "sensitivity", "save", "open", "set", "export", "describe", "explain",
    ]

    /// Parses one statement: a command when the line starts with a command word (and is
    /// not a definition such as `list = 3`, which is refused later), else a definition or
    /// an expression.
    public static func parseStatement(_ text: String, source: Int) throws(TallyError) -> Statement? {
        var lexer = Lexer(text, source: source)
        let tokens = try lexer.tokenize()
        if tokens[0].kind == .end { return nil }
        var parser = Parser(tokens: tokens)
        if case .name(let word, quoted: false) = tokens[0].kind, commandWords.contains(word),
           !(tokens.count > 1 && (tokens[1].isSymbol("=") || tokens[1].isSymbol("(") || tokens[1].isSymbol("."))) {
            var c = CommandParser(parser: parser, scalars: Array(text.unicodeScalars))
            return .command(try c.command(word))
        }
        return try parser.statement()
    }
}

/// Reads the words after a command. Expressions inside commands go through the
/// expression parser, so their errors and spans are the language's own.
public struct CommandParser {
    var parser: Parser
    let scalars: [Unicode.Scalar]

    var current: Token { parser.current }

    mutating func advance() -> Token { parser.advance() }

    func source(_ span: SourceSpan) -> String {
        let a = min(span.start, scalars.count), b = min(span.end, scalars.count)
        return String(String.UnicodeScalarView(scalars[a..<b]))
    }

    func isWord(_ w: String) -> Bool {
        switch current.kind {
        case .name(let n, quoted: false): return n == w
        case .keyword(let k): return k.rawValue == w
        default: return false
        }
    }

    mutating func expectWord(_ w: String, _ usage: String) throws(TallyError) {
        guard isWord(w) else {
            throw TallyError(.syntax("expected `\(w)`, found \(parser.describe(current))"), span: current.span, hint: usage)
        }
        _ = advance()
    }

    mutating func name(_ what: String, _ usage: String) throws(TallyError) -> NameRef {
        guard case .name(let n, _) = current.kind else {
            throw TallyError(.syntax("expected \(what), found \(parser.describe(current))"), span: current.span, hint: usage)
        }
        return NameRef(n, advance().span)
    }

    mutating func text(_ what: String, _ usage: String) throws(TallyError) -> (String, SourceSpan) {
        guard case .text(let s) = current.kind else {
            throw TallyError(.syntax("expected \(what) in quotes, found \(parser.describe(current))"), span: current.span, hint: usage)
        }
        return (s, advance().span)
    }

    mutating func end(_ usage: String) throws(TallyError) {
        guard current.kind == .end else {
            throw TallyError(.syntax("unexpected `\(source(current.span))` after the command"), span: current.span, hint: usage)
        }
    }

    mutating func expression(_ context: String) throws(TallyError) -> Expr {
        if current.kind == .end { throw TallyError(.syntax("expected an expression \(context)"), span: current.span) }
        return try parser.expression()
    }

    /// `, label: value, ...` to the end of the line.
    mutating func options(_ usage: String) throws(TallyError) -> [CommandOption] {
        var out: [CommandOption] = []
        while current.kind != .end {
            guard parser.accept(",") != nil else {
                throw TallyError(.syntax("expected `,` before the next option, found \(parser.describe(current))"), span: current.span, hint: usage)
            }
            let label = try name("an option name", usage)
            guard parser.accept(":") != nil else {
                throw TallyError(.syntax("expected `:` after `\(label.name)`"), span: current.span, hint: usage)
            }
            if out.contains(where: { $0.label.name == label.name }) {
                throw TallyError(.syntax("option `\(label.name)` is given twice"), span: label.span)
            }
            let e = try expression("after `\(label.name):`")
            out.append(CommandOption(label: label, value: e, text: source(e.span)))
        }
        return out
    }

    /// `a = expr, b = expr` up to the end or a `:`.
    mutating func overrides(_ usage: String) throws(TallyError) -> [Override] {
        var out: [Override] = []
        repeat {
            let n = try name("a name to change", usage)
            guard parser.accept("=") != nil else {
                throw TallyError(.syntax("expected `=` after `\(n.name)`"), span: current.span, hint: usage)
            }
            let e = try expression("after `\(n.name) =`")
            if out.contains(where: { $0.name.name == n.name }) {
                throw TallyError(.syntax("`\(n.name)` is given twice"), span: n.span)
            }
            out.append(Override(name: n, expr: e, text: source(e.span)))
        } while parser.accept(",") != nil
        return out
    }

    /// `a, b, c` up to a word that is not followed by a comma.
    mutating func names(_ what: String, _ usage: String) throws(TallyError) -> [NameRef] {
        var out = [try name(what, usage)]
        while parser.accept(",") != nil { out.append(try name(what, usage)) }
        return out
    }

    mutating func command(_ word: String) throws(TallyError) -> Command {
        let start = advance()
        switch word {
        case "list": return try list()
        case "undo", "redo", "scenarios":
            guard current.kind == .end else {
                throw TallyError(.syntax("`\(word)` takes no arguments"), span: current.span)
            }
            return word == "undo" ? .undo : word == "redo" ? .redo : .scenarios
        case "load": return try load()
        case "explain":
            let e = try expression("to explain, as in explain o |> group(region, total: sum(amount))")
            try end("explain EXPRESSION")
            return .explain(e)
        case "reload":
            let usage = "reload name"
            let n = try name("the name of a loaded table", usage)
            try end(usage)
            return .reload(n)
        case "drop":
            let usage = "drop name1, name2 (or drop scenario NAME)"
            if isWord("scenario"), !parser.peek(1).isSymbol(",") {
                _ = advance()
                let n = try name("the name of the scenario to drop", usage)
                try end(usage)
                return .dropScenario(n)
            }
            if current.kind == .end { throw TallyError(.syntax("`drop` needs the names to drop"), span: start.span, hint: usage) }
            let ns = try names("a name", usage)
            try end(usage)
            return .drop(ns)
        case "rename":
            let usage = "rename old_name to new_name"
            let from = try name("the name to rename", usage)
            try expectWord("to", usage)
            let to = try name("the new name", usage)
            try end(usage)
            return .rename(from: from, to: to)
        case "what":
            let usage = "what if visitors = 20000, buyers = 700: revenue, profit"
            try expectWord("if", usage)
            let os = try overrides(usage)
            var targets: [NameRef] = []
            if parser.accept(":") != nil { targets = try names("a formula to show", usage) }
            try end(usage)
            return .whatIf(overrides: os, targets: targets)
        case "scenario":
            let usage = "scenario best: visitors = 15000, conversion = 4% (or scenario apply best)"
            if isWord("apply"), !parser.peek(1).isSymbol(":") {
                _ = advance()
                let n = try name("the name of the scenario to apply", usage)
                try end(usage)
                return .scenarioApply(n)
            }
            let n = try name("a scenario name", usage)
            guard parser.accept(":") != nil else {
                throw TallyError(.syntax("expected `:` after the scenario name"), span: current.span, hint: usage)
            }
            let os = try overrides(usage)
            try end(usage)
            return .scenario(name: n, overrides: os)
        case "compare":
            let usage = "compare revenue, profit"
            var targets: [NameRef] = []
            if current.kind != .end { targets = try names("a formula to compare", usage) }
            try end(usage)
            return .compare(targets)
        case "goalseek":
            let usage = "goalseek revenue = 2000000 by visitors, range: [1000, 100000]"
            let target = try name("the formula to reach", usage)
            guard parser.accept("=") != nil else {
                throw TallyError(.syntax("expected `=` and the value to reach after `\(target.name)`"), span: current.span, hint: usage)
            }
            let value = try expression("after `=`")
            try expectWord("by", usage)
            let input = try name("the input to change", usage)
            return .goalseek(target: target, value: value, input: input, options: try options(usage))
        case "datatable":
            return try datatable()
        case "sensitivity":
            let usage = "sensitivity revenue, by: 20%, visitors: [10000, 16000]"
            let target = try name("the formula to study", usage)
            return .sensitivity(target: target, options: try options(usage))
        case "save":
            let usage = "save \"plan.tally\", data: true"
            let (path, span) = try text("a file name", usage)
            return .save(path: path, pathSpan: span, options: try options(usage))
        case "export":
            let usage = "export t to \"file.csv\", force: true (any table expression: export group(orders, channel) to \"g.csv\")"
            if current.kind == .end { throw TallyError(.syntax("`export` needs the table to export"), span: current.span, hint: usage) }
            let source = try expression("to export")
            try expectWord("to", usage)
            let (path, span) = try text("the file name", usage)
            return .export(source: source, path: path, pathSpan: span, options: try options(usage))
        case "describe":
            let usage = "describe t"
            let n = try name("the name of a table", usage)
            try end(usage)
            return .describe(n)
        case "open":
            let usage = "open \"plan.tally\""
            let (path, span) = try text("a file name", usage)
            try end(usage)
            return .open(path: path, pathSpan: span)
        default: // "set"
            let usage = "set NAME VALUE"
            let key = try name("a setting name", usage)
            guard current.kind != .end else {
                throw TallyError(.syntax("`set \(key.name)` needs a value"), span: current.span, hint: usage)
            }
            let first = current.span
            var last = first
            while current.kind != .end { last = advance().span }
            let span = first.merged(with: last)
            var value = source(span)
            if case .text(let s) = parser.tokens[parser.position - 1].kind, first == last { value = s }
            return .set(key: key, value: value, valueSpan: span)
        }
    }

    /// `list`, `list tables|formulas|inputs`, or `list a, b` (commas optional).
    private mutating func list() throws(TallyError) -> Command {
        let usage = "list, list tables, list formulas, list inputs, or list NAME, ..."
        if current.kind == .end { return .list(.all) }
        if case .name(let w, quoted: false) = current.kind, ListScope.words.contains(w), parser.peek(1).kind == .end {
            _ = advance()
            return .list(w == "tables" ? .tables : w == "formulas" ? .formulas : .inputs)
        }
        var names: [NameRef] = []
        while current.kind != .end {
            if !names.isEmpty { _ = parser.accept(",") }
            names.append(try name("a name to list", usage))
        }
        return .list(.names(names))
    }

    private mutating func load() throws(TallyError) -> Command {
        let usage = "load \"file.csv\" as name, delimiter: \";\", header: false, encoding: \"gb18030\", skip: 2, types: {col: date}"
        if isWord("demo"), parser.peek(1).kind == .end {
            _ = advance()
            return .load(LoadSpec(source: .demo, name: nil))
        }
        if isWord("postgres"), case .text = parser.peek(1).kind { return try loadPostgres() }
        let (path, pathSpan) = try text("the file name", usage)
        try expectWord("as", usage)
        let n = try name("a name for the table: load \"file.csv\" as orders", usage)
        var options: [(label: String, value: Value, span: SourceSpan, labelSpan: SourceSpan)] = []
        for o in try self.options(usage) {
            options.append((o.label.name, try CommandParser.constant(o.value), o.value.span, o.label.span))
        }
        return .load(LoadSpec(source: .file(path: path), name: n.name, options: options, pathSpan: pathSpan, nameSpan: n.span))
    }

    private mutating func datatable() throws(TallyError) -> Command {
        let usage = "datatable revenue by visitors in 10000..20000 step 2500, conversion in [2%, 3%]"
        let targets = try names("a formula to tabulate", usage)
        try expectWord("by", usage)
        var axes: [Axis] = []
        repeat {
            let input = try name("an input", usage)
            try expectWord("in", usage)
            let from = try expression("after `in`")
            if case .list = from {
                axes.append(Axis(input: input, values: .list(from), span: input.span.merged(with: from.span)))
                continue
            }
            guard parser.accept("..") != nil else {
                throw TallyError(.syntax("expected `..` and the end of the range, or a list such as [1, 2, 3]"), span: current.span, hint: usage)
            }
            let to = try expression("after `..`")
            var step: Expr?
            if isWord("step") {
                _ = advance()
                step = try expression("after `step`")
            }
            axes.append(Axis(input: input, values: .range(from: from, to: to, step: step),
                             span: input.span.merged(with: (step ?? to).span)))
        } while parser.accept(",") != nil
        try end(usage)
        return .datatable(targets: targets, axes: axes)
    }

    /// An option value as a constant: a bare name stands for its own text
    /// (`types: {d: date}`); lists and records hold constants.
    public static func constant(_ e: Expr) throws(TallyError) -> Value {
        switch e {
        case .name(let n, _): return .text(n)
        case .record(let fields, _):
            var r = Record()
            for f in fields { r[f.name] = try constant(f.value) }
            return .record(r)
        case .list(let xs, _):
            var out: [Value] = []
            for x in xs { out.append(try constant(x)) }
            return .list(out)
        default:
            let v = try Evaluator(lookup: { _ in nil }).evaluate(e)
            if case .error(let err) = v { throw TallyError(.evaluation(err), span: e.span) }
            return v
        }
    }
}
