import Testing
import TallyCore
@testable import TallyLang

/// Renders an expression tree fully parenthesised, to check precedence.
func sexpr(_ e: Expr) -> String {
    switch e {
    case .number(let x, let f, _): return Operators.plainNumber(x) + (f == .percent ? "%" : "")
    case .text(let s, _): return "\"\(s)\""
    case .bool(let b, _): return b ? "true" : "false"
    case .name(let n, _): return n
    case .list(let xs, _): return "[" + xs.map(sexpr).joined(separator: " ") + "]"
    case .record(let fs, _): return "{" + fs.map { "\($0.name):\(sexpr($0.value))" }.joined(separator: " ") + "}"
    case .unary(let op, let x, _): return "(\(op.rawValue) \(sexpr(x)))"
    case .binary(let op, let a, let b, _): return "(\(op.rawValue) \(sexpr(a)) \(sexpr(b)))"
    case .chain(let a, let links, _):
        return links.reduce(sexpr(a)) { "(\($1.op.rawValue) \($0) \(sexpr($1.operand)))" }
    case .call(let n, _, let args, _):
        return "(\(n)" + args.map { " " + ($0.label.map { "\($0):" } ?? "") + sexpr($0.value) }.joined() + ")"
    case .member(let x, let f, _): return "(. \(sexpr(x)) \(f))"
    case .format(let x, let f, _): return "(as \(sexpr(x)) \(f.rawValue))"
    }
}

struct ParserTests {
    @Test("precedence and literals", arguments: [
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("2 ^ 3 ^ 2", "(^ 2 (^ 3 2))"),
        ("-2 ^ 2", "(- (^ 2 2))"),
        ("2 ^ -1", "(^ 2 (- 1))"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b * c", "(* (/ a b) c)"),
        ("not a and b or c", "(or (and (not a) b) c)"),
        ("a < b and c >= d", "(and (< a b) (>= c d))"),
        ("x == 1 or y != 2", "(or (== x 1) (!= y 2))"),
        ("\"a\" & \"b\" & 1", "(& (& \"a\" \"b\") 1)"),
        ("buyers / visitors as %", "(as (/ buyers visitors) percent)"),
        ("x as money", "(as x money)"),
        ("x as 万", "(as x wan)"),
        ("1.5亿 as 亿", "(as 150000000 yi)"),
        ("1_000_000", "1000000"),
        ("1.2e8", "120000000"),
        ("3%", "0.03%"),
        ("5000万", "50000000"),
        ("1.2亿", "120000000"),
        ("2千万", "20000000"),
        ("3百万", "3000000"),
        ("1.5千万 + 1", "(+ 15000000 1)"),
        ("0.7万", "7000"),
        ("转化率 * 2", "(* 转化率 2)"),
        ("`order date` + 1", "(+ order date 1)"),
        ("orders.amount", "(. orders amount)"),
        ("q[2]", "(at q 2)"),
        ("q.target[n + 1]", "(at (. q target) (+ n 1))"),
        ("f(x)[1] * 2", "(* (at (f x) 1) 2)"),
        ("orders.`order date`", "(. orders order date)"),
        ("round(x, digits: 2)", "(round x digits:2)"),
        ("t |> f(a) |> g", "(g (f t a))"),
        ("[1, 2, 3]", "[1 2 3]"),
        ("{Tmall: 50, JD: 30}", "{Tmall:50 JD:30}"),
        ("{\"a b\": 1}", "{a b:1}"),
        ("f()", "(f)"),
        ("1 + 2 # comment", "(+ 1 2)"),
        ("'it\\'s'", "\"it's\""),
        ("true and false", "(and true false)"),
        ("-x.y", "(- (. x y))"),
    ])
    func parses(_ input: String, _ expected: String) throws {
        let e = try Parser.parseExpression(input, source: 0)
        #expect(sexpr(e) == expected)
    }

    @Test("statements", arguments: [
        ("a = 1", "define a"),
        ("  a=1", "define a"),
        ("orders.net = amount * 0.9", "column orders.net"),
        ("a == 1", "evaluate"),
        ("a", "evaluate"),
    ])
    func statements(_ input: String, _ kind: String) throws {
        switch try Parser.parse(input, source: 0) {
        case .define(let n, _, _): #expect(kind == "define \(n)")
        case .defineColumn(let t, let c, _, _): #expect(kind == "column \(t).\(c)")
        case .evaluate: #expect(kind == "evaluate")
        case .command: #expect(kind == "command")
        }
    }

    /// Each error: input, message, the text under the caret, the hint (or nil).
    @Test("syntax errors", arguments: [
        ("1 +", "expected an expression, found the end of the line", "", nil as String?),
        ("1,000", "unexpected `,` after the expression", ",", "`1,000` is not a number: write 1000 or 1_000"),
        ("a = ", "expected an expression after `=`", "", nil),
        ("7 % 2", "`%` only ends a percent literal", "%", "for the remainder use mod(a, b)"),
        ("1 < 2 < 3", "comparisons cannot be chained", "<", "write `a < b and b < c`"),
        ("\"abc", "unterminated text", "\"", "close it with \""),
        ("f(1, 2", "unclosed `(`", "(", "close it with `)`"),
        ("[1, 2", "unclosed `[`", "[", "close it with `]`"),
        ("{a: 1, a: 2}", "field `a` appears twice", "a", nil),
        ("x as dollars", "expected a format after `as`, found `dollars`", "dollars", "formats are `%`, `money`, `number`, `万` and `亿`"),
        ("3x", "a number cannot be followed by `x`", "3x", "names start with a letter; write `*` to multiply"),
        ("2千", "a number cannot be followed by `千`", "2千", "names start with a letter; write `*` to multiply"),
        ("a |", "unexpected character `|`", "|", "the pipe is written `|>`"),
        ("f(1; 2)", "unexpected character `;`", ";", "`;` separates statements outside brackets; inside them, `,` separates items"),
        ("a = 1 = 2", "`=` defines a formula; compare with `==`", "=", "a definition is `name = expr` on a line of its own"),
        ("(1 + 2", "expected `)` to close `(`, found the end of the line", "", nil),
        ("x.", "expected a column name after `.`, found the end of the line", "", nil),
        ("`abc", "unterminated backtick name", "`abc", "close it with `"),
        ("1e999", "number out of range", "1e999", nil),
    ])
    func errors(_ input: String, _ message: String, _ under: String, _ hint: String?) {
        var map = SourceMap()
        let id = map.addInput(input)
        do {
            _ = try Parser.parse(input, source: id)
            Issue.record("expected an error for \(input)")
        } catch {
            #expect(error.message == message)
            #expect(error.hint == hint)
            if let span = error.span { #expect(map.text(of: span) == under) }
        }
    }

    @Test("input continues while a bracket or text is open", arguments: [
        ("f(1,", true), ("f(1)", false), ("\"abc", true), ("[1, [2]", true), ("{a: 1}", false),
        ("x = 1 # (", false), ("\"(\"", false), ("'it\\'s", true),
    ])
    func needsMore(_ input: String, _ expected: Bool) {
        #expect(Lexer.needsMoreInput(input) == expected)
    }
}
