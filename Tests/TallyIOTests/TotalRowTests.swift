import Testing
import TallyCore
@testable import TallyIO

/// A total row (`合计`, `Total`) at the end of the data is left out and reported;
/// `keepTotals` keeps it. And `on_error: "skip"` says why each row was skipped.
@Suite struct TotalRowTests {
    @Test("labels", arguments: [
        ("合计", true), ("总计", true), ("小计", true), ("合 计", true), ("总计：", true), ("合計", true),
        ("Total", true), ("TOTAL:", true), ("Grand Total", true), ("grand  total", true), ("Totals", true),
        ("Subtotal", true), ("Sub-total", true), ("　合计　", true),
        ("totally", false), ("合计金额", false), ("Total sales", false), ("", false), ("华东", false),
    ])
    func label(_ text: String, _ expected: Bool) {
        #expect(TotalRows.isLabel(text) == expected)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var csv: String
        /// The ids (first column) that load.
        var rows: [String]
        /// (line, label) of each total row left out.
        var totals: [(Int, String)]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "none", csv: "id,amount\na,1\nb,2\n", rows: ["a", "b"], totals: []),
        Case(name: "合计 last", csv: "id,amount\na,1\nb,2\n合计,3\n", rows: ["a", "b"], totals: [(4, "合计")]),
        Case(name: "no final newline", csv: "id,amount\na,1\nb,2\nTotal,3", rows: ["a", "b"], totals: [(4, "Total")]),
        Case(name: "blank lines and CRLF", csv: "id,amount\r\na,1\r\n\r\nb,2\r\n\r\nTotal:,3\r\n\r\n",
             rows: ["a", "b"], totals: [(6, "Total:")]),
        Case(name: "subtotal then total", csv: "id,amount\na,1\nb,2\n小计,3\n总计,3\n", rows: ["a", "b"],
             totals: [(4, "小计"), (5, "总计")]),
        Case(name: "label after an empty cell", csv: "id,region,amount\na,x,1\n,合计,1\n", rows: ["a"], totals: [(3, "合计")]),
        Case(name: "label after a row number", csv: "n,region,amount\n1,x,1\n2,合计,1\n", rows: ["1"], totals: [(3, "合计")]),
        Case(name: "quoted label", csv: "id,amount\na,1\n\"合计\",\"1,000\"\n", rows: ["a"], totals: [(3, "合计")]),
        Case(name: "a total in the middle is data", csv: "id,amount\nTotal,1\nb,2\n", rows: ["Total", "b"], totals: []),
        Case(name: "a text before the label", csv: "region,name,amount\nx,a,1\ny,Total,2\n", rows: ["x", "y"], totals: []),
        Case(name: "a line inside a quoted field", csv: "id,note\na,\"two\nTotal\"\n", rows: ["a"], totals: []),
        Case(name: "only a total row", csv: "id,amount\n合计,0\n", rows: [], totals: [(2, "合计")]),
        Case(name: "header only", csv: "id,amount\n", rows: [], totals: []),
    ]

    @Test(arguments: cases)
    func csv(_ c: Case) throws {
        let r = try load(c.csv)
        let ids: [String] = r.table.columns.first?.values.map { v -> String in
            if case .text(let s) = v { return s }
            if case .number(let x, _) = v { return String(Int(x)) }
            return "?"
        } ?? []
        #expect(ids == c.rows)
        #expect(r.totalRows.map(\.line) == c.totals.map(\.0))
        #expect(r.totalRows.map(\.reason) == c.totals.map(\.1))
        #expect(r.noticeTexts.contains { $0.hasPrefix("left out") } == !c.totals.isEmpty)
    }

    @Test func keepTotalsKeepsIt() throws {
        let r = try load("id,amount\na,1\n合计,1\n") { $0.keepTotals = true }
        #expect(r.table.values("id") == [.text("a"), .text("合计")])
        #expect(r.totalRows.isEmpty)
        #expect(r.noticeTexts.isEmpty)
    }

    @Test func notices() throws {
        #expect(try load("id,amount\na,1\n合计,1\n").noticeTexts == ["left out the total row at line 3 (合计); keep_totals: true keeps it"])
        #expect(try load("id,amount\na,1\n小计,1\n合计,1\n").noticeTexts
            == ["left out 2 total rows at lines 3, 4 (小计, 合计); keep_totals: true keeps them"])
    }

    /// The total row would otherwise turn a date column into text.
    @Test func typesStayTyped() throws {
        let r = try load("day,amount\n2026-07-01,1\n2026-07-02,2\n合计,3\n")
        #expect(r.table.type("day") == "date")
        #expect(r.columnNotes.isEmpty)
    }

    /// Many chunks (small chunk size) and a long file: the total row's line is counted from the data.
    @Test func manyChunks() throws {
        var text = "id,amount\n"
        for i in 0..<20_000 { text += "c\(i),\(i)\n" }
        text += "\n合计,199990000\n"
        let r = try load(text) { $0.chunkBytes = 4096 }
        #expect(r.table.rowCount == 20_000)
        #expect(r.totalRows.map(\.line) == [20_003])
        #expect(r.table.type("amount") == "number")
    }

    @Test func gb18030() throws {
        // "地区,金额\n华东,1\n合计,1\n" in GB18030.
        let bytes: [UInt8] = [181, 216, 199, 248, 44, 189, 240, 182, 238, 10,
                              187, 170, 182, 171, 44, 49, 10, 186, 207, 188, 198, 44, 49, 10]
        let r = try load(bytes: bytes)
        #expect(r.encoding == .gb18030)
        #expect(r.table.values("地区") == [.text("华东")])
        #expect(r.totalRows.map(\.reason) == ["合计"])
    }

    @Test func loneCRLineEnds() throws {
        let r = try load("id,amount\ra,1\rb,2\rTotal,3\r")
        #expect(r.table.values("id") == [.text("a"), .text("b")])
        #expect(r.totalRows.map(\.line) == [4])
    }

    @Test func xlsx() throws {
        let dir = try TempDir()
        let path = dir.path + "/t.xlsx"
        let t = Table(names: ["n", "region", "amount"], columns: [
            Column(values: [.num(1), .num(2), .empty, .empty]),
            Column(values: [.text("East"), .text("West"), .text("Subtotal"), .text("合计")]),
            Column(values: [.num(10), .num(20), .num(30), .num(30)]),
        ])!
        try XLSXWriter.write(t, to: path, sheetName: "s")
        let r = try XLSXReader.read(path: path, sheet: nil, options: LoadOptions())
        #expect(r.table.values("region") == [.text("East"), .text("West")])
        #expect(r.totalRows == [SkippedRow(line: 4, reason: "Subtotal"), SkippedRow(line: 5, reason: "合计")])
        #expect(r.noticeTexts == ["left out 2 total rows at rows 4, 5 (Subtotal, 合计); keep_totals: true keeps them"])
        var keep = LoadOptions()
        keep.keepTotals = true
        #expect(try XLSXReader.read(path: path, sheet: nil, options: keep).table.rowCount == 4)
    }

    @Test func skipReasons() throws {
        var text = "id,name,amount\n"
        for i in 1...8 { text += i.isMultiple(of: 2) ? "\(i),x\n" : "\(i),x,\(i)\n" }
        text += "9,y,abc\n"
        let r = try load(text) { $0.onError = .skip; $0.types = ["amount": .number] }
        #expect(r.skipped.count == 5)
        #expect(r.skipped.map(\.column) == [2, 2, 2, 2, 3])
        #expect(r.noticeTexts == ["""
            skipped 5 bad rows:
                line 3, column 2: row has 2 fields, expected 3
                line 5, column 2: row has 2 fields, expected 3
                line 7, column 2: row has 2 fields, expected 3
                line 9, column 2: row has 2 fields, expected 3
                line 10, column 3: value `abc` in column `amount` is not a number
            """])
        text += "10,z\n11,z\n"
        let more = try load(text) { $0.onError = .skip }
        #expect(more.noticeTexts.first?.hasSuffix("\n    and 1 more") == true)
    }
}
