import Foundation
import Testing
import TallyCore
import ZIPFoundation
@testable import TallyIO
import TallyREPL

/// A date from its parts, for expectations.
private func day(_ y: Int, _ m: Int, _ d: Int) -> Value {
    TallyDate(year: y, month: m, day: d).map { .date($0) } ?? .empty
}

/// Writes a zip of literal parts, as a hand-made `.xlsx`.
private func makeZip(_ dir: TempDir, _ name: String, _ parts: [String: String]) throws -> String {
    try makeZip(dir, name, bytes: parts.mapValues { Array($0.utf8) })
}

private func makeZip(_ dir: TempDir, _ name: String, bytes parts: [String: [UInt8]]) throws -> String {
    let path = dir.path + "/" + name
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for (part, bytes) in parts.sorted(by: { $0.key < $1.key }) {
        let data = Data(bytes)
        try archive.addEntry(with: part, type: .file, uncompressedSize: Int64(data.count),
                             compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
    return path
}

private func readXLSX(_ path: String, sheet: XLSXSheet? = nil,
                      _ configure: (inout LoadOptions) -> Void = { _ in }) throws(LoadError) -> LoadResult {
    var o = LoadOptions()
    configure(&o)
    return try XLSXReader.read(path: path, sheet: sheet, options: o)
}

// MARK: A hand-made workbook

private let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
private let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
private let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

/// Three sheets: `Sales` (shared strings with a rich-text run and a phonetic guide,
/// inline strings, date formats built-in and custom, a formula with a cached value, one
/// without, a sparse row, a blank row, booleans, an error), `Notes` (prefixed namespace,
/// no `r` references), `Mixed` (a title above an offset table, mixed types).
private func handMadeParts(date1904: Bool = false) -> [String: String] {
    var sheetRels = ""
    for k in 1...3 {
        sheetRels += "<Relationship Id=\"rId\(k)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\(k).xml\"/>"
    }
    return [
        "[Content_Types].xml": decl + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
        "_rels/.rels": decl + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
        "xl/workbook.xml": decl + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\">"
            + (date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>")
            + "<sheets><sheet name=\"Sales\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Notes\" sheetId=\"2\" r:id=\"rId2\"/>"
            + "<sheet name=\"Mixed\" sheetId=\"3\" r:id=\"rId3\"/></sheets></workbook>",
        "xl/_rels/workbook.xml.rels": decl + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + sheetRels
            + "<Relationship Id=\"rId8\" Type=\"\(rel)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
            + "<Relationship Id=\"rId9\" Type=\"\(rel)/styles\" Target=\"/xl/styles.xml\"/></Relationships>",
        "xl/sharedStrings.xml": decl + "<sst xmlns=\"\(main)\" count=\"7\" uniqueCount=\"7\">"
            + "<si><t>region</t></si>"
            + "<si><r><rPr><b/></rPr><t>order_</t></r><r><t>date</t></r></si>"
            + "<si><t>share</t></si>"
            + "<si><t>北京</t><rPh sb=\"0\" eb=\"2\"><t>ペキン</t></rPh></si>"
            + "<si><t>广州</t></si>"
            + "<si><t>2026-07-03</t></si>"
            + "<si><t>00042</t></si></sst>",
        "xl/styles.xml": decl + "<styleSheet xmlns=\"\(main)\">"
            + "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts>"
            + "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
            + "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"9\"/></cellXfs>"
            + "</styleSheet>",
        "xl/worksheets/sheet1.xml": decl + "<worksheet xmlns=\"\(main)\"><dimension ref=\"A1:F6\"/><sheetData>"
            + "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><t>amount</t></is></c>"
            + "<c r=\"C1\" t=\"s\"><v>1</v></c><c r=\"D1\" t=\"s\"><v>2</v></c>"
            + "<c r=\"E1\" t=\"inlineStr\"><is><t>ok</t></is></c><c r=\"F1\" t=\"inlineStr\"><is><t>note</t></is></c></row>"
            + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>3</v></c><c r=\"B2\"><f>1000+234.5</f><v>1234.5</v></c>"
            + "<c r=\"C2\" s=\"1\"><v>46204</v></c><c r=\"D2\" s=\"3\"><v>0.25</v></c><c r=\"E2\" t=\"b\"><v>1</v></c>"
            + "<c r=\"F2\" t=\"str\"><f>\"x\"</f><v>Tom &amp; \"Jerry\" &lt;x&gt;</v></c></row>"
            + "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>4</v></c><c r=\"B3\" s=\"0\"/><c r=\"C3\" s=\"2\"><v>46205.75</v></c></row>"
            + "<row r=\"4\"><c r=\"A4\" s=\"1\"/></row>"
            + "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><r><t>上</t></r><r><t>海</t></r></is></c><c r=\"B5\"><v>99</v></c>"
            + "<c r=\"C5\" t=\"s\"><v>5</v></c><c r=\"D5\" s=\"3\"><v>0.5</v></c><c r=\"E5\" t=\"b\"><v>0</v></c>"
            + "<c r=\"F5\" t=\"e\"><v>#N/A</v></c></row>"
            + "<row r=\"6\"><c r=\"B6\"><f>SUM(B2:B5)</f></c></row>"
            + "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"E3:F3\"/></mergeCells></worksheet>",
        "xl/worksheets/sheet2.xml": decl + "<x:worksheet xmlns:x=\"\(main)\"><x:sheetData>"
            + "<x:row><x:c t=\"inlineStr\"><x:is><x:t>k</x:t></x:is></x:c><x:c t=\"inlineStr\"><x:is><x:t>v</x:t></x:is></x:c></x:row>"
            + "<x:row><x:c t=\"inlineStr\"><x:is><x:t>a</x:t></x:is></x:c><x:c s=\"1\"><x:v>1</x:v></x:c></x:row>"
            + "</x:sheetData></x:worksheet>",
        "xl/worksheets/sheet3.xml": decl + "<worksheet xmlns=\"\(main)\"><sheetData>"
            + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Quarterly report</t></is></c></row>"
            + "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>code</t></is></c><c r=\"C3\" t=\"inlineStr\"><is><t>qty</t></is></c>"
            + "<c r=\"E3\" t=\"inlineStr\"><is><t>when</t></is></c></row>"
            + "<row r=\"4\"><c r=\"B4\" t=\"s\"><v>6</v></c><c r=\"C4\"><v>7</v></c><c r=\"E4\"><v>46204</v></c></row>"
            + "<row r=\"5\"><c r=\"B5\" t=\"inlineStr\"><is><t>00043</t></is></c><c r=\"C5\" t=\"inlineStr\"><is><t>N/A</t></is></c>"
            + "<c r=\"E5\"><v>46205</v></c></row>"
            + "</sheetData></worksheet>",
    ]
}

@Suite struct XLSXTests {
    // MARK: Hand-made workbook

    @Test func readsHandMadeSheet() throws {
        let dir = try TempDir()
        let path = try makeZip(dir, "hand.xlsx", handMadeParts())
        let r = try readXLSX(path)
        let t = r.table
        #expect(t.names == ["region", "amount", "order_date", "share", "ok", "note"])
        #expect(t.values("region") == [.text("北京"), .text("广州"), .text("上海")])
        #expect(t.values("amount") == [.number(1234.5, .plain), .empty, .number(99, .plain)])
        #expect(t.values("order_date") == [day(2026, 7, 1), day(2026, 7, 2), day(2026, 7, 3)])
        #expect(t.values("share") == [.number(0.25, .percent), .empty, .number(0.5, .percent)])
        #expect(t.column(named: "share")?.format == .percent)
        #expect(t.values("ok") == [.bool(true), .empty, .bool(false)])
        #expect(t.values("note") == [.text("Tom & \"Jerry\" <x>"), .empty, .empty])
        #expect(r.noticeTexts.contains { $0.contains("the workbook also has Notes, Mixed") })
        #expect(r.noticeTexts.contains { $0.contains("`note`: 1 Excel error (#N/A)") })
        #expect(r.noticeTexts.contains { $0.contains("1 formula cell has no saved result") })
        #expect(r.columnNotes.isEmpty)
    }

    struct SheetCase: Sendable, CustomTestStringConvertible {
        var label: String
        var sheet: XLSXSheet?
        var skip = 0
        var header = true
        var names: [String]
        var columns: [[Value]]
        var notes: [String: String] = [:]
        var notice: String?
        var testDescription: String { label }
    }

    static let sheetCases: [SheetCase] = [
        SheetCase(label: "by name, prefixed namespace, no references", sheet: .name("Notes"),
                  names: ["k", "v"], columns: [[.text("a")], [day(1900, 1, 1)]]),
        SheetCase(label: "by name ignoring case", sheet: .name("notes"),
                  names: ["k", "v"], columns: [[.text("a")], [day(1900, 1, 1)]]),
        SheetCase(label: "by index", sheet: .index(2),
                  names: ["k", "v"], columns: [[.text("a")], [day(1900, 1, 1)]]),
        SheetCase(label: "no header", sheet: .index(2), header: false,
                  names: ["column1", "column2"], columns: [[.text("k"), .text("a")], [.text("v"), .text("1900-01-01")]]),
        SheetCase(label: "a title row is skipped by itself", sheet: .name("Mixed"),
                  names: ["code", "qty", "when"],
                  columns: [[.text("00042"), .text("00043")], [.text("7"), .text("N/A")],
                            [.number(46204, .plain), .number(46205, .plain)]],
                  notes: ["code": "text: cell B4 value `00042` has leading zeros (kept as text)",
                          "qty": "text: cell C5 value `N/A` is not a number"],
                  notice: "skipped title row 1 (`Quarterly report`) above the header in row 3"),
        SheetCase(label: "skip a title; offset table; mixed types", sheet: .name("Mixed"), skip: 2,
                  names: ["code", "qty", "when"],
                  columns: [[.text("00042"), .text("00043")], [.text("7"), .text("N/A")],
                            [.number(46204, .plain), .number(46205, .plain)]],
                  notes: ["code": "text: cell B4 value `00042` has leading zeros (kept as text)",
                          "qty": "text: cell C5 value `N/A` is not a number"]),
    ]

    @Test(arguments: sheetCases)
    func readsSheet(_ c: SheetCase) throws {
        let dir = try TempDir()
        let path = try makeZip(dir, "hand.xlsx", handMadeParts())
        let r = try readXLSX(path, sheet: c.sheet) { $0.skip = c.skip; $0.header = c.header }
        #expect(r.table.names == c.names)
        for (name, expected) in zip(c.names, c.columns) { #expect(r.table.values(name) == expected, "\(name)") }
        #expect(r.columnNoteTexts == c.notes)
        if let n = c.notice { #expect(r.noticeTexts.contains(n), "\(r.noticeTexts)") }
    }

    @Test func forcedTypesAndSkippedRows() throws {
        let dir = try TempDir()
        let path = try makeZip(dir, "hand.xlsx", handMadeParts())
        // Dates stored as bare numbers become dates when forced.
        let r = try readXLSX(path, sheet: .name("Mixed")) { $0.skip = 2; $0.types = ["when": .date, "code": .text] }
        #expect(r.table.values("when") == [day(2026, 7, 1), day(2026, 7, 2)])
        // A forced number fails at the cell that is not one, naming it.
        do {
            _ = try readXLSX(path, sheet: .name("Mixed")) { $0.skip = 2; $0.types = ["qty": .number] }
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 5 && error.column == 3)
            #expect(error.message == "sheet `Mixed` cell C5: value `N/A` in column `qty` is not a number")
        }
        // ...or skips its row.
        let s = try readXLSX(path, sheet: .name("Mixed")) { $0.skip = 2; $0.types = ["qty": .number]; $0.onError = .skip }
        #expect(s.table.values("qty") == [.number(7, .plain)])
        #expect(s.skipped == [SkippedRow(line: 5, column: 3, reason: "value `N/A` in column `qty` is not a number", cell: "C5")])
        #expect(s.noticeTexts.contains("skipped 1 bad row:\n    cell C5: value `N/A` in column `qty` is not a number"))
    }

    @Test func date1904System() throws {
        let dir = try TempDir()
        let path = try makeZip(dir, "mac.xlsx", handMadeParts(date1904: true))
        let r = try readXLSX(path, sheet: .name("Notes"))
        #expect(r.table.values("v") == [day(1904, 1, 2)])
    }

    @Test func utf16Parts() throws {
        let dir = try TempDir()
        var parts = handMadeParts().mapValues { Array($0.utf8) }
        let sheet = handMadeParts()["xl/worksheets/sheet2.xml"] ?? ""
        parts["xl/worksheets/sheet2.xml"] = [0xFF, 0xFE] + sheet.replacingOccurrences(of: "UTF-8", with: "UTF-16")
            .utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let path = try makeZip(dir, "u16.xlsx", bytes: parts)
        #expect(try readXLSX(path, sheet: .name("Notes")).table.values("k") == [.text("a")])
    }

    @Test func firstVisibleSheetByDefault() throws {
        let dir = try TempDir()
        var parts = handMadeParts()
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"]?.replacingOccurrences(
            of: "<sheet name=\"Sales\" sheetId=\"1\"", with: "<sheet name=\"Sales\" state=\"hidden\" sheetId=\"1\"")
        let path = try makeZip(dir, "hidden.xlsx", parts)
        #expect(try readXLSX(path).table.names == ["k", "v"])
        #expect(try readXLSX(path, sheet: .index(1)).table.names.first == "region")
    }

    @Test func sheetNames() throws {
        let dir = try TempDir()
        let path = try makeZip(dir, "hand.xlsx", handMadeParts())
        #expect(try XLSXReader.sheetNames(path: path) == ["Sales", "Notes", "Mixed"])
    }
}

// MARK: Writing and reading back

private func table(_ pairs: [(String, Column)]) -> Table {
    Table(names: pairs.map(\.0), columns: pairs.map(\.1)) ?? Table()
}

private func text(_ xs: [String?]) -> Column { Column(values: xs.map { $0.map { .text($0) } ?? .empty }) }
private func numbers(_ xs: [Double?], _ f: NumberFormat = .plain) -> Column {
    Column(values: xs.map { $0.map { .number($0, f) } ?? .empty })
}

struct RoundTrip: Sendable, CustomTestStringConvertible {
    var label: String
    var table: Table
    /// What reads back, when it is not `table` itself.
    var expected: Table?
    var notice: String?
    var testDescription: String { label }
}

extension XLSXTests {
    static let roundTrips: [RoundTrip] = [
        RoundTrip(label: "every kind, with empties", table: table([
            ("name", text(["Ann", "北京 東京 서울", "Tom & \"Jerry\" <b>", " padded ", "line\nbreak\r\nx", "tab\there",
                           "ctl\u{1}x", "_x0041_ & ]]>", nil])),
            ("amount", numbers([1, -2.5, 1e15, 1e-7, 0.1 + 0.2, 123_456_789.125, 0, nil, 42])),
            ("share", numbers([0.125, nil, 1, -0.5, 0, 0.333, 2, 0.01, 0.5], .percent)),
            ("revenue", numbers([1234.5, 0.01, nil, -99, 1e9, 3, 4, 5, 6], .money)),
            ("year", numbers([2026, 2025, 1999, nil, 2000, 2001, 2002, 2003, 2004], .digits)),
            ("when", Column(values: [day(1900, 1, 1), day(1900, 2, 28), day(1900, 3, 1), day(1970, 1, 1), day(2026, 7, 1),
                                     day(9999, 12, 31), day(1899, 12, 31), .empty, day(2024, 2, 29)])),
            ("ok", Column(values: [.bool(true), .bool(false), .empty, .bool(true), .bool(true), .bool(false),
                                   .bool(false), .bool(true), .bool(true)])),
        ])),
        RoundTrip(label: "an empty column and a header-only table", table: table([
            ("blank", Column(values: [.empty, .empty])), ("x", numbers([1, 2])),
        ])),
        RoundTrip(label: "no rows", table: table([("a", numbers([])), ("b", text([]))]),
                  expected: table([("a", Column(values: [])), ("b", Column(values: []))])),
        RoundTrip(label: "a mixed column reads back as text", table: table([
            ("m", Column(values: [.number(1, .plain), .text("a"), .bool(true), .date(TallyDate(days: 0))])),
        ]), expected: table([("m", text(["1", "a", "true", "1970-01-01"]))])),
        RoundTrip(label: "numbers that are not finite read back empty", table: table([("x", numbers([1, .nan, .infinity]))]),
                  expected: table([("x", numbers([1, nil, nil]))]), notice: "`x`: 2 Excel errors (#NUM!) loaded as empty"),
    ]

    @Test(arguments: roundTrips)
    func roundTrip(_ c: RoundTrip) throws {
        let dir = try TempDir()
        let path = dir.path + "/out.xlsx"
        try XLSXWriter.write(c.table, to: path, sheetName: "Plan")
        let r = try XLSXReader.read(path: path, sheet: nil, options: LoadOptions())
        let expected = c.expected ?? c.table
        #expect(r.table.names == expected.names)
        #expect(r.table.rowCount == expected.rowCount)
        for (name, column) in zip(expected.names, expected.columns) {
            let got = r.table.column(named: name)
            #expect(got?.typeName == column.typeName, "\(name)")
            #expect(got?.format == column.format, "\(name)")
            #expect(got?.values == column.values, "\(name)")
        }
        if let n = c.notice { #expect(r.noticeTexts.contains { $0.contains(n) }, "\(r.noticeTexts)") }
        #expect(try XLSXReader.sheetNames(path: path) == ["Plan"])
        #expect(dir.files() == ["out.xlsx"])
    }

    @Test func overwritesAtomically() throws {
        let dir = try TempDir()
        let path = dir.path + "/out.xlsx"
        try XLSXWriter.write(table([("a", numbers([1]))]), to: path, sheetName: "t")
        try XLSXWriter.write(table([("b", numbers([2]))]), to: path, sheetName: "t")
        #expect(dir.files() == ["out.xlsx"])
        #expect(try XLSXReader.read(path: path, sheet: nil, options: LoadOptions()).table.names == ["b"])
        #expect(throws: WriteError.self) {
            try XLSXWriter.write(table([("a", numbers([1]))]), to: dir.path + "/missing/out.xlsx", sheetName: "t")
        }
    }

    @Test(arguments: [
        ("Q1/Q2 [draft]", "Q1Q2 draft"), ("", "Sheet1"), ("history", "History_"), ("'quoted'", "quoted"),
        (String(repeating: "销", count: 40), String(repeating: "销", count: 31)),
    ])
    func sheetNameIsMadeValid(_ given: String, _ expected: String) {
        #expect(XLSXWriter.validSheetName(given) == expected)
    }

    // MARK: Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var label: String
        /// Builds the file in the directory; returns its path.
        var make: @Sendable (TempDir) throws -> String
        var sheet: XLSXSheet?
        var types: [String: ColumnType] = [:]
        var message: String
        var testDescription: String { label }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(label: "missing file", make: { $0.path + "/nope.xlsx" }, message: "no such file"),
        ErrorCase(label: "a directory", make: { $0.path }, message: "is a directory"),
        ErrorCase(label: "empty file", make: { d in try d.write("e.xlsx", ""); return d.path + "/e.xlsx" },
                  message: "the file is empty"),
        ErrorCase(label: "not a zip", make: { d in try d.write("t.xlsx", "a,b\n1,2\n"); return d.path + "/t.xlsx" },
                  message: "is not an .xlsx workbook (not a zip archive)"),
        ErrorCase(label: "encrypted or .xls", make: { d in
            try d.write("p.xlsx", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
            return d.path + "/p.xlsx"
        }, message: "is password-protected or an old .xls workbook"),
        ErrorCase(label: "a zip that is not a workbook", make: { try makeZip($0, "w.xlsx", ["word/document.xml": "<w/>"]) },
                  message: "it has no xl/workbook.xml"),
        ErrorCase(label: "a truncated zip", make: { d in
            let path = try makeZip(d, "h.xlsx", handMadeParts())
            let bytes = d.read("h.xlsx") ?? []
            try d.write("cut.xlsx", bytes: Array(bytes.prefix(bytes.count / 2)))
            _ = path
            return d.path + "/cut.xlsx"
        }, message: "the zip archive is damaged"),
        ErrorCase(label: "missing sheet name", make: { try makeZip($0, "h.xlsx", handMadeParts()) }, sheet: .name("Targets"),
                  message: "no sheet named `Targets` (sheets: Sales, Notes, Mixed)"),
        ErrorCase(label: "sheet index past the end", make: { try makeZip($0, "h.xlsx", handMadeParts()) }, sheet: .index(4),
                  message: "there is no sheet 4: the workbook has 3 sheets (Sales, Notes, Mixed)"),
        ErrorCase(label: "sheet index 0", make: { try makeZip($0, "h.xlsx", handMadeParts()) }, sheet: .index(0),
                  message: "there is no sheet 0"),
        ErrorCase(label: "damaged sheet XML", make: { d in
            var parts = handMadeParts()
            parts["xl/worksheets/sheet1.xml"] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></row>"
            return try makeZip(d, "bad.xlsx", parts)
        }, message: "sheet `Sales`: damaged XML"),
        ErrorCase(label: "shared string out of range", make: { d in
            var parts = handMadeParts()
            parts["xl/worksheets/sheet1.xml"] = "<worksheet xmlns=\"\(main)\"><sheetData><row r=\"7\"><c r=\"B7\" t=\"s\"><v>99</v></c></row></sheetData></worksheet>"
            return try makeZip(d, "bad.xlsx", parts)
        }, message: "sheet `Sales`: cell B7: shared string `99` does not exist (the workbook has 7)"),
        ErrorCase(label: "a bad cell reference", make: { d in
            var parts = handMadeParts()
            parts["xl/worksheets/sheet1.xml"] = "<worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row></sheetData></worksheet>"
            return try makeZip(d, "bad.xlsx", parts)
        }, message: "cell reference `XFE1` is not valid"),
        ErrorCase(label: "an empty sheet", make: { d in
            var parts = handMadeParts()
            parts["xl/worksheets/sheet1.xml"] = "<worksheet xmlns=\"\(main)\"><sheetData/></worksheet>"
            return try makeZip(d, "bad.xlsx", parts)
        }, message: "sheet `Sales` is empty"),
        ErrorCase(label: "bytes that are not UTF-8 in a tag name (would crash XMLParser)", make: { d in
            var parts = handMadeParts().mapValues { Array($0.utf8) }
            parts["xl/worksheets/sheet1.xml"] = Array("<worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\"><c r=\"A1\" m".utf8)
                + [0xFF] + Array("x=\"1\"><v>1</v></c></row></sheetData></worksheet>".utf8)
            return try makeZip(d, "bad.xlsx", bytes: parts)
        }, message: "sheet `Sales`: damaged XML (bytes that are not UTF-8 at offset"),
        ErrorCase(label: "a DTD", make: { d in
            var parts = handMadeParts()
            parts["xl/sharedStrings.xml"] = decl + "<!DOCTYPE sst [<!ENTITY a \"aaaa\">]><sst xmlns=\"\(main)\"><si><t>&a;</t></si></sst>"
            return try makeZip(d, "bad.xlsx", parts)
        }, message: "xl/sharedStrings.xml: damaged XML (a DTD"),
        ErrorCase(label: "types names a missing column", make: { try makeZip($0, "h.xlsx", handMadeParts()) },
                  types: ["price": .number], message: "types: no column named `price` (columns: region, amount"),
    ]

    @Test(arguments: errorCases)
    func reportsBadInput(_ c: ErrorCase) throws {
        let dir = try TempDir()
        let path = try c.make(dir)
        do {
            _ = try readXLSX(path, sheet: c.sheet) { $0.types = c.types }
            Issue.record("expected an error")
        } catch {
            #expect(error.file == path)
            #expect(error.message.contains(c.message), "\(error.message)")
        }
    }

    // MARK: Rules

    @Test(arguments: [
        (1.0, false, "1900-01-01"), (59, false, "1900-02-28"), (60, false, "1900-02-28"), (61, false, "1900-03-01"),
        (25569, false, "1970-01-01"), (46204.99, false, "2026-07-01"), (2_958_465, false, "9999-12-31"),
        (0, false, "1899-12-31"), (0, true, "1904-01-01"), (1, true, "1904-01-02"), (44_742, true, "2026-07-01"),
    ])
    func dateSerials(_ serial: Double, _ date1904: Bool, _ iso: String) {
        #expect(XLSXCells.days(fromSerial: serial, date1904: date1904).map { TallyDate(days: $0).iso } == iso)
        if !date1904, serial != 60, serial != 0, let d = XLSXCells.days(fromSerial: serial, date1904: false) {
            #expect(XLSXCells.serial(fromDays: d) == Int(serial))
        }
    }

    @Test(arguments: [-1.0, 2_958_466, .nan, .infinity])
    func notDateSerials(_ serial: Double) {
        #expect(XLSXCells.days(fromSerial: serial, date1904: false) == nil)
    }

    @Test(arguments: [
        ("yyyy-mm-dd", XLSXCells.Display.date), ("m/d/yy", .date), ("mmm-yy", .date), ("d-mmm", .date),
        ("yyyy\"年\"m\"月\"d\"日\"", .date), ("[$-409]mmmm d, yyyy", .date), ("yyyy-mm-dd h:mm", .date),
        ("h:mm", .number(.plain)), ("[h]:mm:ss", .number(.plain)), ("h:mm AM/PM", .number(.plain)), ("mm:ss", .number(.plain)),
        ("0.0%", .number(.percent)), ("\"¥\"#,##0.00", .number(.money)), ("[$€-407]#,##0", .number(.money)),
        ("$#,##0_);($#,##0)", .number(.money)), ("#,##0.00", .number(.money)), ("0", .number(.digits)),
        ("General", .number(.plain)), ("0.00E+00", .number(.plain)), ("0.00 \"days\"", .number(.plain)),
        ("[Red]#,##0;[Blue]-#,##0", .number(.plain)),
    ])
    func numberFormats(_ code: String, _ expected: XLSXCells.Display) {
        #expect(XLSXCells.display(code: code) == expected)
    }

    @Test(arguments: [
        (14, XLSXCells.Display.date), (22, .date), (31, .date), (57, .date), (20, .number(.plain)),
        (9, .number(.percent)), (10, .number(.percent)), (4, .number(.money)), (7, .number(.money)),
        (1, .number(.digits)), (0, .number(.plain)), (49, .number(.plain)),
    ])
    func builtInFormats(_ id: Int, _ expected: XLSXCells.Display) {
        #expect(XLSXCells.display(id: id, code: nil) == expected)
    }

    @Test(arguments: [
        ("A1", 0, 1), ("Z9", 25, 9), ("AA10", 26, 10), ("XFD1048576", 16383, 1_048_576), ("$B$7", 1, 7), ("b7", 1, 7),
    ])
    func references(_ ref: String, _ column: Int, _ row: Int) {
        let p = XLSXCells.parseReference(ref)
        #expect(p?.column == column && p?.row == row)
        #expect(XLSXCells.reference(column: column, row: row) == ref.uppercased().replacingOccurrences(of: "$", with: ""))
    }

    @Test(arguments: ["1A", "XFE1", "A0", "A1048577", "", "A1B", "ABCD1"])
    func badReferences(_ ref: String) {
        #expect(XLSXCells.parseReference(ref) == nil)
    }

    @Test func textEscapesRoundTrip() {
        for s in ["a_x0041_b", "\r\n", "\u{1}\u{1F}", "plain", "_x12"] {
            var out: [UInt8] = []
            XLSXSheetWriter.escape(s, into: &out)
            #expect(XLSXCells.unescape(String(decoding: out, as: UTF8.self)) == s)
        }
    }
}

/// The reader's notices are typed: the same load reads in Chinese under `set lang zh`.
@Suite struct XLSXNoticeLanguageTests {
    @Test func titleAndOtherSheetsInChinese() throws {
        let dir = try TempDir()
        let path = try makeZip(dir, "hand.xlsx", handMadeParts())
        let r = try readXLSX(path, sheet: .name("Mixed"))
        var zh = Settings()
        zh.lang = "zh"
        let texts = r.notices.map { NoteRenderer(settings: zh).render($0) }
        #expect(texts.contains("跳过第 3 行表头上方的标题：第 1 行（`Quarterly report`）"), "\(texts)")
        let all = try readXLSX(path)
        #expect(all.notices.map { NoteRenderer(settings: zh).render($0) }.contains { $0.hasPrefix("读取工作表 `Sales`；工作簿中还有 Notes、Mixed") })
    }
}
