import TallyCore

/// Recursive descent parser, one method per grammar rule, lowest precedence first:
/// `as`, `|>`, `or`, `and`, `not`, comparisons, `+ - &`, `* /`, unary `-`, `^`, postfix.
public struct Parser {
    var tokens: [Token]
    var pos = 0

    public init(tokens: [Token]) { self.tokens = tokens }

    /// Parses one statement from text registered as `source`.
    public static func parse(_ text: String, source: Int) throws(TallyError) -> Statement {
        var lexer = Lexer(text, source: source)
        var parser = Parser(tokens: try lexer.tokenize())
        return try parser.statement()
    }

    /// Parses one expression (the whole text).
    public static func parseExpression(_ text: String, source: Int) throws(TallyError) -> Expr {
        var lexer = Lexer(text, source: source)
        var parser = Parser(tokens: try lexer.tokenize())
        let e = try parser.expression()
        try parser.expectEnd()
        return e
    }

    /// How many tokens have been read.
    public var position: Int { pos }

    var current: Token { tokens[min(pos, tokens.count - 1)] }
    func peek(_ k: Int) -> Token { tokens[min(pos + k, tokens.count - 1)] }

    mutating func advance() -> Token {
        let t = current
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    mutating func accept(_ symbol: String) -> Token? {
        current.isSymbol(symbol) ? advance() : nil
    }

    mutating func expect(_ symbol: String, _ what: String) throws(TallyError) -> Token {
        if let t = accept(symbol) { return t }
        throw TallyError(.syntax("expected `\(symbol)` \(what), found \(describe(current))"), span: current.span)
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .end: return "the end of the line"
        case .number: return "a number"
        case .text: return "a text"
        case .name(let n, _): return "`\(n)`"
        case .keyword(let k): return "`\(k.rawValue)`"
        case .symbol(let s): return "`\(s)`"
        }
    }

    mutating func expectEnd() throws(TallyError) {
        guard current.kind == .end else {
            if current.isSymbol("=") {
                throw TallyError(.syntax("unexpected `=`"), span: current.span, hint: "compare with `==`; define with `name = expr` at the start of a line")
            }
            throw TallyError(.syntax("unexpected \(describe(current)) after the expression"), span: current.span,
                             hint: current.isSymbol(",") ? "`1,000` is not a number: write 1000 or 1_000" : nil)
        }
    }

    // MARK: statements

    mutating func statement() throws(TallyError) -> Statement {
        if case .name(let n, _) = current.kind, peek(1).isSymbol("=") {
            let nameSpan = advance().span
            _ = advance()
            let e = try expressionOrMissing("after `=`")
            try expectEnd()
            return .define(name: n, nameSpan: nameSpan, expr: e)
        }
        if case .name(let t, _) = current.kind, peek(1).isSymbol("."),
           case .name(let c, _) = peek(2).kind, peek(3).isSymbol("=") {
            let span = current.span.merged(with: peek(2).span)
            pos += 4
            let e = try expressionOrMissing("after `=`")
            try expectEnd()
            return .defineColumn(table: t, column: c, nameSpan: span, expr: e)
        }
        let e = try expression()
        try expectEnd()
        return .evaluate(e)
    }

    mutating func expressionOrMissing(_ context: String) throws(TallyError) -> Expr {
        if current.kind == .end { throw TallyError(.syntax("expected an expression \(context)"), span: current.span) }
        return try expression()
    }

    // MARK: expressions

    public mutating func expression() throws(TallyError) -> Expr {
        var e = try pipe()
        while current.isKeyword(.as) {
            _ = advance()
            let t = advance()
            let format: NumberFormat
            switch t.kind {
            case .symbol("%"): format = .percent
            case .name("percent", _): format = .percent
            case .name("money", _): format = .money
            case .name("number", _), .name("plain", _): format = .plain
            default:
                throw TallyError(.syntax("expected a format after `as`, found \(describe(t))"), span: t.span,
                                 hint: "formats are `%`, `money` and `number`")
            }
            e = .format(e, format, e.span.merged(with: t.span))
        }
        return e
    }

    mutating func pipe() throws(TallyError) -> Expr {
        var e = try or()
        while current.isSymbol("|>") {
            let bar = advance()
            guard case .name(let n, _) = current.kind else {
                throw TallyError(.syntax("expected a function after `|>`, found \(describe(current))"), span: current.span.merged(with: bar.span))
            }
            let nameSpan = advance().span
            var args = [Argument(label: nil, labelSpan: nil, value: e)]
            var end = nameSpan
            if current.isSymbol("(") {
                let (more, close) = try arguments()
                args += more
                end = close
            }
            e = .call(name: n, nameSpan: nameSpan, arguments: args, span: e.span.merged(with: end))
        }
        return e
    }

    mutating func or() throws(TallyError) -> Expr {
        var e = try and()
        while current.isKeyword(.or) {
            _ = advance()
            let r = try and()
            e = .binary(.or, e, r, e.span.merged(with: r.span))
        }
        return e
    }

    mutating func and() throws(TallyError) -> Expr {
        var e = try not()
        while current.isKeyword(.and) {
            _ = advance()
            let r = try not()
            e = .binary(.and, e, r, e.span.merged(with: r.span))
        }
        return e
    }

    mutating func not() throws(TallyError) -> Expr {
        if current.isKeyword(.not) {
            let t = advance()
            let e = try not()
            return .unary(.not, e, t.span.merged(with: e.span))
        }
        return try comparison()
    }

    mutating func comparison() throws(TallyError) -> Expr {
        let e = try additive()
        guard case .symbol(let s) = current.kind, let op = BinaryOp(rawValue: s),
              [.equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual].contains(op) else { return e }
        _ = advance()
        let r = try additive()
        if case .symbol(let s2) = current.kind, ["==", "!=", "<", "<=", ">", ">="].contains(s2) {
            throw TallyError(.syntax("comparisons cannot be chained"), span: current.span, hint: "write `a < b and b < c`")
        }
        return .binary(op, e, r, e.span.merged(with: r.span))
    }

    mutating func additive() throws(TallyError) -> Expr {
        var e = try multiplicative()
        while case .symbol(let s) = current.kind, s == "+" || s == "-" || s == "&" {
            _ = advance()
            let r = try multiplicative()
            e = .binary(BinaryOp(rawValue: s) ?? .add, e, r, e.span.merged(with: r.span))
        }
        return e
    }

    mutating func multiplicative() throws(TallyError) -> Expr {
        var e = try unary()
        while true {
            if case .symbol(let s) = current.kind, s == "*" || s == "/" {
                _ = advance()
                let r = try unary()
                e = .binary(s == "*" ? .multiply : .divide, e, r, e.span.merged(with: r.span))
            } else if current.isSymbol("%") {
                throw TallyError(.syntax("`%` only ends a percent literal"), span: current.span, hint: "for the remainder use mod(a, b)")
            } else {
                return e
            }
        }
    }

    mutating func unary() throws(TallyError) -> Expr {
        if current.isSymbol("-") || current.isSymbol("+") {
            let t = advance()
            let e = try unary()
            return t.isSymbol("-") ? .unary(.negate, e, t.span.merged(with: e.span)) : e
        }
        return try power()
    }

    mutating func power() throws(TallyError) -> Expr {
        let base = try postfix()
        guard current.isSymbol("^") else { return base }
        _ = advance()
        let exponent = try unary()     // right-associative; `2^-1` allowed
        return .binary(.power, base, exponent, base.span.merged(with: exponent.span))
    }

    mutating func postfix() throws(TallyError) -> Expr {
        var e = try primary()
        while true {
            if current.isSymbol(".") {
                _ = advance()
                guard case .name(let n, _) = current.kind else {
                    throw TallyError(.syntax("expected a column name after `.`, found \(describe(current))"), span: current.span)
                }
                let t = advance()
                e = .member(e, n, e.span.merged(with: t.span))
            } else if current.isSymbol("(") {
                guard case .name(let n, let span) = e else {
                    throw TallyError(.syntax("only a function name can be called"), span: current.span)
                }
                let (args, close) = try arguments()
                e = .call(name: n, nameSpan: span, arguments: args, span: span.merged(with: close))
            } else {
                return e
            }
        }
    }

    /// `( [label:] expr, ... )`; returns the arguments and the span of `)`.
    mutating func arguments() throws(TallyError) -> ([Argument], SourceSpan) {
        let open = try expect("(", "to open the arguments")
        var args: [Argument] = []
        while !current.isSymbol(")") {
            if current.kind == .end {
                throw TallyError(.syntax("unclosed `(`"), span: open.span, hint: "close it with `)`")
            }
            var label: String?
            var labelSpan: SourceSpan?
            if case .name(let n, _) = current.kind, peek(1).isSymbol(":") {
                label = n
                labelSpan = advance().span
                _ = advance()
            } else if current.isKeyword(.as), peek(1).isSymbol(":") {
                // `as:` names an output column (`split(..., as: "gmv")`).
                label = "as"
                labelSpan = advance().span
                _ = advance()
            }
            args.append(Argument(label: label, labelSpan: labelSpan, value: try expression()))
            if current.kind == .end { throw TallyError(.syntax("unclosed `(`"), span: open.span, hint: "close it with `)`") }
            if accept(",") == nil, !current.isSymbol(")") {
                throw TallyError(.syntax("expected `,` or `)` in the arguments, found \(describe(current))"), span: current.span)
            }
        }
        return (args, advance().span)
    }

    mutating func primary() throws(TallyError) -> Expr {
        let t = current
        switch t.kind {
        case .number(let v, let f): _ = advance(); return .number(v, f, t.span)
        case .text(let s): _ = advance(); return .text(s, t.span)
        case .keyword(.true): _ = advance(); return .bool(true, t.span)
        case .keyword(.false): _ = advance(); return .bool(false, t.span)
        case .name(let n, _): _ = advance(); return .name(n, t.span)
        case .symbol("("):
            _ = advance()
            let e = try expression()
            guard current.isSymbol(")") else {
                throw TallyError(.syntax("expected `)` to close `(`, found \(describe(current))"), span: current.span)
            }
            return e.respanned(t.span.merged(with: advance().span))
        case .symbol("["):
            _ = advance()
            var items: [Expr] = []
            while !current.isSymbol("]") {
                if current.kind == .end { throw TallyError(.syntax("unclosed `[`"), span: t.span, hint: "close it with `]`") }
                items.append(try expression())
                if current.kind == .end { throw TallyError(.syntax("unclosed `[`"), span: t.span, hint: "close it with `]`") }
                if accept(",") == nil, !current.isSymbol("]") {
                    throw TallyError(.syntax("expected `,` or `]` in the list, found \(describe(current))"), span: current.span)
                }
            }
            return .list(items, t.span.merged(with: advance().span))
        case .symbol("{"):
            _ = advance()
            var fields: [RecordField] = []
            while !current.isSymbol("}") {
                if current.kind == .end { throw TallyError(.syntax("unclosed `{`"), span: t.span, hint: "close it with `}`") }
                let key: String
                switch current.kind {
                case .name(let n, _): key = n
                case .text(let s): key = s
                default: throw TallyError(.syntax("expected a field name in the record, found \(describe(current))"), span: current.span)
                }
                let keySpan = advance().span
                _ = try expect(":", "after the field name")
                if fields.contains(where: { $0.name == key }) {
                    throw TallyError(.syntax("field `\(key)` appears twice"), span: keySpan)
                }
                fields.append(RecordField(name: key, value: try expression()))
                if current.kind == .end { throw TallyError(.syntax("unclosed `{`"), span: t.span, hint: "close it with `}`") }
                if accept(",") == nil, !current.isSymbol("}") {
                    throw TallyError(.syntax("expected `,` or `}` in the record, found \(describe(current))"), span: current.span)
                }
            }
            return .record(fields, t.span.merged(with: advance().span))
        case .symbol("%"):
            throw TallyError(.syntax("`%` only ends a percent literal"), span: t.span, hint: "write 3% or use mod(a, b)")
        case .end:
            throw TallyError(.syntax("expected an expression, found the end of the line"), span: t.span)
        default:
            throw TallyError(.syntax("expected an expression, found \(describe(t))"), span: t.span)
        }
    }
}
