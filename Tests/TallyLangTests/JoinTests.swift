import Testing
import TallyCore
@testable import TallyLang

/// `join` against a nested-loop reference over small random tables.
struct JoinTests {
    /// Evaluates `source` with the tables `a` and `b` in scope.
    static func run(_ source: String, _ a: Table, _ b: Table) throws -> Value {
        let expr = try Parser.parseExpression(source, source: 0)
        return try Evaluator(lookup: { n in n == "a" ? .table(a) : n == "b" ? .table(b) : nil }).evaluate(expr)
    }

    /// The rows a nested loop gives: each row of `a` with each row of `b` whose key cells
    /// equal its own (an empty key matching nothing), or once with empties when `left`.
    static func reference(_ a: Table, _ b: Table, keys: [String], left: Bool) -> (names: [String], rows: [[Value]]) {
        let extra = b.names.filter { !keys.contains($0) }
        let names = a.names + extra.map { a.names.contains($0) ? $0 + "_2" : $0 }
        let ak = keys.compactMap { a.column(named: $0) }, bk = keys.compactMap { b.column(named: $0) }
        let bx = extra.compactMap { b.column(named: $0) }
        var rows: [[Value]] = []
        for i in 0..<a.rowCount {
            let own = a.columns.map { $0[i] }
            var matched = false
            for j in 0..<b.rowCount {
                let equal = zip(ak, bk).allSatisfy { x, y in
                    !x[i].isEmpty && Column.sortKey(x[i]) == Column.sortKey(y[j])
                }
                guard equal else { continue }
                matched = true
                rows.append(own + bx.map { $0[j] })
            }
            if !matched && left { rows.append(own + bx.map { _ in .empty }) }
        }
        return (names, rows)
    }

    enum KeyKind: CaseIterable { case text, number, date, mixed }

    static func cells(_ kind: KeyKind, _ n: Int, _ g: inout some RandomNumberGenerator) -> [Value] {
        (0..<n).map { _ -> Value in
            if Int.random(in: 0..<6, using: &g) == 0 { return .empty }
            let k = Int.random(in: 0..<5, using: &g)
            switch kind {
            case .text: return .text(["a", "b", "ab", "", "C004894"][k])
            case .number: return .num([1, 2, -0.0, 0, 2.5][k])
            case .date: return .date(TallyDate(days: Int32(k * 31)))
            case .mixed: return k < 2 ? .num(Double(k)) : .text(["0", "1", "a"][k - 2])
            }
        }
    }

    @Test("join equals the nested loop", arguments: [false, true])
    func randomTables(left: Bool) throws {
        var g = SystemRandomNumberGenerator()
        for round in 0..<150 {
            let two = round % 2 == 1
            let kinds = (0..<2).map { _ in KeyKind.allCases.randomElement(using: &g) ?? .text }
            // Usually the same type on both sides; sometimes a number key meets a text key.
            let bKinds = kinds.map { Int.random(in: 0..<5, using: &g) == 0 ? KeyKind.allCases.randomElement(using: &g) ?? $0 : $0 }
            let na = Int.random(in: 0...12, using: &g), nb = Int.random(in: 0...12, using: &g)
            var aNames = ["k1"], bNames = ["k1"]
            var aCols = [Column(values: Self.cells(kinds[0], na, &g))], bCols = [Column(values: Self.cells(bKinds[0], nb, &g))]
            if two {
                aNames.append("k2"); bNames.append("k2")
                aCols.append(Column(values: Self.cells(kinds[1], na, &g)))
                bCols.append(Column(values: Self.cells(bKinds[1], nb, &g)))
            }
            aNames.append("v"); aCols.append(Column(values: (0..<na).map { .num(Double($0)) }))
            bNames += ["v", "w"]
            bCols.append(Column(values: (0..<nb).map { .num(Double(100 + $0)) }))
            bCols.append(Column(values: Self.cells(.text, nb, &g)))
            let a = try #require(Table(names: aNames, columns: aCols)), b = try #require(Table(names: bNames, columns: bCols))
            let keys = two ? ["k1", "k2"] : ["k1"]
            let on = two ? "[k1, k2]" : "k1"
            let got = try Self.run("join(a, b, on: \(on), kind: \"\(left ? "left" : "inner")\")", a, b)
            guard case .table(let t) = got else { Issue.record("not a table: \(got)"); return }
            let want = Self.reference(a, b, keys: keys, left: left)
            #expect(t.names == want.names)
            let rows = (0..<t.rowCount).map { i in t.columns.map { $0[i] } }
            #expect(rows == want.rows, "a: \(a.columns.map { $0.values }) b: \(b.columns.map { $0.values })")
            // Read through a consumer, a join makes only what is read: the same answers.
            let kind = "kind: \"\(left ? "left" : "inner")\""
            #expect(try Self.run("count(join(a, b, on: \(on), \(kind)))", a, b) == .num(Double(want.rows.count)))
            let w = try Self.run("join(a, b, on: \(on), \(kind)).w", a, b)
            if case .column(let c) = w, let j = want.names.firstIndex(of: "w") {
                #expect(c.values == want.rows.map { $0[j] })
            } else {
                Issue.record("join(...).w gave \(w)")
            }
        }
    }

    /// Texts match as Swift compares them (canonical equivalence), ASCII or not.
    @Test("text keys match as equal texts", arguments: [
        (["K", "x"], ["\u{212A}", "y"], 1),
        (["\u{E9}", "e"], ["e\u{301}"], 1),
        (["C004894", "C004894", ""], ["C004894", ""], 3),
        (["\u{5929}\u{732B}", "JD"], ["JD", "\u{5929}\u{732B}", "JD"], 3),
    ])
    func unicodeKeys(_ left: [String], _ right: [String], _ rows: Int) throws {
        let a = try #require(Table(names: ["k"], columns: [Column(values: left.map { .text($0) })]))
        let b = try #require(Table(names: ["k", "n"], columns: [Column(values: right.map { .text($0) }),
                                                                  .numbers(right.indices.map(Double.init))]))
        let got = try Self.run("join(a, b, on: k)", a, b)
        guard case .table(let t) = got else { Issue.record("not a table"); return }
        #expect(t.rowCount == rows)
        #expect(t.rowCount == Self.reference(a, b, keys: ["k"], left: false).rows.count)
    }

    @Test("a left join's padded columns are the columns of their cells", arguments: [
        [Value.text("x"), .empty, .text("y")],
        [.num(1), .num(2), .num(3)],
        [.date(TallyDate(days: 5)), .date(TallyDate(days: 6)), .empty],
        [.bool(true), .bool(false), .bool(true)],
        [.num(1), .text("z"), .empty],
        [.empty, .empty, .empty],
    ])
    func padded(_ values: [Value]) {
        let c = Column(values: values)
        for indices in [[2, -1, 0, 0], [-1, -1], [1, 1], [], [0, 1, 2]] {
            let want = Column(values: indices.map { $0 < 0 ? .empty : c[$0] })
            #expect(c.gatherPadded(indices) == want)
        }
    }

    @Test func joinRefusesATooLargeResultBeforeMakingIt() throws {
        let keys = Column(values: Array(repeating: Value.text("k"), count: 1000))
        let a = try #require(Table(names: ["k"], columns: [keys])), b = try #require(Table(names: ["k"], columns: [keys]))
        let expr = try Parser.parseExpression("join(a, b, on: k)", source: 0)
        var ev = Evaluator(lookup: { n in n == "a" ? .table(a) : n == "b" ? .table(b) : nil })
        ev.maxRows = 999_999
        #expect(throws: TallyError.self) { try ev.evaluate(expr) }
    }
}
