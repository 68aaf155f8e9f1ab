import Testing
import TallyCore
@testable import TallyLang

/// Several statements on one line, separated by `;`: where the line is cut, and where an
/// error in one of them points.
@Suite struct StatementSplitTests {
    @Test("cut at each `;` outside brackets, texts, backticks and comments", arguments: [
        ("a = 1; b = a + 1", ["a = 1", "b = a + 1"]),
        ("a = 1", ["a = 1"]),
        ("  a = 1  ", ["  a = 1  "]),
        ("a = 1;", ["a = 1"]),
        ("a = 1;; b = 2 ;", ["a = 1", "b = 2"]),
        (";", []),
        ("x = \"a;b\"; y = 'c;d'", ["x = \"a;b\"", "y = 'c;d'"]),
        ("x = \"a\\\";b\"", ["x = \"a\\\";b\""]),
        ("x = 1 # one; two", ["x = 1 # one; two"]),
        ("x = 1; # note; more", ["x = 1"]),
        ("`a;b` = 1; c = 2", ["`a;b` = 1", "c = 2"]),
        ("f(1; 2); g = 3", ["f(1; 2)", "g = 3"]),
        ("t = table(x: [1,\n 2]); y = 2", ["t = table(x: [1,\n 2])", "y = 2"]),
    ])
    func separated(_ text: String, _ expected: [String]) {
        #expect(ScriptSplitter.separated(text).map(\.text) == expected)
    }

    @Test func contextAndLines() {
        let got = ScriptSplitter.statements("a = 1\nb = 2;  c = (1,\n 2) ; d = 4\n")
        #expect(got.map(\.text) == ["a = 1", "b = 2", "c = (1,\n 2)", "d = 4"])
        #expect(got.map(\.line) == [1, 2, 2, 3])
        #expect(got.map(\.context) == [
            .none,
            LineContext(before: "", after: ";  c = (1,", continuesLine: false),
            LineContext(before: "b = 2;  ", after: " ; d = 4", continuesLine: true),
            LineContext(before: " 2) ; ", after: "", continuesLine: true),
        ])
    }

    @Test("an error points into the whole line", arguments: [
        ("a = 1; b = c + 1; d = 2", "unknown name `c`", 12, "a = 1; b = c + 1; d = 2"),
        ("a = 1;b = 2 +", "expected an expression, found the end of the line", 14, "a = 1;b = 2 +"),
        ("x = \"a;b\";  y = (1;", "unexpected character `;`", 19, "x = \"a;b\";  y = (1;"),
    ])
    func caret(_ line: String, _ message: String, _ column: Int, _ shown: String) {
        let session = Session()
        var error: TallyError?
        for stmt in ScriptSplitter.separated(line) {
            for case .error(let e) in session.run(stmt.text, context: stmt.context) { error = e }
            if error != nil { break }
        }
        guard let error, let span = error.span, let loc = session.sources.location(of: span) else {
            Issue.record("no error in \(line)"); return
        }
        #expect(error.message == message)
        #expect(loc.column == column)
        #expect(loc.lineText == shown)
        #expect(loc.name == "<input:1>")
    }

    @Test func eachStatementIsItsOwnStep() {
        let session = Session()
        for stmt in ScriptSplitter.separated("a = 1; b = a + 1; a = 5") {
            _ = session.run(stmt.text, context: stmt.context)
        }
        #expect(session.workspace["b"]?.value == .num(6))
        _ = session.run("undo")
        #expect(session.workspace["b"]?.value == .num(2))
        _ = session.run("undo")
        #expect(session.workspace["b"] == nil)
        #expect(session.workspace["a"]?.value == .num(1))
    }
}
