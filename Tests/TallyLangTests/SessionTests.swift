import Testing
import TallyCore
@testable import TallyLang
import TallyREPL

/// A compact text form of a statement's events, for table-driven checks.
func summary(_ events: [Event]) -> String {
    events.map { e -> String in
        switch e {
        case .defined(let n, let v): return "\(n)=\(Operators.display(v))"
        case .changed(let cs): return cs.map { "\($0.name):\(Operators.display($0.old))->\(Operators.display($0.new))" }.joined(separator: " ")
        case .value(let v): return Operators.display(v)
        case .error(let err): return "error: \(err.message)"
        case .message(let m): return NoteRenderer(settings: Settings()).render(m)
        case .cells(let cs, _): return cs.map(\.name).joined(separator: ",")
        case .goalSeek(let g): return "goalseek \(g.input)=\(Operators.display(g.to))"
        case .described(let t, let rows, _): return "described \(rows) rows, \(t.rowCount) columns"
        }
    }.joined(separator: " | ")
}

struct SessionTests {
    /// Runs `setup`, then `statement`, and compares the events' summary.
    @Test("statements against a workspace", arguments: [
        ([], "1 + 1", "2"),
        (["a = 2"], "a * 3", "6"),
        (["a = 2", "b = a * 3"], "a = 5", "a=5 | b:6->15"),
        (["a = 1", "b = a + 1", "c = b + 1", "d = a + c"], "a = 10", "a=10 | b:2->11 c:3->12 d:4->22"),
        (["a = 1", "b = a + 1"], "a = 1", "a=1"),
        (["a = 1", "b = a + 1"], "a = b", "error: circular definition: a -> b -> a"),
        (["a = 1"], "a = a + 1", "error: circular definition: a -> a"),
        (["a = 1", "b = a", "c = b"], "a = c * 2", "error: circular definition: a -> c -> b -> a"),
        (["visitors = 12000"], "x = vistors * 2", "error: unknown name `vistors`"),
        ([], "x = 1 / 0", "x=#DIV/0!"),
        (["a = 0", "b = 1 / a", "c = b + 1"], "a = 2", "a=2 | b:#DIV/0!->0.5 c:#DIV/0!->1.5"),
        (["a = 2", "b = 1 / a"], "a = 0", "a=0 | b:0.5->#DIV/0!"),
        (["a = 1"], "list = 3", "error: `list` is a command and cannot name a formula"),
        (["a = 1"], "round = 3", "round=3"),
        (["a = 1", "b = a"], "drop a", "error: cannot drop `a`: `b` depends on it"),
        (["a = 1", "b = a"], "drop b, a", "dropped `b`, `a`"),
        (["a = 1"], "drop zz", "error: `zz` is not defined"),
        (["a = 1", "b = 2"], "list", "a,b"),
        (["a = 1", "b = a", "t = table(x: [1])"], "list tables", "t"),
        (["a = 1", "b = a", "t = table(x: [1])"], "list formulas", "b"),
        (["a = 1", "b = a", "t = table(x: [1])"], "list inputs", "a"),
        (["a = 1", "b = a", "t = table(x: [1])"], "list b, t a", "b,t,a"),
        (["a = 1"], "list zz", "error: `zz` is not defined"),
        (["revenue = 1"], "lst", "error: `lst` is not a name or a command"),
        (["t = table(x: [1])"], "exprot t to \"x.csv\"", "error: `exprot` is not a command"),
        (["t = table(x: [1])"], "where(t, x = 1)", "error: `=` defines a formula; compare with `==`"),
        ([], "undo", "error: nothing to undo"),
        (["a = 1", "a = 2"], "undo", "undid: a = 2 | a:2->1"),
        (["x = 3%"], "x * 100", "3"),
        (["3 * 4"], "_ + 1", "13"),
        (["3 * 4"], "y = ans * 2", "y=24"),
        (["转化率 = 3%"], "转化率 * 2", "0.06"),
        (["`order total` = 5"], "`order total` + 1", "6"),
        (["s = \"a\""], "s + 1", "#VALUE!"),
        (["l = [1, 2, 3]"], "l * 2", "[2, 4, 6]"),
        (["l = [1, 2, 3]"], "l + [10, 20, 30]", "[11, 22, 33]"),
        (["l = [1, 2, 3]"], "l > 1", "[false, true, true]"),
        ([], "# only a comment", ""),
        ([], "undo x", "error: `undo` takes no arguments"),
    ])
    func statement(_ setup: [String], _ input: String, _ expected: String) {
        let s = Session()
        for line in setup { _ = s.run(line) }
        #expect(summary(s.run(input)) == expected)
    }

    @Test("a refused statement leaves the workspace exactly as it was", arguments: [
        "a = b", "a = nope + 1", "a = (1", "b = round(1, 2, 3)", "drop a", "c = a |> zz()",
    ])
    func atomic(_ bad: String) {
        let s = Session()
        _ = s.run("a = 1")
        _ = s.run("b = a + 1")
        let before = s.workspace.order.map { "\($0)=\(Operators.display(s.workspace[$0]!.value))" }
        let events = s.run(bad)
        #expect(events.contains { if case .error = $0 { return true }; return false })
        let after = s.workspace.order.map { "\($0)=\(Operators.display(s.workspace[$0]!.value))" }
        #expect(before == after)
        #expect(summary(s.run("undo")) == "undid: b = a + 1")
    }

    @Test func undoRedoWalkTheHistory() {
        let s = Session()
        _ = s.run("a = 1"); _ = s.run("b = a * 10"); _ = s.run("a = 2")
        #expect(summary(s.run("undo")) == "undid: a = 2 | a:2->1 b:20->10")
        #expect(summary(s.run("undo")) == "undid: b = a * 10")
        #expect(s.workspace["b"] == nil)
        #expect(summary(s.run("redo")) == "redid: b = a * 10")
        #expect(summary(s.run("redo")) == "redid: a = 2 | a:1->2 b:10->20")
        #expect(summary(s.run("redo")) == "error: nothing to redo")
        _ = s.run("undo")
        _ = s.run("c = 5")
        #expect(summary(s.run("redo")) == "error: nothing to redo")
    }

    @Test func errorValuesRememberTheDefiningLine() throws {
        let s = Session()
        _ = s.run("a = 1")
        _ = s.run("b = 10 / (a - 1)")
        let v = try #require(s.workspace["b"]?.value)
        guard case .error(let e) = v, let span = e.span else { Issue.record("expected an error value"); return }
        #expect(s.sources.text(of: span) == "10 / (a - 1)")
        #expect(s.sources.location(of: span)?.name == "<input:2>")
    }

    @Test func longChainRecalculatesInOrder() {
        let s = Session()
        _ = s.run("x0 = 1")
        for i in 1...300 { _ = s.run("x\(i) = x\(i - 1) + 1") }
        let events = s.run("x0 = 100")
        guard case .changed(let cs) = events.last else { Issue.record("no changes"); return }
        #expect(cs.count == 300)
        #expect(cs.first?.name == "x1")
        #expect(Operators.display(s.workspace["x300"]!.value) == "400")
    }

    @Test func interruptAbortsWithNothingChanged() {
        let s = Session()
        _ = s.run("a = 1")
        _ = s.run("b = a + 1")
        s.isInterrupted = { true }
        #expect(summary(s.run("a = 5")) == "error: interrupted; nothing changed")
        s.isInterrupted = { false }
        #expect(Operators.display(s.workspace["a"]!.value) == "1")
    }

    @Test func unknownNameSuggestsTheClosest() {
        let s = Session()
        _ = s.run("visitors = 12000")
        guard case .error(let e) = s.run("visitrs * 2").first else { Issue.record("expected error"); return }
        #expect(e.hint == "did you mean `visitors`?")
    }
}

/// Elementwise functions over a long column stay linear (reading the column per row was quadratic).
struct ElementwiseScaleTests {
    @Test(.timeLimit(.minutes(1)))
    func monthOfAFiftyThousandRowColumn() throws {
        let s = Session()
        let days = (0..<50_000).map { Int32(20_000 + $0 % 365) }
        let table = try #require(Table(names: ["d"], columns: [Column(storage: .date(days))]))
        _ = s.defineTable("dates", table)
        _ = s.run("m = month(dates.d)")
        guard case .column(let c)? = s.workspace["m"]?.value else { Issue.record("no column"); return }
        #expect(c.count == 50_000)
        #expect(Operators.display(c[0]) == "10")
    }

    @Test("a date part over a column equals it cell by cell", arguments: ["year", "quarter", "month", "week", "day", "weekday"])
    func datePartKernel(_ fn: String) throws {
        let s = Session()
        let days: [Int32] = [0, 59, 365, 20_635, 20_088, -1, 11_016]
        var validity = Bitmap(count: days.count, value: true)
        validity[3] = false
        let table = try #require(Table(names: ["d"], columns: [Column(storage: .date(days), validity: validity)]))
        _ = s.defineTable("t", table)
        _ = s.run("k = \(fn)(t.d)")
        guard case .column(let c)? = s.workspace["k"]?.value else { Issue.record("no column"); return }
        for (i, d) in days.enumerated() {
            let cell = s.run("\(fn)(date(\"\(TallyDate(days: d).iso)\"))")
            guard case .value(let expected)? = cell.first else { Issue.record("no value"); return }
            #expect(c[i] == (i == 3 ? .empty : expected), "row \(i)")
        }
    }
}
