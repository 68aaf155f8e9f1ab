import Testing
import TallyCore
@testable import TallyLang

/// Recalculation keeps to what changed: each computed column is its own node, and a node
/// whose value comes out the same stops the change there.
struct RecalculationTests {
    static let model = [
        "disc = 10%", "cut = 100", "t = table(amount: [50, 150])",
        "t.net = amount * (1 - disc)", "t.big = amount > cut", "t.half = net / 2",
        "s = sum(t.net)", "n = count(where(t, big))",
    ]

    /// A session with `setup` run, counting the nodes it evaluates from then on.
    static func session(_ setup: [String]) -> (Session, Counter) {
        let s = Session()
        for line in setup {
            let events = s.run(line)
            #expect(!summary(events).hasPrefix("error"), "setup `\(line)`: \(summary(events))")
        }
        let counter = Counter()
        s.nodeEvaluated = { counter.nodes.append($0) }
        return (s, counter)
    }

    final class Counter { var nodes: [String] = [] }

    /// Every cell's value equals a full computation of it from its inputs: what
    /// recalculation skipped was already right.
    static func expectConsistent(_ s: Session, _ context: String) {
        for name in s.workspace.order {
            guard let cell = s.workspace[name] else { continue }
            let whole = try? s.computeWhole(cell).value
            #expect(whole == cell.value, "`\(name)` is stale after \(context)")
        }
    }

    @Test("a change recomputes only the nodes it reaches", arguments: [
        // The column reading `disc`, the column reading that column, and what reads t.
        ("disc = 20%", ["disc", "t.net", "t.half", "s", "n"], "disc=0.2 | t:table 2x4->table 2x4 s:180->160"),
        ("cut = 10", ["cut", "t.big", "s", "n"], "cut=10 | t:table 2x4->table 2x4 n:1->2"),
        // `s` reads all of t, so it is computed again, and stays 180.
        ("cut = 100", ["cut"], "cut=100"),
        // A redefinition that keeps the value recalculates nothing downstream.
        ("disc = 10%", ["disc"], "disc=0.1"),
        // The table's own formula: the whole table, every column, but its value is the same.
        ("t = table(amount: [50, 150])", ["t", "t.net", "t.big", "t.half"], "t=table 2x4"),
        ("t = table(amount: [50, 250])", ["t", "t.net", "t.big", "t.half", "s", "n"], "t=table 2x4 | s:180->270"),
        // A new column: the table, then what reads it.
        ("t.twice = amount * 2", ["t.twice", "s", "n"], "t.twice defined (t has 2 rows, 5 columns)"),
        // A redefined column: it and the later column reading it.
        ("t.net = amount", ["t.net", "t.half", "s", "n"], "t.net defined (t has 2 rows, 4 columns) | s:180->200"),
    ])
    func recomputes(_ statement: String, _ nodes: [String], _ expected: String) {
        let (s, counter) = Self.session(Self.model)
        let events = s.run(statement)
        #expect(counter.nodes == nodes, "evaluated \(counter.nodes)")
        #expect(summary(events) == expected)
        Self.expectConsistent(s, statement)
    }

    @Test("column nodes follow a rename and work on a table the program gave", arguments: [
        (["rename disc to rebate"], "rebate = 20%", ["rebate", "t.net", "t.half", "s", "n"]),
        (["rename t to u"], "cut = 10", ["cut", "u.big", "s", "n"]),
        (["drop s, n", "t.net = amount - disc * 100"], "disc = 5%", ["disc", "t.net", "t.half"]),
    ])
    func followsEdits(_ edits: [String], _ statement: String, _ nodes: [String]) {
        let (s, counter) = Self.session(Self.model + edits)
        _ = s.run(statement)
        #expect(counter.nodes == nodes, "evaluated \(counter.nodes)")
        Self.expectConsistent(s, statement)
    }

    @Test("a given table's computed column recomputes alone")
    func givenTable() {
        let (s, counter) = Self.session([])
        s.defineTable("g", Table(names: ["x"], columns: [Column(values: [.number(1, .plain), .number(2, .plain)])]) ?? Table())
        for line in ["k = 3", "g.y = x * k", "g.z = x + 1"] { _ = s.run(line) }
        counter.nodes = []
        #expect(summary(s.run("k = 4")) == "k=4 | g:table 2x3->table 2x3")
        #expect(counter.nodes == ["k", "g.y"])
        Self.expectConsistent(s, "k = 4")
    }

    @Test("early cutoff: an unchanged value stops the recalculation")
    func earlyCutoff() {
        let (s, counter) = Self.session(["a = 1", "b = a * 0", "c = b + 1"])
        #expect(summary(s.run("a = 2")) == "a=2")
        #expect(counter.nodes == ["a", "b"])
        #expect(s.workspace["c"]?.value == .number(1, .plain))
        // Another changed input still reaches c.
        counter.nodes = []
        #expect(summary(s.run("b = a * 3")) == "b=6 | c:1->7")
        #expect(counter.nodes == ["b", "c"])
        Self.expectConsistent(s, "early cutoff")
    }

    @Test("a column that a later column replaces: the earlier one still sees the loaded column")
    func stageBeforeColumn() {
        let (s, counter) = Self.session(["k = 1", "t = table(amount: [50, 150])", "t.x = amount + k", "t.amount = 0"])
        _ = s.run("k = 2")
        #expect(counter.nodes == ["k", "t.x"])
        guard case .table(let t)? = s.workspace["t"]?.value else { Issue.record("t is not a table"); return }
        #expect(t.names == ["amount", "x"])
        #expect(t.column(named: "x") == Column(values: [.number(52, .plain), .number(152, .plain)]))
        Self.expectConsistent(s, "k = 2")
    }

    /// Everything a user could tell apart: names in order, definitions, values, list.
    static func snapshot(_ s: Session) -> [String] {
        s.workspace.order.map { n in
            let c = s.workspace[n]
            let defs = ([c?.definition ?? ""] + (c?.columnFormulas.map(\.definition) ?? [])).joined(separator: "; ")
            return "\(n) := \(defs) -> \(c.map { Operators.display($0.value) } ?? "?") \(c.map { "\($0.value)" } ?? "")"
        } + [summary([s.list()])]
    }

    @Test("undo, redo and a refused statement leave the workspace as it was", arguments: [
        "disc = 20%", "cut = 10", "t.net = amount * 2", "t = table(amount: [1, 2, 3])", "disc = 10%", "rename disc to rebate",
    ])
    func undoRedoRollback(_ statement: String) {
        let (s, _) = Self.session(Self.model)
        let before = Self.snapshot(s)
        _ = s.run(statement)
        let after = Self.snapshot(s)
        Self.expectConsistent(s, statement)
        for refused in ["t.bad = [1, 2, 3, 4, 5]", "disc = nosuch", "t.half = half + 1", "drop t"] {
            #expect(summary(s.run(refused)).hasPrefix("error"), "`\(refused)` was accepted")
            #expect(Self.snapshot(s) == after, "`\(refused)` changed the workspace")
        }
        _ = s.run("undo")
        #expect(Self.snapshot(s) == before)
        Self.expectConsistent(s, "undo of \(statement)")
        _ = s.run("redo")
        #expect(Self.snapshot(s) == after)
        Self.expectConsistent(s, "redo of \(statement)")
    }

    @Test("what if over a column's input gives the numbers a full recomputation gives", arguments: [
        ("what if disc = 50%: s", "s", 100.0, ["t.net", "t.half", "s"]),
        ("what if disc = 50%, cut = 10: n", "n", 2, ["t.net", "t.big", "t.half", "n"]),
        ("what if cut = 10: s, n", "n", 2, ["t.big", "s", "n"]),
        ("what if disc = 0: s", "s", 200, ["t.net", "t.half", "s"]),
    ])
    func whatIf(_ statement: String, _ target: String, _ expected: Double, _ nodes: [String]) {
        let (s, counter) = Self.session(Self.model)
        let before = Self.snapshot(s)
        guard case .value(.table(let t))? = s.run(statement).first,
              let labels = t.column(named: "formula"), let trial = t.column(named: "what-if"),
              let row = (0..<t.rowCount).first(where: { labels[$0] == .text(target) }) else {
            Issue.record("no what-if row for \(target)")
            return
        }
        guard case .number(let x, _) = trial[row] else { Issue.record("what-if \(target) is \(trial[row])"); return }
        #expect(x == expected)
        #expect(counter.nodes == nodes, "evaluated \(counter.nodes)")
        #expect(Self.snapshot(s) == before, "what if changed the workspace")
    }
}
