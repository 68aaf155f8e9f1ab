import Testing
import TallyCore
@testable import TallyLang

private let E = "if(false, 1)"

private let cases: [(String, String)] = [
    ("month_start(date(\"2026-03-17\"))", "2026-03-01"),
    ("month_start(\"2026-12-31\")", "2026-12-01"),
    ("month_start(\(E))", "empty"),
    ("quarter_start(date(\"2026-08-15\"))", "2026-07-01"),
    ("quarter_start(date(\"2026-12-31\"))", "2026-10-01"),
    ("quarter_start(date(\"2026-01-01\"))", "2026-01-01"),
    ("week_start(date(\"2026-03-01\"))", "2026-02-23"),
    ("week_start(date(\"2026-03-02\"))", "2026-03-02"),
    ("week_start(date(\"2027-01-01\"))", "2026-12-28"),
    ("year_start(date(\"2026-08-15\"))", "2026-01-01"),
    ("month_start([date(\"2026-03-17\"), \(E)])", "[2026-03-01, empty]"),
    ("month_start(5)", "#VALUE!"),
    ("period(date(\"2026-03-01\"))", "\"2026-03\""),
    ("period(date(\"2026-03-01\"), \"quarter\")", "\"2026-Q1\""),
    ("period(date(\"2026-11-30\"), \"quarter\")", "\"2026-Q4\""),
    ("period(date(\"2026-03-01\"), \"week\")", "\"2026-W09\""),
    ("period(date(\"2027-01-01\"), \"week\")", "\"2026-W53\""),
    ("period(date(\"2024-12-30\"), \"week\")", "\"2025-W01\""),
    ("period(date(\"2026-03-01\"), \"year\")", "\"2026\""),
    ("period(\"2026-03-01\")", "\"2026-03\""),
    ("period([date(\"2026-03-01\"), \(E)], unit: \"month\")", "[\"2026-03\", empty]"),
    ("period(5)", "#VALUE!"),
    ("add(table(d: [date(\"2026-03-01\"), date(\"2026-03-09\"), \(E)]), p: period(d, \"week\")).p", "col[\"2026-W09\", \"2026-W11\", empty]"),
    ("between(5, 1, 10)", "true"),
    ("between(1, 1, 10)", "true"),
    ("between(10, 1, 10)", "true"),
    ("between(11, 1, 10)", "false"),
    ("between([0, 5, \(E)], 1, 10)", "[false, true, empty]"),
    ("between(date(\"2026-03-15\"), date(\"2026-03-01\"), date(\"2026-03-31\"))", "true"),
    ("between(\"b\", \"a\", \"c\")", "true"),
    ("rows(where(table(x: [1, \(E), 3]), between(x, 1, 2)))", "1"),
    ("date(2026, 7, 1)", "2026-07-01"),
    ("eomonth(date(\"2026-01-15\"), 1)", "2026-02-28"),
]

@Suite struct PeriodFunctionTests {
    @Test(arguments: cases)
    func evaluates(_ source: String, _ expected: String) throws {
        #expect(canonical(try evaluateBuiltinExpression(source)) == expected, "\(source)")
    }

    @Test(arguments: ["period(date(\"2026-03-01\"), \"mnth\")", "period(date(\"2026-03-01\"), every: \"month\")",
                      "between(1, 2)", "month_start(date(\"2026-03-01\"), 2)"])
    func refuses(_ source: String) {
        #expect(throws: TallyError.self, "\(source)") { try evaluateBuiltinExpression(source) }
    }

    /// eomonth and add_months over a date column with a single months, and date over a text
    /// column, in one typed loop, give what the cell-by-cell path gives.
    @Test func monthKernelsMatchTheCellByCellPath() throws {
        let days: [Int32] = (0..<500).map { Int32($0 * 37 % 20_000) }
        let valid = Bitmap((0..<days.count).map { $0 % 11 != 0 })
        let dates = Column(storage: .date(days), validity: valid)
        let texts = Column(values: days.map { .text(TallyDate(days: $0).iso) })
        let t = Table(names: ["d", "s"], columns: [dates, texts])
        var ev = Evaluator(lookup: { _ in nil })
        ev.columns = t
        for (fn, cell) in [("eomonth(d)", { (d: String) in "eomonth(\(d))" }), ("eomonth(d, -13)", { "eomonth(\($0), -13)" }),
                           ("add_months(d, 5)", { "add_months(\($0), 5)" })] {
            let v = try ev.evaluate(try Parser.parseExpression(fn, source: 0))
            guard case .column(let out) = v, case .date = out.storage else { Issue.record("\(fn) took the slow path"); continue }
            for i in 0..<days.count {
                let arg = dates[i].isEmpty ? E : "date(\"\(TallyDate(days: days[i]).iso)\")"
                #expect(canonical(out[i]) == canonical(try evaluateBuiltinExpression(cell(arg))), "\(fn) row \(i)")
            }
        }
        let parsed = try ev.evaluate(try Parser.parseExpression("date(s)", source: 0))
        guard case .column(let p) = parsed, case .date(let ds) = p.storage else { Issue.record("date(s) took the slow path"); return }
        #expect(ds == days)
        #expect(canonical(try evaluateBuiltinExpression("date([\"2026-01-01\", \"nope\"])")) == "[2026-01-01, #VALUE!]")
    }

    /// The column kernels (one typed loop over a date column) give what the cell-by-cell path gives.
    @Test func kernelsMatchTheCellByCellPath() throws {
        var seed: UInt64 = 42
        func next() -> Int32 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int32(truncatingIfNeeded: (seed >> 33) % 40_000) - 10_000
        }
        let days = (0..<2_000).map { _ in next() }
        let valid = Bitmap((0..<days.count).map { $0 % 17 != 0 })
        let column = Column(storage: .date(days), validity: valid)
        let t = Table(names: ["d"], columns: [column])
        var ev = Evaluator(lookup: { _ in nil })
        ev.columns = t
        for fn in ["month_start(d)", "quarter_start(d)", "week_start(d)", "year_start(d)",
                   "period(d)", "period(d, \"quarter\")", "period(d, \"week\")", "period(d, \"year\")"] {
            let v = try ev.evaluate(try Parser.parseExpression(fn, source: 0))
            guard case .column(let out) = v else { Issue.record("\(fn) gave no column"); continue }
            let name = String(fn.prefix { $0 != "(" })
            for i in 0..<days.count {
                let cell = column[i]
                let unit = fn.contains("\"") ? fn.split(separator: "\"")[1] : "month"
                let one = try evaluateBuiltinExpression(name == "period"
                    ? "period(\(cell.isEmpty ? E : "date(\"\(TallyDate(days: days[i]).iso)\")"), \"\(unit)\")"
                    : "\(name)(\(cell.isEmpty ? E : "date(\"\(TallyDate(days: days[i]).iso)\")"))")
                #expect(canonical(out[i]) == canonical(one), "\(fn) row \(i)")
            }
        }
    }
}
