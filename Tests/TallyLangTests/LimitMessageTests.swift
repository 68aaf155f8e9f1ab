import Testing
import TallyCore
@testable import TallyLang

/// Messages about limits state the true problem and the limit in force (issue 9, item 13):
/// each repro said something that contradicted itself ("99996 periods is too many (at
/// most 100000)", "expected a whole number of rows" for a seed, "a date moves by whole
/// days" for a whole number of days).
struct LimitMessageTests {
    static func message(_ source: String) -> String {
        switch Session().evaluate(source) {
        case .success(.error(let e)): return "\(e.kind.rawValue) \(e.message)"
        case .success(let v): return "value \(Operators.display(v))"
        case .failure(let e): return "refused \(e.kind)"
        }
    }

    @Test("limit messages", arguments: [
        // Within the 100,000 periods: made, not refused.
        ("rows(quarters(1, 8333))", "value 33332"),
        ("rows(weeks(1, 1900))", "value 99137"),
        ("months(1, 9999)", "#VALUE! months: 119988 periods is too many (at most 100000)"),
        ("weeks(1, 2000)", "#VALUE! weeks: 104355 periods is too many (at most 100000)"),
        ("quarters(0, 5)", "#VALUE! quarters: year 0 is outside 1...9999"),
        (#"date("9999-12-31") + 1e8"#, "#NUM! date out of range: 9999-12-31 + 100000000 days is after 10183-09-20, the last date"),
        (#"date("0001-01-01") - 1e8"#, "#NUM! date out of range: 0001-01-01 - 100000000 days is before -6244-04-13, the first date"),
        (#"date("2026-01-01") + 1.5"#, "#VALUE! a date moves by whole days, got 1.5 days"),
        (#"date("9999-12-31") + 1"#, "value 10000-01-01"),
        (#"abc(table(k: ["a", "b"], v: [1e15, 1]), value: v)"#,
         "#VALUE! abc: value at row 1 is not a usable number: ABC counts whole cents, so each value must be a number between -90000000000000 and 90000000000000"),
    ])
    func limitMessage(_ source: String, _ expected: String) {
        #expect(Self.message(source) == expected)
    }

    @Test("count and seed arguments", arguments: [
        ("sample(table(x: [1, 2, 3]), 1, seed: 1e308)", "sample: `seed:` 1e+308 is too large (at most 9007199254740992)"),
        ("sample(table(x: [1, 2, 3]), 1, seed: -1)", "sample: `seed:` expected a whole number (0 or more), got -1"),
        ("sample(table(x: [1, 2, 3]), 1e300)", "sample: 1e+300 rows is too many (at most 999999999999)"),
        ("head(table(x: [1, 2, 3]), 1.5)", "head: expected a whole number of rows (0 or more), got 1.5"),
    ])
    func refusedArgument(_ source: String, _ expected: String) {
        guard case .failure(let e) = Session().evaluate(source) else { Issue.record("\(source) was not refused"); return }
        #expect(e.kind == .arguments(expected))
    }

    @Test func aLargeSeedStillSamples() {
        guard case .success(.table(let t)) = Session().evaluate("sample(table(x: [1, 2, 3]), 2, seed: 9007199254740992)") else {
            Issue.record("no table"); return
        }
        #expect(t.rowCount == 2)
    }
}
