import Testing
import TallyCore
@testable import TallyIO

/// Type inference, one column at a time: the cells below a header `x`.
@Suite struct CSVReaderTypeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let cells: [String]
        let type: String
        let values: [Value]
        var format: NumberFormat = .plain
        var note: String?
        var delimiter: Character = ","
        var testDescription: String { name }
    }

    static func d(_ y: Int, _ m: Int, _ day: Int) -> Value { .date(TallyDate(year: y, month: m, day: day)!) }

    static let cases: [Case] = [
        Case(name: "integers", cells: ["1", "-2", "300"], type: "number", values: [.num(1), .num(-2), .num(300)]),
        Case(name: "decimals", cells: ["1.5", "-0.25", "100"], type: "number", values: [.num(1.5), .num(-0.25), .num(100)]),
        Case(name: "quoted thousands in a comma file", cells: ["\"1,234.50\"", "\"-12,000\"", "7"], type: "number",
             values: [.num(1234.5), .num(-12000), .num(7)]),
        Case(name: "thousands in a semicolon file", cells: ["1,234.50", "12,000"], type: "number",
             values: [.num(1234.5), .num(12000)], delimiter: ";"),
        Case(name: "dollar signs", cells: ["$12.50", "-$3", "$1,000"].map { $0.contains(",") ? "\"\($0)\"" : $0 },
             type: "number", values: [.number(12.5, .money), .number(-3, .money), .number(1000, .money)], format: .money),
        Case(name: "yuan signs", cells: ["¥88", "￥1.5", "\"¥1,234\""], type: "number",
             values: [.number(88, .money), .number(1.5, .money), .number(1234, .money)], format: .money),
        Case(name: "percent", cells: ["12.5%", "7%", "-1%"], type: "number",
             values: [.number(0.125, .percent), .number(0.07, .percent), .number(-0.01, .percent)], format: .percent),
        Case(name: "percent mixed with plain fractions is percent", cells: ["50%", "0.25"], type: "number",
             values: [.number(0.5, .percent), .number(0.25, .percent)], format: .percent),
        Case(name: "percent mixed with money is plain", cells: ["50%", "$2"], type: "number",
             values: [.num(0.5), .num(2)]),
        Case(name: "empties in a number column", cells: ["1", "", "3", "\"\""], type: "number",
             values: [.num(1), .empty, .num(3), .empty]),
        Case(name: "ISO dates", cells: ["2026-07-01", "2026-12-31"], type: "date", values: [d(2026, 7, 1), d(2026, 12, 31)]),
        Case(name: "slash dates", cells: ["2026/7/1", "2026/12/31"], type: "date", values: [d(2026, 7, 1), d(2026, 12, 31)]),
        Case(name: "CJK dates", cells: ["2026年7月1日", "2025年1月31日"], type: "date", values: [d(2026, 7, 1), d(2025, 1, 31)]),
        Case(name: "mixed date layouts", cells: ["2026-07-01", "", "2026/7/2"], type: "date", values: [d(2026, 7, 1), .empty, d(2026, 7, 2)]),
        Case(name: "booleans", cells: ["true", "FALSE", "yes", "No", "是", "否", ""], type: "boolean",
             values: [.bool(true), .bool(false), .bool(true), .bool(false), .bool(true), .bool(false), .empty]),
        Case(name: "text", cells: ["Tmall", "JD", "Tmall"], type: "text", values: [.text("Tmall"), .text("JD"), .text("Tmall")]),
        Case(name: "leading zeros first", cells: ["00042", "17"], type: "text", values: [.text("00042"), .text("17")]),
        Case(name: "leading zeros later", cells: ["17", "00042"], type: "text", values: [.text("17"), .text("00042")],
             note: "text: line 3 value `00042` has leading zeros (kept as text)"),
        Case(name: "N/A breaks a number column", cells: ["1", "2", "N/A", "4"], type: "text",
             values: [.text("1"), .text("2"), .text("N/A"), .text("4")], note: "text: line 4 value `N/A` is not a number"),
        Case(name: "raw text survives a break", cells: ["$1", "\"1,000\"", "x"], type: "text",
             values: [.text("$1"), .text("1,000"), .text("x")], note: "text: line 4 value `x` is not a number"),
        Case(name: "word breaks a date column", cells: ["2026-07-01", "soon"], type: "text",
             values: [.text("2026-07-01"), .text("soon")], note: "text: line 3 value `soon` is not a date"),
        Case(name: "number breaks a boolean column", cells: ["yes", "1"], type: "text",
             values: [.text("yes"), .text("1")], note: "text: line 3 value `1` is not a boolean"),
        Case(name: "US dates are text without dateFormat", cells: ["7/1/2026"], type: "text", values: [.text("7/1/2026")]),
        Case(name: "all empty", cells: ["", ""], type: "number", values: [.empty, .empty]),
        Case(name: "spaces around numbers", cells: [" 5", "6 "], type: "number", values: [.num(5), .num(6)]),
        Case(name: "exponents", cells: ["1e3", "2.5E-2"], type: "number", values: [.num(1000), .num(0.025)]),
    ]

    @Test(arguments: cases)
    func infers(_ c: Case) throws {
        let text = "x\(c.delimiter)pad\n" + c.cells.map { "\($0)\(c.delimiter)p" }.joined(separator: "\n") + "\n"
        let r = try load(text)
        let column = try #require(r.table.column(named: "x"))
        #expect(column.typeName == c.type)
        #expect(column.values == c.values)
        #expect(column.format == c.format)
        #expect(r.columnNoteTexts["x"] == c.note)
    }

    @Test func emptyCellsClearValidityBits() throws {
        let r = try load("a,b\n1,x\n,y\n3,\n")
        let a = try #require(r.table.column(named: "a"))
        let b = try #require(r.table.column(named: "b"))
        #expect(a.validity.map { bm in (0..<3).map { bm[$0] } } == [true, false, true])
        #expect(b.validity.map { bm in (0..<3).map { bm[$0] } } == [true, true, false])
        #expect(try load("a\n1\n2\n").table.column(named: "a")?.validity == nil)
    }

    @Test func dateFormatOption() throws {
        let r = try load("d,n\n7/1/2026,1\n12/31/2026,2\n") { $0.dateFormat = "%m/%d/%Y" }
        #expect(r.table.values("d") == [Self.d(2026, 7, 1), Self.d(2026, 12, 31)])
        let tokens = try load("d\n01.07.2026\n") { $0.dateFormat = "DD.MM.YYYY" }
        #expect(tokens.table.values("d") == [Self.d(2026, 7, 1)])
    }

    static let forced: [(ColumnType, String, [Value])] = [
        (.text, "00042\n17\n", [.text("00042"), .text("17")]),
        (.text, "1\n2\n", [.text("1"), .text("2")]),
        (.number, "1\n\n", [.num(1)]),
        (.number, "1\n\"\"\n", [.num(1), .empty]),
        (.date, "2026-07-01\n2026/7/2\n", [d(2026, 7, 1), d(2026, 7, 2)]),
        (.bool, "yes\nfalse\n", [.bool(true), .bool(false)]),
    ]

    @Test(arguments: forced)
    func forcedTypes(_ type: ColumnType, _ body: String, _ values: [Value]) throws {
        let r = try load("x\n" + body) { $0.types = ["x": type] }
        #expect(r.table.values("x") == values)
    }

    @Test func textDictionaryKeepsFirstAppearanceOrder() throws {
        let r = try load("c\nb\na\nb\nc\n")
        guard case .text(let codes, let dictionary)? = r.table.column(named: "c")?.storage else {
            Issue.record("not text"); return
        }
        #expect(dictionary == ["b", "a", "c"])
        #expect(codes == [0, 1, 0, 2])
    }
}
