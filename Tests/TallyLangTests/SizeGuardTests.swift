import Testing
import TallyCore
@testable import TallyLang

/// Exploding joins and pivots are counted before they are built and refused above
/// `maxRows` (issue 9, item 3); join, sort, distinct and group stop on Ctrl-C.
struct SizeGuardTests {
    /// A session holding `a` and `b`: `rows` rows each, key `k` taking `keys` values.
    static func session(rows: Int, keys: Int = 1, maxRows: Int? = nil) -> Session {
        let s = Session()
        if let maxRows { s.maxRows = maxRows }
        for name in ["a", "b"] {
            let k = Column.numbers((0..<rows).map { Double($0 % keys) })
            let x = Column.numbers((0..<rows).map(Double.init))
            if let t = Table(names: ["k", name], columns: [k, x]) { _ = s.defineTable(name, t) }
        }
        return s
    }

    static func refusal(_ s: Session, _ source: String) -> String? {
        if case .failure(let e) = s.evaluate(source) { return e.message }
        return nil
    }

    @Test func aJoinOfTenBillionRowsIsRefusedBeforeItIsBuilt() {
        // 100,000 x 100,000 rows on one key value: 10^10 rows (160 GB of row indices alone).
        let s = Self.session(rows: 100_000)
        let clock = ContinuousClock()
        var message: String?
        let took = clock.measure { message = Self.refusal(s, "join(a, b, on: k)") }
        #expect(message == "join: the result would have 10,000,000,000 rows (at most 50,000,000)")
        #expect(took < .seconds(30))
    }

    @Test("join row counts against max_rows = 1000", arguments: [
        // (rows per table, key values, kind, refused message or nil)
        (40, 1, "inner", "join: the result would have 1,600 rows (at most 1,000)"),
        (30, 1, "inner", nil),
        (100, 10, "inner", nil),  // 10 keys x 10 x 10 = 1,000: at the limit, allowed
        (110, 10, "inner", "join: the result would have 1,210 rows (at most 1,000)"),
        (31, 1, "left", nil),  // 961 rows
        (32, 1, "left", "join: the result would have 1,024 rows (at most 1,000)"),
    ] as [(Int, Int, String, String?)])
    func joinCounts(_ rows: Int, _ keys: Int, _ kind: String, _ expected: String?) {
        let s = Self.session(rows: rows, keys: keys, maxRows: 1000)
        let source = "join(a, b, on: k, kind: \"\(kind)\")"
        #expect(Self.refusal(s, source) == expected)
        if expected == nil, case .success(.table(let t)) = s.evaluate(source) {
            #expect(t.rowCount == rows * rows / keys)
        }
    }

    @Test func aLeftJoinCountsTheUnmatchedRows() {
        let s = Session()
        s.maxRows = 5
        _ = s.run("x = table(k: [1, 2, 3, 4, 5, 6], v: [1, 2, 3, 4, 5, 6])")
        _ = s.run("y = table(k: [1], w: [1])")
        #expect(Self.refusal(s, "join(x, y, on: k, kind: \"left\")") == "join: the result would have 6 rows (at most 5)")
        #expect(Self.refusal(s, "join(x, y, on: k)") == nil)
    }

    @Test func aRefusedJoinChangesNothing() {
        let s = Self.session(rows: 50_000)
        let before = s.workspace.order
        let events = s.run("big = join(a, b, on: k)")
        guard case .error(let e)? = events.first else { Issue.record("not refused: \(events)"); return }
        #expect(e.message.hasPrefix("join: the result would have 2,500,000,000 rows"))
        #expect(e.hint?.contains("group") == true)
        #expect(s.workspace.order == before)
        #expect(s.workspace["big"] == nil)
    }

    @Test("pivot cells against max_rows = 1000 (100 cells)", arguments: [
        // (row keys, column keys, refused message or nil)
        (10, 10, nil),
        (11, 10, "pivot: the result would have 110 cells (at most 100)"),
        (1_000, 1_000, "pivot: the result would have 1,000,000 cells (at most 100)"),
    ] as [(Int, Int, String?)])
    func pivotCells(_ rowKeys: Int, _ colKeys: Int, _ expected: String?) {
        let s = Session()
        s.maxRows = 1000
        // One row per key pair on the diagonal: few rows, many cells.
        let n = max(rowKeys, colKeys)
        let r = Column.numbers((0..<n).map { Double($0 % rowKeys) })
        let c = Column.numbers((0..<n).map { Double($0 % colKeys) })
        if let t = Table(names: ["r", "c", "x"], columns: [r, c, .numbers(Array(repeating: 1, count: n))]) { _ = s.defineTable("t", t) }
        #expect(Self.refusal(s, "pivot(t, rows: r, cols: c, value: sum(x))") == expected)
    }

    @Test func aPivotWithTooManyColumnsIsRefused() {
        let s = Session()
        let n = 20_000
        if let t = Table(names: ["r", "c", "x"], columns: [.numbers(Array(repeating: 1, count: n)),
                                                          .numbers((0..<n).map(Double.init)), .numbers(Array(repeating: 1, count: n))]) {
            _ = s.defineTable("t", t)
        }
        #expect(Self.refusal(s, "pivot(t, rows: r, cols: c, value: sum(x))")
                == "pivot: `c` has 20,000 different values, too many columns (at most 16,384)")
    }

    /// How often evaluating `source` asks whether Ctrl-C was pressed.
    static func polls(_ s: Session, _ source: String) -> Int {
        var calls = 0
        s.isInterrupted = { calls += 1; return false }
        _ = s.evaluate(source)
        return calls
    }

    @Test("Ctrl-C stops long table functions", arguments: [
        "join(a, b, on: k)",
        "sort(a, a, desc)",
        "top(a, 5, by: a)",
        "distinct(a, a)",
        "distinct(a)",
        "group(a, a, n: count())",
        "group(a, k, a, n: count())",
    ])
    func interrupted(_ source: String) {
        // Polls made on a one-row table are the evaluator's own; on 300,000 rows the
        // function itself must poll more, and an interrupt there stops it.
        let baseline = Self.polls(Self.session(rows: 1), source)
        let s = Self.session(rows: 300_000, keys: 300_000)
        var calls = 0
        s.isInterrupted = { calls += 1; return calls > baseline }
        guard case .failure(let e) = s.evaluate(source) else { Issue.record("\(source) was not interrupted"); return }
        #expect(e.kind == .interrupted)
    }

    @Test func doublingATextStopsAtSixteenMebibytes() {
        let s = Session()
        _ = s.run("a0 = \"0123456789abcdef\"")
        for i in 1...21 { _ = s.run("a\(i) = a\(i - 1) & a\(i - 1)") }
        guard case .text(let full)? = s.workspace["a20"]?.value else { Issue.record("a20 is not a text"); return }
        #expect(full.utf8.count == 16 << 20)
        guard case .error(let e)? = s.workspace["a21"]?.value else { Issue.record("a21 is not an error value"); return }
        #expect(e.message == "the text would be 33554432 bytes long (at most 16777216)")
        guard case .success(.error(let c)) = s.evaluate("concat(a20, \"!\")") else { Issue.record("concat made the text"); return }
        #expect(c.message.hasSuffix("the text would be 16777217 bytes long (at most 16777216)"))
    }

    @Test func maxRowsReachesTheEvaluator() {
        let s = Session()
        #expect(s.maxRows == 50_000_000)
        s.maxRows = 7
        #expect(s.evaluator(for: nil).maxRows == 7)
    }
}
