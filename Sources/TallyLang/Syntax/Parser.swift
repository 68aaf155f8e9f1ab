import TallyCore

/// Recursive descent parser, lowest precedence first: `as`, `|>`, then the binary operators
/// by precedence climbing (`or`, `and`, `not`, comparisons, `+ - &`, `* /`), unary `-`, `^`,
/// postfix. Chains of one level and runs of prefix operators are loops, not recursion;
/// nesting is limited to `nestingLimit` levels so no input can overflow the stack.
public struct Parser {
    var tokens: [Token]
    var pos = 0
    /// Levels of nesting around the current position.
    var depth = 0
    /// The deepest level reached inside the subtree being parsed.
    var reach = 0

    /// The deepest an expression may nest: each bracket, call, list, record, prefix
    /// operator, `^`, `.field`, `|>` and `as` is a level; a chain such as `a + b + c` is one.
    public static let nestingLimit = 1000

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

    /// More tokens ahead that open a level than a small stack can surely take: such input
    /// is parsed on a large one.
    var mayNestDeeply: Bool {
        var openers = 0
        for t in tokens[min(pos, tokens.count)...] {
            switch t.kind {
            case .symbol("("), .symbol("["), .symbol("{"), .symbol("-"), .symbol("+"), .symbol("^"),
                 .symbol("."), .symbol("|>"), .keyword(.not), .keyword(.as):
                openers += 1
                if openers > 32 { return true }
            default: break
            }
        }
        return false
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
        case .text: return "quoted text"
        case .name(let n, _): return "`\(n)`"
        case .keyword(let k): return "`\(k.rawValue)`"
        case .symbol(let s): return "`\(s)`"
        }
    }

    /// `describe` without the article, for "unexpected number after the expression".
    func noun(_ t: Token) -> String {
        switch t.kind {
        case .number: return "number"
        case .text: return "text"
        default: return describe(t)
        }
    }

    /// `=` where an expression goes on (`where(t, channel = "Tmall")`): meant `==`.
    func refuseEquals() throws(TallyError) {
        guard current.isSymbol("=") else { return }
        throw TallyError(.syntax("`=` defines a formula; compare with `==`"), span: current.span,
                         hint: "a definition is `name = expr` on a line of its own")
    }

    mutating func expectEnd() throws(TallyError) {
        guard current.kind == .end else {
            try refuseEquals()
            throw TallyError(.syntax("unexpected \(noun(current)) after the expression"), span: current.span,
                             hint: current.isSymbol(",") ? "`1,000` is not a number: write 1000 or 1_000" : nil)
        }
    }

    // MARK: statements

    mutating func statement() throws(TallyError) -> Statement {
        guard mayNestDeeply, !LargeStack.isCurrent else { return try statementBody() }
        return try LargeStack.run { () throws(TallyError) -> Statement in try statementBody() }
    }

    mutating func statementBody() throws(TallyError) -> Statement {
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
        let e = try expr()
        try expectEnd()
        return .evaluate(e)
    }

    mutating func expressionOrMissing(_ context: String) throws(TallyError) -> Expr {
        if current.kind == .end { throw TallyError(.syntax("expected an expression \(context)"), span: current.span) }
        return try expr()
    }

    // MARK: expressions

    /// Opens one level of nesting at `t`; past the limit the statement is refused.
    mutating func descend(at t: Token) throws(TallyError) {
        depth += 1
        if depth > reach { reach = depth }
        if depth > Self.nestingLimit { throw tooDeep(t.span) }
    }

    /// One more level above an already parsed subtree whose deepest level is `inner`
    /// (`.field`, `|>` and `as` wrap what precedes them).
    func wrap(_ inner: inout Int, at span: SourceSpan) throws(TallyError) {
        inner += 1
        if inner > Self.nestingLimit { throw tooDeep(span) }
    }

    func tooDeep(_ span: SourceSpan) -> TallyError {
        TallyError(.syntax("nested deeper than \(Self.nestingLimit) levels (brackets, calls, prefix operators, `^`, `.`, `|>`, `as`)"), span: span)
    }

    /// Parses one expression (and leaves the tokens after it).
    public mutating func expression() throws(TallyError) -> Expr {
        guard mayNestDeeply, !LargeStack.isCurrent else { return try expr() }
        return try LargeStack.run { () throws(TallyError) -> Expr in try expr() }
    }

    mutating func expr() throws(TallyError) -> Expr {
        let saved = reach
        reach = depth
        var e = try binary(1)
        var inner = reach
        while current.isSymbol("|>") {
            let bar = advance()
            guard case .name(let n, _) = current.kind else {
                throw TallyError(.syntax("expected a function after `|>`, found \(describe(current))"), span: current.span.merged(with: bar.span))
            }
            try wrap(&inner, at: bar.span)
            let nameSpan = advance().span
            var args = [Argument(label: nil, labelSpan: nil, value: e)]
            var end = nameSpan
            if current.isSymbol("(") {
                let (more, close) = try arguments()
                inner = max(inner, reach)
                args += more
                end = close
            }
            e = .call(name: n, nameSpan: nameSpan, arguments: args, span: e.span.merged(with: end))
        }
        while current.isKeyword(.as) {
            try wrap(&inner, at: advance().span)
            let t = advance()
            let format: NumberFormat
            switch t.kind {
            case .symbol("%"): format = .percent
            case .name("percent", _): format = .percent
            case .name("money", _): format = .money
            case .name("万", _): format = .wan
            case .name("亿", _): format = .yi
            case .name("number", _), .name("plain", _): format = .plain
            default:
                throw TallyError(.syntax("expected a format after `as`, found \(describe(t))"), span: t.span,
                                 hint: "formats are `%`, `money`, `number`, `万` and `亿`")
            }
            e = .format(e, format, e.span.merged(with: t.span))
        }
        reach = max(saved, inner)
        return e
    }

    /// The binary operator at the current token and its precedence level: 1 `or`, 2 `and`,
    /// 3 comparisons, 4 `+ - &`, 5 `* /` (`not` sits between 2 and 3, `^` above 5).
    func binaryOperator() -> (op: BinaryOp, level: Int)? {
        switch current.kind {
        case .keyword(.or): return (.or, 1)
        case .keyword(.and): return (.and, 2)
        case .symbol("=="): return (.equal, 3)
        case .symbol("!="): return (.notEqual, 3)
        case .symbol("<"): return (.less, 3)
        case .symbol("<="): return (.lessEqual, 3)
        case .symbol(">"): return (.greater, 3)
        case .symbol(">="): return (.greaterEqual, 3)
        case .symbol("+"): return (.add, 4)
        case .symbol("-"): return (.subtract, 4)
        case .symbol("&"): return (.concat, 4)
        case .symbol("*"): return (.multiply, 5)
        case .symbol("/"): return (.divide, 5)
        default: return nil
        }
    }

    /// Binary operators of level `min` and above, by precedence climbing. A run of operators
    /// of one level is collected in a loop into one `.chain` (left to right), so a long sum
    /// costs no stack; comparisons do not chain.
    mutating func binary(_ min: Int) throws(TallyError) -> Expr {
        var e = try min <= 3 && current.isKeyword(.not) ? not() : unary()
        while let first = binaryOperator(), first.level >= min {
            let level = first.level
            var links: [ChainLink] = []
            while let next = binaryOperator(), next.level == level {
                if level == 3, !links.isEmpty {
                    throw TallyError(.syntax("comparisons cannot be chained"), span: current.span, hint: "write `a < b and b < c`")
                }
                _ = advance()
                links.append(ChainLink(op: next.op, operand: try binary(level + 1)))
            }
            let span = e.span.merged(with: links[links.count - 1].operand.span)
            e = links.count == 1 ? .binary(links[0].op, e, links[0].operand, span) : .chain(e, links, span)
        }
        if current.isSymbol("%") {
            throw TallyError(.syntax("`%` only ends a percent literal"), span: current.span, hint: "for the remainder use mod(a, b)")
        }
        return e
    }

    /// `not not x`: the operators are collected in a loop; the operand is a comparison.
    mutating func not() throws(TallyError) -> Expr {
        var ops: [Token] = []
        defer { depth -= ops.count }
        while current.isKeyword(.not) {
            let t = advance()
            ops.append(t)
            try descend(at: t)
        }
        var e = try binary(3)
        for t in ops.reversed() { e = .unary(.not, e, t.span.merged(with: e.span)) }
        return e
    }

    /// Prefix `-` and `+`, collected in a loop, then a power.
    mutating func unary() throws(TallyError) -> Expr {
        var signs: [Token] = []
        defer { depth -= signs.count }
        while current.isSymbol("-") || current.isSymbol("+") {
            let t = advance()
            signs.append(t)
            try descend(at: t)
        }
        return Self.negated(try power(), by: signs)
    }

    static func negated(_ e: Expr, by signs: [Token]) -> Expr {
        var e = e
        for t in signs.reversed() where t.isSymbol("-") { e = .unary(.negate, e, t.span.merged(with: e.span)) }
        return e
    }

    /// `a ^ b ^ -c` is `a ^ (b ^ (-c))`: right-associative, so the operands are collected
    /// in a loop and folded from the right; `2^-1` is allowed.
    mutating func power() throws(TallyError) -> Expr {
        let base = try postfix()
        guard current.isSymbol("^") else { return base }
        var operands = [base]
        var signs: [[Token]] = [[]]
        var levels = 0
        defer { depth -= levels }
        while current.isSymbol("^") {
            levels += 1
            try descend(at: advance())
            var s: [Token] = []
            while current.isSymbol("-") || current.isSymbol("+") {
                let t = advance()
                s.append(t)
                levels += 1
                try descend(at: t)
            }
            signs.append(s)
            operands.append(try postfix())
        }
        var e = Self.negated(operands[operands.count - 1], by: signs[signs.count - 1])
        for i in stride(from: operands.count - 2, through: 0, by: -1) {
            e = Self.negated(.binary(.power, operands[i], e, operands[i].span.merged(with: e.span)), by: signs[i])
        }
        return e
    }

    mutating func postfix() throws(TallyError) -> Expr {
        let saved = reach
        reach = depth
        var e = try primary()
        var inner = reach
        while true {
            if current.isSymbol(".") {
                let dot = advance()
                guard case .name(let n, _) = current.kind else {
                    throw TallyError(.syntax("expected a column name after `.`, found \(describe(current))"), span: current.span)
                }
                let t = advance()
                try wrap(&inner, at: dot.span.merged(with: t.span))
                e = .member(e, n, e.span.merged(with: t.span))
            } else if current.isSymbol("["), current.span.start == e.span.end {
                // `q[2]`, right after the expression (no space): the call at(q, 2), 1-based.
                let open = advance()
                try descend(at: open)
                let index = try expr()
                depth -= 1
                guard current.isSymbol("]") else {
                    try refuseEquals()
                    throw TallyError(.syntax("expected `]` to close the index, found \(describe(current))"), span: current.span)
                }
                let close = advance()
                inner = max(inner, reach)
                e = .call(name: "at", nameSpan: open.span,
                          arguments: [Argument(label: nil, labelSpan: nil, value: e), Argument(label: nil, labelSpan: nil, value: index)],
                          span: e.span.merged(with: close.span))
            } else if current.isSymbol("(") {
                guard case .name(let n, let span) = e else {
                    throw TallyError(.syntax("only a function name can be called"), span: current.span)
                }
                let (args, close) = try arguments()
                inner = max(inner, reach)
                e = .call(name: n, nameSpan: span, arguments: args, span: span.merged(with: close))
            } else {
                reach = max(saved, inner)
                return e
            }
        }
    }

    /// `( [label:] expr, ... )`; returns the arguments and the span of `)`.
    mutating func arguments() throws(TallyError) -> ([Argument], SourceSpan) {
        let open = try expect("(", "to open the arguments")
        try descend(at: open)
        defer { depth -= 1 }
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
            args.append(Argument(label: label, labelSpan: labelSpan, value: try expr()))
            if current.kind == .end { throw TallyError(.syntax("unclosed `(`"), span: open.span, hint: "close it with `)`") }
            if accept(",") == nil, !current.isSymbol(")") {
                try refuseEquals()
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
        case .symbol("("): return try parenthesized()
        case .symbol("["): return try list()
        case .symbol("{"): return try record()
        case .symbol("%"):
            throw TallyError(.syntax("`%` only ends a percent literal"), span: t.span, hint: "write 3% or use mod(a, b)")
        case .end:
            throw TallyError(.syntax("expected an expression, found the end of the line"), span: t.span)
        default:
            throw TallyError(.syntax("expected an expression, found \(describe(t))"), span: t.span)
        }
    }

    mutating func parenthesized() throws(TallyError) -> Expr {
        let open = advance()
        try descend(at: open)
        defer { depth -= 1 }
        let e = try expr()
        guard current.isSymbol(")") else {
            try refuseEquals()
            throw TallyError(.syntax("expected `)` to close `(`, found \(describe(current))"), span: current.span)
        }
        return e.respanned(open.span.merged(with: advance().span))
    }

    mutating func list() throws(TallyError) -> Expr {
        let t = advance()
        try descend(at: t)
        defer { depth -= 1 }
        var items: [Expr] = []
        while !current.isSymbol("]") {
            if current.kind == .end { throw TallyError(.syntax("unclosed `[`"), span: t.span, hint: "close it with `]`") }
            items.append(try expr())
            if current.kind == .end { throw TallyError(.syntax("unclosed `[`"), span: t.span, hint: "close it with `]`") }
            if accept(",") == nil, !current.isSymbol("]") {
                try refuseEquals()
                throw TallyError(.syntax("expected `,` or `]` in the list, found \(describe(current))"), span: current.span)
            }
        }
        return .list(items, t.span.merged(with: advance().span))
    }

    mutating func record() throws(TallyError) -> Expr {
        let t = advance()
        try descend(at: t)
        defer { depth -= 1 }
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
            if current.isSymbol("=") {
                throw TallyError(.syntax("a record field is written `name: value`"), span: current.span, hint: "write `\(key): ...`")
            }
            _ = try expect(":", "after the field name")
            if fields.contains(where: { $0.name == key }) {
                throw TallyError(.syntax("field `\(key)` appears twice"), span: keySpan)
            }
            fields.append(RecordField(name: key, value: try expr(), nameSpan: keySpan))
            if current.kind == .end { throw TallyError(.syntax("unclosed `{`"), span: t.span, hint: "close it with `}`") }
            if accept(",") == nil, !current.isSymbol("}") {
                throw TallyError(.syntax("expected `,` or `}` in the record, found \(describe(current))"), span: current.span)
            }
        }
        return .record(fields, t.span.merged(with: advance().span))
    }
}
