import Foundation
import Testing
import TallyCore
@testable import TallyIO

@Suite struct TableWriterTests {
    static func sample() -> Table {
        let d = { (y: Int, m: Int, day: Int) in Value.date(TallyDate(year: y, month: m, day: day)!) }
        return Table(names: ["name", "amount", "share", "day", "ok"], columns: [
            Column(values: [.text("Tmall"), .text("a,b"), .text("say \"hi\""), .text("two\nlines"), .empty]),
            Column(values: [.num(1234.5), .num(-0.1), .num(3), .num(1e-7), .empty]),
            Column(values: [.number(0.125, .percent), .number(1, .percent), .empty, .number(0.5, .percent), .number(0, .percent)]),
            Column(values: [d(2026, 7, 1), .empty, d(1999, 12, 31), d(2026, 1, 2), d(2024, 2, 29)]),
            Column(values: [.bool(true), .bool(false), .empty, .bool(true), .bool(false)]),
        ])!
    }

    static let expected: [(ExportFormat, String)] = [
        (.csv, #"""
            name,amount,share,day,ok
            Tmall,1234.5,0.125,2026-07-01,true
            "a,b",-0.1,1,,false
            "say ""hi""",3,,1999-12-31,
            "two
            lines",1e-07,0.5,2026-01-02,true
            ,,0,2024-02-29,false

            """#),
        (.tsv, "name\tamount\tshare\tday\tok\nTmall\t1234.5\t0.125\t2026-07-01\ttrue\na,b\t-0.1\t1\t\tfalse\n"
            + "\"say \"\"hi\"\"\"\t3\t\t1999-12-31\t\n\"two\nlines\"\t1e-07\t0.5\t2026-01-02\ttrue\n\t\t0\t2024-02-29\tfalse\n"),
        (.md, #"""
            | name | amount | share | day | ok |
            | --- | ---: | ---: | --- | --- |
            | Tmall | 1234.5 | 0.125 | 2026-07-01 | true |
            | a,b | -0.1 | 1 |  | false |
            | say "hi" | 3 |  | 1999-12-31 |  |
            | two<br>lines | 1e-07 | 0.5 | 2026-01-02 | true |
            |  |  | 0 | 2024-02-29 | false |

            """#),
    ]

    @Test(arguments: expected)
    func renders(_ format: ExportFormat, _ text: String) {
        #expect(String(decoding: TableWriter.render(Self.sample(), format: format), as: UTF8.self) == text)
    }

    static let numbers: [(Double, String)] = [
        (0, "0"), (1, "1"), (-2, "-2"), (0.1, "0.1"), (1234567.891, "1234567.891"), (1e21, "1e+21"),
        (123456789012, "123456789012"), (0.000001, "1e-06"), (.nan, "NaN"), (.infinity, "inf"), (-.infinity, "-inf"),
    ]

    @Test(arguments: numbers)
    func spellsNumbers(_ x: Double, _ text: String) {
        #expect(CellText.number(x) == text)
    }

    @Test func escapesPipesInMarkdown() {
        let t = Table(names: ["a|b"], columns: [Column(values: [.text("x|y")])])!
        #expect(String(decoding: TableWriter.render(t, format: .md), as: UTF8.self) == "| a\\|b |\n| --- |\n| x\\|y |\n")
    }

    @Test func singleColumnEmptyCellIsQuoted() throws {
        let t = Table(names: ["a"], columns: [Column(values: [.text("x"), .empty, .text("y")])])!
        let bytes = TableWriter.render(t, format: .csv)
        #expect(String(decoding: bytes, as: UTF8.self) == "a\nx\n\"\"\ny\n")
        #expect(try load(bytes: bytes).table == t)
    }

    static let roundTripCases: [(String, String)] = [
        ("mixed types", "id,name,amount,day,ok,code\n1,\"Doe, J\",12.5,2026-07-01,yes,00042\n2,\"say \"\"hi\"\"\",,2026/7/2,no,17\n"
            + "3,,-0.001,,true,\n4,\"a\nb\",1e-9,2024-02-29,,x\n"),
        ("CJK and money", "地区,金额,日期\n华东,¥1234.5,2026年7月1日\n华南,\"¥1,000\",2026年7月2日\n"),
        ("text that broke a number column", "v\n1\n2\nN/A\n\"3,5\"\n"),
        ("all empty column", "a,b\n1,\n2,\n"),
        ("header only", "a,b\n"),
    ]

    /// load -> write -> load gives an equal table (formats aside: CSV has no place for
    /// the money or percent decoration, so those columns come back plain).
    @Test(arguments: roundTripCases)
    func roundTrips(_ name: String, _ text: String) throws {
        let first = try load(text).table
        for format in [ExportFormat.csv, .tsv] {
            let again = try load(bytes: TableWriter.render(first, format: format)).table
            #expect(again == Self.plain(first), "\(name) \(format)")
        }
    }

    @Test func roundTripOfTheBenchShape() throws {
        var text = "order_id,customer_id,order_date,amount,channel,region\n"
        var rng = SplitMix(state: 3)
        for i in 1...3000 {
            let cents = rng.next() % 1_000_000
            text += "\(i),C\(100000 + rng.next() % 500),2025-0\(1 + i % 9)-2\(i % 8),\(cents / 100).\(cents % 100),"
                + ["Tmall", "JD", "Douyin"][i % 3] + "," + ["华东", "华南"][i % 2] + "\n"
        }
        let first = try load(text) { $0.chunkBytes = 4096 }.table
        let bytes = TableWriter.render(first, format: .csv)
        #expect(try load(bytes: bytes) { $0.chunkBytes = 3000 }.table == first)
    }

    static func plain(_ t: Table) -> Table {
        var out = t
        for (name, c) in zip(t.names, t.columns) where c.format != .plain {
            var p = c
            p.format = .plain
            out = out.setting(name, to: p) ?? out
        }
        return out
    }

    @Test func writesFileAtomically() throws {
        let dir = try TempDir()
        let path = dir.path + "/out.csv"
        try TableWriter.write(Self.sample(), to: path, format: .csv)
        #expect(dir.read("out.csv") == TableWriter.render(Self.sample(), format: .csv))
        let small = Table(names: ["x"], columns: [Column(values: [.num(1)])])!
        try TableWriter.write(small, to: path, format: .csv)
        #expect(dir.read("out.csv") == Array("x\n1\n".utf8))
        #expect(dir.files() == ["out.csv"])
        let loaded = try CSVReader.read(path: path, options: LoadOptions())
        #expect(loaded.table == small)
    }

    @Test func reportsWriteFailures() {
        #expect(throws: WriteError.self) {
            try TableWriter.write(Self.sample(), to: "/no/such/dir/out.csv", format: .csv)
        }
    }

    static let extensions: [(String, ExportFormat?)] = [
        ("a.csv", .csv), ("dir.v2/A.TSV", .tsv), ("x.tab", .tsv), ("notes.md", .md), ("r.markdown", .md),
        ("a.xlsx", nil), ("noext", nil), ("dir.csv/file", nil),
    ]

    @Test(arguments: extensions)
    func formatFromPath(_ path: String, _ format: ExportFormat?) {
        #expect(ExportFormat(path: path) == format)
    }

    /// A typed column with error cells (a number column with #DIV/0!, as `1 / x` makes)
    /// writes each error as its name, each empty cell as nothing, the rest as numbers.
    @Test func errorCellsOfATypedColumn() throws {
        let errors = [1: ErrorValue(.divisionByZero, "1 / 0"), 3: ErrorValue(.divisionByZero, "1 / 0")]
        let c = Column(storage: .number([2, 0, 0.5, 0, 4]), validity: Bitmap([true, true, true, true, false]), errors: errors)
        let t = try #require(Table(names: ["r"], columns: [c]))
        let kind = ErrorValue.Kind.divisionByZero.rawValue
        #expect(String(decoding: TableWriter.render(t, format: .csv), as: UTF8.self) == "r\n2\n\(kind)\n0.5\n\(kind)\n\"\"\n")
    }

    /// Rows written in batches give the file the whole table gives.
    @Test(arguments: [ExportFormat.csv, .tsv])
    func batchesWriteWhatTheTableWrites(_ format: ExportFormat) throws {
        let t = Self.sample()
        let path = NSTemporaryDirectory() + "tally-batches-\(getpid()).\(format == .csv ? "csv" : "tsv")"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let halves = [t.gather(Array(0..<2)), t.gather(Array(2..<t.rowCount))]
        try TableWriter.write(names: t.names, batches: { (write: (Table) throws(CancellationError) -> Void) throws(CancellationError) in
            for h in halves { try write(h) }
        }, to: path, format: format)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == String(decoding: TableWriter.render(t, format: format), as: UTF8.self))
    }

    /// Over many blocks of rows (each spelled column by column), every line is the cells of
    /// its row, each spelled and quoted on its own.
    @Test(arguments: [ExportFormat.csv, .tsv])
    func linesOfManyBlocksAreTheirCells(_ format: ExportFormat) throws {
        let n = DelimitedRows.blockRows * 2 + 17
        let texts = ["Tmall", "a,b", "say \"hi\"", "two\nlines", "", "华东", "tab\there"]
        let errors = [5: ErrorValue(.divisionByZero, "1 / 0"), 4_100: ErrorValue(.value, "x")]
        let columns = [
            Column(values: (0..<n).map { i in i % 11 == 0 ? .empty : .text(texts[i % texts.count]) }),
            Column(storage: .number(.narrowest((0..<n).map { Double($0 % 300) })), validity: Bitmap((0..<n).map { $0 % 13 != 0 })),
            Column(storage: .number(NumberCells((0..<n).map { Double($0) / 8 - 3 })), validity: nil, errors: errors),
            Column(values: (0..<n).map { i in i % 7 == 0 ? .empty : .date(TallyDate(days: Int32(19_000 + i % 400))) }),
            Column(values: (0..<n).map { i in i % 5 == 0 ? .empty : .bool(i % 2 == 0) }),
            Column(values: (0..<n).map { i in i % 3 == 0 ? .num(Double(i)) : .text("m\(i)") }),
        ]
        let t = try #require(Table(names: ["t", "n", "x", "d", "b", "m"], columns: columns))
        let delimiter = format == .csv ? "," : "\t"
        func quoted(_ s: String) -> String {
            s.contains(where: { String($0) == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let lines = (0..<n).map { i in columns.map { quoted(CellText.cell($0, i)) }.joined(separator: delimiter) }
        let want = t.names.joined(separator: delimiter) + "\n" + lines.map { $0 + "\n" }.joined()
        #expect(String(decoding: TableWriter.render(t, format: format), as: UTF8.self) == want)
    }
}
