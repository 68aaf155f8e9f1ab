import Testing
import TallyCore
@testable import TallyLang

/// Long chains and deep nesting (issue 9): chains of one operator are loops, nesting past
/// `Parser.nestingLimit` is a one-line syntax error, and nothing overflows the stack.
struct DepthTests {
    static let limitMessage = "nested deeper than 1000 levels (brackets, calls, prefix operators, `^`, `.`, `|>`, `as`)"

    static func repeated(_ part: String, _ n: Int, separator: String = "") -> String {
        Array(repeating: part, count: n).joined(separator: separator)
    }

    /// Each repro of the issue: setup, the statement, then a check; "limit" means the
    /// statement is refused with the nesting error and the session is unchanged.
    @Test("repros of issue 9", arguments: [
        ("1,600 brackets", [], "x = " + repeated("(", 1600) + "1" + repeated(")", 1600), "limit"),
        ("1,600 brackets around a syntax error", [], "x = " + repeated("(", 1600) + "1 +" + repeated(")", 1600), "limit"),
        ("1,000 brackets", [], "x = " + repeated("(", 1000) + "1" + repeated(")", 1000), "x=1"),
        ("1,000 calls", [], "x = " + repeated("abs(", 1000) + "1" + repeated(")", 1000), "x=1"),
        ("6,000-term sum", [], "x = " + repeated("1", 6000, separator: "+"), "x=6000"),
        ("10,000 unary minus", [], "x = " + repeated("-", 10000) + "1", "limit"),
        ("10,000 not", [], "x = " + repeated("not ", 10000) + "true", "limit"),
        ("10,000 ^", [], "x = 2" + repeated("^1", 10000), "limit"),
        ("10,000 .a", ["r = {a: 1}"], "x = r" + repeated(".a", 10000), "limit"),
        ("1,000 unary minus", [], "x = " + repeated("-", 1000) + "1", "x=1"),
        ("1,000 ^", [], "x = 2" + repeated("^1", 999), "x=2"),
        ("6,000-term or in where", ["t = table(a: [0, 1, 2, 3])"],
         "x = count(where(t, " + (0..<6000).map { "a == \($0)" }.joined(separator: " or ") + "))", "x=4"),
        ("6,000-term &", [], "x = len(" + repeated("\"a\"", 6000, separator: " & ") + ")", "x=6000"),
    ] as [(String, [String], String, String)])
    func repro(_ label: String, _ setup: [String], _ statement: String, _ expected: String) {
        let s = Session()
        for line in setup + ["x = 7"] { _ = s.run(line) }
        let before = s.workspace.order
        let events = s.run(statement)
        if expected == "limit" {
            guard case .error(let err)? = events.first, events.count == 1 else {
                Issue.record("\(label): expected the nesting error, got \(summary(events))")
                return
            }
            #expect(err.message == Self.limitMessage, "\(label)")
            #expect(!err.message.contains("\n"))
            #expect(err.span.map { $0.end - $0.start } ?? 0 <= 4, "\(label): the caret marks one token")
            #expect(s.workspace.order == before)
            #expect(summary(s.run("x")) == "7", "\(label): a refused statement changes nothing")
        } else {
            #expect(summary(events) == expected, "\(label)")
        }
    }

    @Test("the caret is at the opening that passes the limit")
    func caret() throws {
        let text = "x = " + Self.repeated("(", 1001) + "1" + Self.repeated(")", 1001)
        #expect(throws: TallyError.self) { try Parser.parse(text, source: 0) }
        do {
            _ = try Parser.parse(text, source: 0)
        } catch {
            #expect(error.span == SourceSpan(source: 0, start: 4 + 1000, end: 4 + 1001))
        }
        // Wrapping a deep subtree counts too: `(r.a x 999).a x 2` is 1001 levels.
        let wrapped = "(" + "r" + Self.repeated(".a", 999) + ")" + ".a.a"
        #expect(throws: TallyError.self) { try Parser.parseExpression(wrapped, source: 0) }
    }

    @Test("chains keep left-to-right semantics", arguments: [
        ("1 - 2 - 3", "-4"),
        ("2^3^2", "512"),
        ("2 ^ -1 ^ 2", "0.5"),
        ("-2 ^ 2", "-4"),
        ("12 / 2 / 3 * 4", "8"),
        ("\"a\" & 1 & true", "a1true"),
        ("1 + 1 - 1 + 10 - 1", "10"),
        ("1 < 2 and 2 < 3 and not false", "true"),
        ("false or false or true", "true"),
        ("[1, 2] + [10, 20] + 1", "[12, 23]"),
        ("1 + 1 / 0 + 1", "#DIV/0!"),
    ])
    func semantics(_ input: String, _ expected: String) {
        #expect(summary(Session().run(input)) == expected)
    }

    @Test("a chain is one node; its step spans match nested binaries")
    func shape() throws {
        let e = try Parser.parseExpression("(1 + 2 - 3)", source: 0)
        guard case .chain(let first, let links, let span) = e else { Issue.record("not a chain: \(e)"); return }
        #expect(sexpr(e) == "(- (+ 1 2) 3)")
        #expect(links.count == 2)
        #expect(span == SourceSpan(source: 0, start: 0, end: 11))
        #expect(Expr.chainStepSpan(first, links, 0, span) == SourceSpan(source: 0, start: 1, end: 6))
        // The error value of a failing step points at that step.
        let s = Session()
        guard case .defined(_, .error(let err))? = s.run("z = 1/0 + 1 + 1").first else { Issue.record("no error"); return }
        #expect(err.kind == .divisionByZero)
        #expect(err.span.map { $0.end - $0.start } == 3)
    }

    @Test("chains broadcast over columns")
    func columns() {
        let s = Session()
        _ = s.run("t = table(a: [1, 2, 3])")
        #expect(summary(s.run("sum(t.a + t.a * 2 - 1 + t.a)")) == "21")
        #expect(summary(s.run("count(where(t, a == 1 or a == 3 or a == 9))")) == "2")
    }

    @Test("a 300,000-term sum is defined, redefined and dropped (1,000,000 in the release build: scripts/bench)")
    func millionTerms() throws {
        let s = Session()
        let sum = "x = " + Self.repeated("1", 300_000, separator: "+")
        #expect(summary(s.run(sum)) == "x=300000")
        #expect(summary(s.run("y = x + 1")) == "y=300001")
        #expect(summary(s.run("x = " + Self.repeated("2", 300_000, separator: "+"))) == "x=600000 | y:300001->600001")
        #expect(summary(s.run("drop y, x")) == "dropped `y`, `x`")
        let long = try Parser.parseExpression(Self.repeated("a", 100_000, separator: "-"), source: 0)
        #expect(long.names == ["a"])
    }
}
