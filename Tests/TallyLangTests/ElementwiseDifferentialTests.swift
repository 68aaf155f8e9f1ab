import Testing
import TallyCore
@testable import TallyLang

/// The column path of every operator and element-wise built-in against the same thing
/// cell by cell: over random columns with empties, zeros, error cells, huge numbers,
/// texts and dates, `f(column)` must equal the column made of `f(cell)` for each row.
@Suite struct ElementwiseDifferentialTests {
    /// A small deterministic generator (the same columns every run).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let rows = 48

    /// Columns of every kind, each with empties; `errors` also has error cells.
    static func pool(seed: UInt64) -> [String: Column] {
        var r = Random(state: seed)
        func cells(_ make: (inout Random) -> Value) -> Column {
            Column(values: (0..<rows).map { _ in r.below(8) == 0 ? .empty : make(&r) })
        }
        let numbers: [Double] = [0, 1, -1, 2.5, -3.75, 100, 1e308, -1e308, 5e-324, 0.1, 7, 12, 1e15, 3]
        let texts = ["JD", "jd", "Tmall", "", "  a b ", "华东", "2026-07-01", "x-y-x", "abc"]
        return [
            "n": cells { r in .number(numbers[r.below(numbers.count)], .plain) },
            "m": cells { r in .number(numbers[r.below(numbers.count)], .money) },
            "z": cells { r in .number(Double(r.below(3)), .plain) },
            "t": cells { r in .text(texts[r.below(texts.count)]) },
            "d": cells { r in .date(TallyDate(days: Int32(19_000 + r.below(900)))) },
            "b": cells { r in .bool(r.below(2) == 0) },
            "e": cells { r in r.below(4) == 0 ? .error(ErrorValue(.divisionByZero, "division by zero")) : .num(Double(r.below(5))) },
            "x": cells { r in r.below(2) == 0 ? .num(Double(r.below(3))) : .text(texts[r.below(texts.count)]) },
        ]
    }

    /// Same cell, errors compared by kind and message (spans differ between the paths).
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.error(let x), .error(let y)): return x.kind == y.kind && x.message == y.message
        default: return a == b
        }
    }

    /// Evaluates `source` with the pool's columns (or row `row` of each) as names.
    static func evaluate(_ source: String, _ pool: [String: Column], row: Int?) throws -> Value {
        let expr = try Parser.parseExpression(source, source: 0)
        return try Evaluator(lookup: { name in
            guard let c = pool[name] else { return nil }
            return row.map { c[$0] } ?? .column(c)
        }).evaluate(expr)
    }

    /// Checks one expression; returns a description of the first difference, or nil.
    static func difference(_ source: String, _ pool: [String: Column]) -> String? {
        let whole = Result { try evaluate(source, pool, row: nil) }
        let each = (0..<rows).map { i in Result { try evaluate(source, pool, row: i) } }
        let refused = each.filter { if case .failure = $0 { return true } else { return false } }.count
        guard case .success(let whole) = whole else {
            // A static refusal (a wrong argument) is the same whatever the shape.
            return refused == rows ? nil : "\(source): refused as a column, not cell by cell"
        }
        guard refused == 0 else { return "\(source): refused cell by cell, not as a column" }
        let cells = each.compactMap { try? $0.get() }
        guard case .column(let c) = whole else {
            if case .error = whole { return nil }
            return "\(source): gave a \(whole.typeName), not a column"
        }
        let expected = Column(values: cells)
        guard c.count == rows else { return "\(source): \(c.count) rows" }
        for i in 0..<rows where !same(c[i], expected[i]) {
            return "\(source) row \(i): column \(c[i]), cell by cell \(expected[i])"
        }
        return nil
    }

    static let operators = ["+", "-", "*", "/", "^", "&", "==", "!=", "<", "<=", ">", ">=", "and", "or"]
    static let operands = ["n", "m", "z", "t", "d", "b", "e", "x", "2", "0", "\"JD\"", "true", "date(\"2026-03-01\")"]

    @Test(arguments: operators)
    func operatorMatchesCellByCell(_ op: String) {
        let pool = Self.pool(seed: 7)
        for a in Self.operands {
            for b in Self.operands where pool[a] != nil || pool[b] != nil {
                if let d = Self.difference("\(a) \(op) \(b)", pool) { Issue.record(Comment(rawValue: d)); return }
            }
        }
    }

    @Test func unaryOperatorsMatchCellByCell() {
        let pool = Self.pool(seed: 11)
        for x in pool.keys.sorted() {
            for source in ["-\(x)", "not \(x)"] {
                if let d = Self.difference(source, pool) { Issue.record(Comment(rawValue: d)) }
            }
        }
    }

    /// Every element-wise built-in, each parameter given a column or a single value of
    /// every kind (a sample of the combinations, the same every run).
    @Test func everyElementwiseBuiltinMatchesCellByCell() {
        let pool = Self.pool(seed: 3)
        let choices = ["n", "m", "z", "t", "d", "b", "e", "x", "2", "-1", "\"JD\"", "true", "date(\"2026-03-01\")"]
        var r = Random(state: 99)
        var tried = 0
        for name in Registry.standard.names {
            guard let fn = Registry.standard.lookup(name), fn.isElementwise, fn.name == name else { continue }
            let params = fn.parameters.filter { !$0.isVariadic }
            for _ in 0..<60 {
                let count = params.filter { $0.defaultValue == nil }.count + r.below(params.count - params.filter { $0.defaultValue == nil }.count + 1)
                let args = (0..<count).map { _ in choices[r.below(choices.count)] }
                guard args.contains(where: { pool[$0] != nil }) else { continue }
                tried += 1
                if let d = Self.difference("\(name)(\(args.joined(separator: ", ")))", pool) {
                    Issue.record(Comment(rawValue: d))
                    break
                }
            }
        }
        #expect(tried > 300)
    }

    /// The variadic row functions (coalesce, concat) over columns.
    @Test(arguments: ["coalesce(n, 0)", "coalesce(e, z, 5)", "coalesce(t, \"none\")", "concat(t, \"-\", n)", "concat(d, b, x)",
                      "iferror(e, 0)", "iferror(n / z, -1)", "is_empty(n)", "is_empty(e)", "if(b, n, m)", "if(n > 2, t, \"small\")",
                      "if(b, d, date(\"2026-01-01\"))", "if(e > 1, e, 0)", "if(b, n)", "round(m, 1)", "round(n, -2)", "round(n, 99)"])
    func rowFunctionsMatchCellByCell(_ source: String) {
        if let d = Self.difference(source, Self.pool(seed: 5)) { Issue.record(Comment(rawValue: d)) }
    }

    /// Whole expressions over one column of few distinct values are evaluated once per
    /// distinct value (from 4,096 rows on): the same answers as cell by cell.
    @Test(arguments: ["upper(t) == \"JD\"", "len(t) > 2 and contains(t, \"a\")", "left(t, 1) & \"-\" & t", "month(d) == 3",
                      "if(b, 1, 2) * 3 + 1", "not b", "d - date(\"2026-01-01\") > 400", "year(d) * 100 + month(d)",
                      "t == \"\" or t == \"JD\"", "iferror(1 / (month(d) - 3), -1)", "-len(t)"])
    func wholeExpressionsOverFewValuesMatchCellByCell(_ source: String) throws {
        var r = Random(state: 17)
        let n = 5000
        let texts = ["JD", "jd", "Tmall", "", "  a b ", "华东", "abc"]
        func cells(_ make: (inout Random) -> Value) -> Column {
            Column(values: (0..<n).map { _ in r.below(10) == 0 ? .empty : make(&r) })
        }
        let pool: [String: Column] = [
            "t": cells { r in .text(texts[r.below(texts.count)]) },
            "d": cells { r in .date(TallyDate(days: Int32(20_000 + r.below(700)))) },
            "b": cells { r in .bool(r.below(3) == 0) },
        ]
        // As inside a table function: the columns are in scope as bare names.
        var scoped = Evaluator(lookup: { _ in nil })
        scoped.columns = Table(names: ["t", "d", "b"], columns: [pool["t"], pool["d"], pool["b"]].compactMap { $0 })
        guard case .column(let whole) = try scoped.evaluate(try Parser.parseExpression(source, source: 0)) else {
            Issue.record("\(source) gave no column")
            return
        }
        let expected = Column(values: try (0..<n).map { try Self.evaluate(source, pool, row: $0) })
        for i in 0..<n where !Self.same(whole[i], expected[i]) {
            Issue.record("\(source) row \(i): \(whole[i]) vs \(expected[i])")
            return
        }
    }
}
