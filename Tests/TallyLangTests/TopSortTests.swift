import Testing
import TallyCore
@testable import TallyLang

private let T = "table(g: [\"b\", \"a\", \"b\", \"a\", \"b\", \"a\"], x: [3, 1, 9, 7, 3, if(false, 1)], d: [date(\"2026-03-05\"), date(\"2026-01-09\"), date(\"2026-03-01\"), date(\"2026-02-01\"), date(\"2026-01-31\"), date(\"2026-02-20\")])"

private let cases: [(String, String)] = [
    // top n per group: groups ascending, largest first, ties in table order, empties last
    ("top(\(T), 2, by: x, per: g).x", "col[7, 1, 9, 3]"),
    ("top(\(T), 2, by: x, per: g).g", "col[\"a\", \"a\", \"b\", \"b\"]"),
    ("top(\(T), 1, by: x, per: g).x", "col[7, 9]"),
    ("top(\(T), 5, by: x, per: g).x", "col[7, 1, empty, 9, 3, 3]"),
    ("top(\(T), 0, by: x, per: g).x", "col[]"),
    ("top(\(T), 1, per: g).x", "col[1, 3]"),
    ("top(\(T), 2, by: x).x", "col[9, 7]"),
    // sort by computed keys
    ("sort(\(T), month(d), x, desc).x", "col[3, 1, 7, empty, 9, 3]"),
    ("sort(\(T), g, x * -1).x", "col[7, 1, empty, 9, 3, 3]"),
    ("sort(\(T), month(d), desc, d).x", "col[9, 3, 7, empty, 1, 3]"),
]

@Suite struct TopSortTests {
    @Test(arguments: cases)
    func evaluates(_ source: String, _ expected: String) throws {
        #expect(canonical(try evaluateBuiltinExpression(source)) == expected, "\(source)")
    }

    @Test(arguments: ["top(\(T), 2, by: x, per: h)", "top(\(T), 2, by: x, each: g)", "sort(\(T), 1 + 1)", "sort(\(T), desc)"])
    func refuses(_ source: String) {
        #expect(throws: TallyError.self, "\(source)") { try evaluateBuiltinExpression(source) }
    }
}
