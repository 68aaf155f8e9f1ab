import Testing
import TallyCore
@testable import TallyIO

/// Parsing: records, quoting, line ends, headers, delimiters.
@Suite struct CSVReaderTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let names: [String]
        let rows: [[String]]
        var testDescription: String { name }
    }

    /// Every cell as the writer would spell it ("" for empty).
    static func cells(_ t: Table) -> [[String]] {
        (0..<t.rowCount).map { i in t.columns.map { CellText.cell($0, i) } }
    }

    static let cases: [Case] = [
        Case(name: "LF", text: "a,b\nx,y\nz,w\n", names: ["a", "b"], rows: [["x", "y"], ["z", "w"]]),
        Case(name: "CRLF", text: "a,b\r\nx,y\r\nz,w\r\n", names: ["a", "b"], rows: [["x", "y"], ["z", "w"]]),
        Case(name: "no final newline", text: "a,b\nx,y\nz,w", names: ["a", "b"], rows: [["x", "y"], ["z", "w"]]),
        Case(name: "CRLF, no final newline", text: "a,b\r\nx,y\r\nz,w\r", names: ["a", "b"], rows: [["x", "y"], ["z", "w"]]),
        Case(name: "embedded delimiter", text: "a,b\n\"x,1\",y\n", names: ["a", "b"], rows: [["x,1", "y"]]),
        Case(name: "doubled quotes", text: "a,b\n\"say \"\"hi\"\"\",y\n", names: ["a", "b"], rows: [["say \"hi\"", "y"]]),
        Case(name: "newline in quotes", text: "a,b\n\"line 1\nline 2\",y\nz,w\n", names: ["a", "b"],
             rows: [["line 1\nline 2", "y"], ["z", "w"]]),
        Case(name: "CRLF in quotes is kept", text: "a,b\r\n\"p\r\nq\",y\r\n", names: ["a", "b"], rows: [["p\r\nq", "y"]]),
        Case(name: "quoted empty is empty", text: "a,b\n\"\",y\n", names: ["a", "b"], rows: [["", "y"]]),
        Case(name: "trailing empty field", text: "a,b,c\nx,y,\n", names: ["a", "b", "c"], rows: [["x", "y", ""]]),
        Case(name: "blank lines skipped", text: "\n\na,b\n\nx,y\n\r\n\nz,w\n\n", names: ["a", "b"], rows: [["x", "y"], ["z", "w"]]),
        Case(name: "UTF-8 BOM", text: "\u{FEFF}a,b\nx,y\n", names: ["a", "b"], rows: [["x", "y"]]),
        Case(name: "tab", text: "a\tb\nx y\tz\n", names: ["a", "b"], rows: [["x y", "z"]]),
        Case(name: "semicolon", text: "a;b\nx,1;y\n", names: ["a", "b"], rows: [["x,1", "y"]]),
        Case(name: "pipe", text: "a|b\nx|y\n", names: ["a", "b"], rows: [["x", "y"]]),
        Case(name: "quote inside unquoted field is literal", text: "a,b\nab\"c,y\n", names: ["a", "b"], rows: [["ab\"c", "y"]]),
        Case(name: "text after closing quote is kept", text: "a,b\n\"x\"yz,w\n", names: ["a", "b"], rows: [["xyz", "w"]]),
        Case(name: "quoted header, spaces trimmed", text: "\" a \", b ,\"c,d\"\n1,2,3\n", names: ["a", "b", "c,d"],
             rows: [["1", "2", "3"]]),
        Case(name: "CJK text", text: "地区,金额\n华东,1\n华南,2\n", names: ["地区", "金额"], rows: [["华东", "1"], ["华南", "2"]]),
        Case(name: "header only", text: "a,b\n", names: ["a", "b"], rows: []),
        Case(name: "header only, no newline", text: "a,b", names: ["a", "b"], rows: []),
        Case(name: "one row, no newline", text: "a,b\n1,2", names: ["a", "b"], rows: [["1", "2"]]),
        Case(name: "single column", text: "name\nalice\n\"\"\nbob\n", names: ["name"], rows: [["alice"], [""], ["bob"]]),
        Case(name: "long field", text: "a\n" + String(repeating: "x", count: 5000) + "\n", names: ["a"],
             rows: [[String(repeating: "x", count: 5000)]]),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) throws {
        let r = try load(c.text)
        #expect(r.table.names == c.names)
        #expect(Self.cells(r.table) == c.rows)
    }

    @Test func headerFalseNamesColumns() throws {
        let r = try load("1,x\n2,y\n") { $0.header = false }
        #expect(r.table.names == ["column1", "column2"])
        #expect(r.table.values("column1") == [.num(1), .num(2)])
    }

    @Test func skipLinesBeforeHeader() throws {
        let r = try load("exported by X\nsecond line, with comma\na,b\n1,2\n") { $0.skip = 2 }
        #expect(r.table.names == ["a", "b"])
        #expect(r.table.values("b") == [.num(2)])
    }

    static let renames: [(String, [String], Int)] = [
        ("amount,amount,amount\n1,2,3\n", ["amount", "amount_2", "amount_3"], 2),
        ("a,,c,\n1,2,3,4\n", ["a", "column2", "c", "column4"], 2),
        ("a,a_2,a\n1,2,3\n", ["a", "a_2", "a_3"], 1),
        ("column2,,x\n1,2,3\n", ["column2", "column2_2", "x"], 1),
    ]

    @Test(arguments: renames)
    func renamesBadHeaders(_ text: String, _ names: [String], _ noticeCount: Int) throws {
        let r = try load(text)
        #expect(r.table.names == names)
        #expect(r.noticeTexts.count == noticeCount)
    }

    @Test func forcedDelimiter() throws {
        let r = try load("a;b,c\n1;2,3\n") { $0.delimiter = UInt8(ascii: ";") }
        #expect(r.table.names == ["a", "b,c"])
        #expect(r.delimiter == UInt8(ascii: ";"))
    }

    @Test func reportsDetectedDelimiterAndEncoding() throws {
        let r = try load("a\tb\n1\t2\n")
        #expect(r.delimiter == 9)
        #expect(r.encoding == .utf8)
    }

    @Test func readsFromPath() throws {
        let dir = try TempDir()
        let path = dir.path + "/orders.csv"
        try dir.write("orders.csv", "id,amount\n1,10.5\n2,20\n")
        let r = try CSVReader.read(path: path, options: LoadOptions())
        #expect(r.table.values("amount") == [.num(10.5), .num(20)])
    }

    /// The bench file's shape: the sum of a money column comes out to the cent.
    /// A header longer than the sample the reader sizes its buffers from.
    @Test func hugeHeader() throws {
        let names = (0..<9000).map { "column_with_a_long_name_\($0)" }
        let text = names.joined(separator: ",") + "\n" + names.indices.map(String.init).joined(separator: ",") + "\n"
        let r = try load(text) { $0.chunkBytes = 1024 }
        #expect(r.table.columnCount == 9000)
        #expect(r.table.values("column_with_a_long_name_8999") == [.num(8999)])
    }

    @Test func tsvFileNameMeansTab() throws {
        let dir = try TempDir()
        try dir.write("one.tsv", "name\nDoe, John\n")
        let r = try CSVReader.read(path: dir.path + "/one.tsv", options: LoadOptions())
        #expect(r.delimiter == 9)
        #expect(r.table.values("name") == [.text("Doe, John")])
    }

    /// The bench file's shape: the sum of a money column comes out to the cent.
    @Test func sumsAmountsExactly() throws {
        var rng = SplitMix(state: 42)
        var text = "order_id,customer_id,order_date,amount,channel\n"
        var cents = 0
        for i in 1...20000 {
            let c = Int(rng.next() % 8_000_000) + 100
            cents += c
            let frac = c % 100
            text += "\(i),C\(String(rng.next() % 1000)),2026-0\(1 + i % 9)-1\(i % 10),\(c / 100).\(frac < 10 ? "0" : "")\(frac),JD\n"
        }
        let r = try load(text) { $0.chunkBytes = 4096 }
        guard case .number(let xs)? = r.table.column(named: "amount")?.storage else {
            Issue.record("amount is not a number column"); return
        }
        var sum = CompensatedSum()
        for x in xs.doubles { sum.add(x) }
        #expect((sum.value * 100).rounded() == Double(cents))
        #expect(r.table.type("order_date") == "date")
        #expect(r.table.type("customer_id") == "text")
    }
}
