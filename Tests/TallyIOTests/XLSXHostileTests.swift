import Foundation
import Testing
import TallyCore
import ZIPFoundation
@testable import TallyIO

/// Damaged and hostile `.xlsx` files (issue 9): each is a one-line error, never a hang,
/// a huge allocation or a silently wrong table.
@Suite struct XLSXHostileTests {
    /// Where an entry's bytes lie in a zip: its central-directory record and its data.
    struct Located {
        var directoryRecord: Int
        var dataStart: Int
        var compressedSize: Int
    }

    static func locate(_ zip: [UInt8], _ name: String) -> Located? {
        func u16(_ i: Int) -> Int { Int(zip[i]) | Int(zip[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        guard let eocd = stride(from: zip.count - 22, through: 0, by: -1).first(where: { u32($0) == 0x0605_4B50 }) else { return nil }
        var p = u32(eocd + 16)
        for _ in 0..<u16(eocd + 10) {
            let n = u16(p + 28), e = u16(p + 30), c = u16(p + 32)
            if String(decoding: zip[(p + 46)..<(p + 46 + n)], as: UTF8.self) == name {
                let local = u32(p + 42)
                return Located(directoryRecord: p, dataStart: local + 30 + u16(local + 26) + u16(local + 28),
                               compressedSize: u32(p + 20))
            }
            p += 46 + n + e + c
        }
        return nil
    }

    static func put32(_ zip: inout [UInt8], _ at: Int, _ v: UInt32) {
        for k in 0..<4 { zip[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
    }

    /// `head(orders, 50)`-like: 50 rows written by Tally's own writer.
    static func workbook() throws -> [UInt8] {
        var ids: [Value] = [], names: [Value] = [], amounts: [Value] = []
        for k in 0..<50 {
            ids.append(.num(Double(1000 + k)))
            names.append(.text("customer \(k % 7)"))
            amounts.append(.num(Double(k) * 12.5))
        }
        let t = try #require(Table(names: ["id", "customer", "amount"],
                                   columns: [Column(values: ids), Column(values: names), Column(values: amounts)]))
        return Array(try XLSXWriter.render(t, sheetName: "d"))
    }

    static func load(_ bytes: [UInt8], _ configure: (inout LoadOptions) -> Void = { _ in }) throws -> LoadError? {
        let dir = try TempDir()
        try dir.write("bad.xlsx", bytes: bytes)
        var o = LoadOptions()
        configure(&o)
        do {
            _ = try XLSXReader.read(path: dir.path + "/bad.xlsx", sheet: nil, options: o)
            return nil
        } catch {
            return LoadError(file: "bad.xlsx", line: error.line, column: error.column, message: error.message)
        }
    }

    static let sheet = "xl/worksheets/sheet1.xml"

    /// Bytes of the sheet's deflate stream to damage, counted back from its end (7 is the
    /// byte of the report: the old reader spun forever on it).
    static let flips: [Int] = [7, 1, 2, 20, 100, 400]

    @Test(arguments: flips)
    func damagedDeflateStreamIsAnError(_ back: Int) throws {
        var zip = try Self.workbook()
        let at = try #require(Self.locate(zip, Self.sheet))
        #expect(at.compressedSize > back)
        zip[at.dataStart + at.compressedSize - back] ^= 0x3A
        let e = try #require(try Self.load(zip))
        #expect(e.message.hasPrefix(Self.sheet + " is damaged"), "\(e)")
    }

    @Test func reportedExampleNamesTheDamage() throws {
        var zip = try Self.workbook()
        let at = try #require(Self.locate(zip, Self.sheet))
        zip[at.dataStart + at.compressedSize - 7] ^= 0x3A
        let e = try #require(try Self.load(zip))
        #expect(e.description.hasPrefix("bad.xlsx: xl/worksheets/sheet1.xml is damaged"))
    }

    @Test func checksumIsVerified() throws {
        var zip = try Self.workbook()
        let at = try #require(Self.locate(zip, Self.sheet))
        zip[at.directoryRecord + 16] ^= 0x01
        #expect(try Self.load(zip)?.message == Self.sheet + " is damaged: its checksum does not match")
    }

    @Test func streamCutShortIsAnError() throws {
        var zip = try Self.workbook()
        let at = try #require(Self.locate(zip, Self.sheet))
        // The directory says the compressed data is shorter than it is.
        Self.put32(&zip, at.directoryRecord + 20, UInt32(at.compressedSize / 2))
        // Either the inflater asks for more or the zero padding it is given inflates to too much.
        let message = try #require(try Self.load(zip)?.message)
        #expect(message.hasPrefix(Self.sheet + " is damaged: "))
    }

    @Test func moreThanTheDeclaredSizeIsAnError() throws {
        var zip = try Self.workbook()
        let at = try #require(Self.locate(zip, Self.sheet))
        Self.put32(&zip, at.directoryRecord + 24, 100)
        let e = try #require(try Self.load(zip))
        #expect(e.message == Self.sheet + " is damaged: it inflates to more than its declared 100 bytes")
    }

    @Test func declaredSizeOverTheLimitIsRefused() throws {
        var zip = try Self.workbook()
        let at = try #require(Self.locate(zip, Self.sheet))
        Self.put32(&zip, at.directoryRecord + 24, 0xFFFF_FFF0)
        #expect(try Self.load(zip)?.message == Self.sheet + " is 4095 MiB uncompressed, over the limit of 2 GiB for one part")
    }

    @Test func zipBombRatioIsRefused() throws {
        var zip = try Self.workbook()
        let at = try #require(Self.locate(zip, Self.sheet))
        Self.put32(&zip, at.directoryRecord + 24, 1 << 30)     // 1 GiB of "whitespace"
        let e = try #require(try Self.load(zip))
        #expect(e.message.hasPrefix(Self.sheet + " would inflate "), "\(e)")
        #expect(e.message.hasSuffix("over the limit of 200 times for parts over 32 MiB: is it a zip bomb?"))
    }

    @Test func interruptStopsTheLoad() throws {
        let zip = try Self.workbook()
        #expect(try Self.load(zip) == nil)
        #expect(try Self.load(zip) { $0.isInterrupted = { true } }?.message == "interrupted")
        // Any closure will do, as the REPL's is: here one over a local flag, set on the third question.
        var asked = 0
        #expect(try Self.load(zip) { $0.isInterrupted = { asked += 1; return asked >= 3 } }?.message == "interrupted")
    }

    @Test func interruptStopsACSVLoad() throws {
        var text = "a,b\n"
        for k in 0..<2000 { text += "\(k),x\(k)\n" }
        #expect(throws: LoadError(file: "t.csv", message: "interrupted")) {
            try CSVReader.read(bytes: Array(text.utf8), name: "t.csv", options: {
                var o = LoadOptions(); o.isInterrupted = { true }; return o
            }())
        }
    }

    // MARK: Hand-made sheets

    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// A one-sheet workbook whose sheet part is `sheetXML` (and shared strings, if given).
    static func handMade(_ sheetXML: String, sharedStrings: String? = nil) throws -> [UInt8] {
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var parts: [String: String] = [
            "xl/workbook.xml": "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets>"
                + "<sheet name=\"sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
            "xl/_rels/workbook.xml.rels": "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + (sharedStrings == nil ? "" : "<Relationship Id=\"rId2\" Type=\"\(rel)/sharedStrings\" Target=\"sharedStrings.xml\"/>")
                + "</Relationships>",
            "xl/worksheets/sheet1.xml": sheetXML,
        ]
        if let sharedStrings { parts["xl/sharedStrings.xml"] = sharedStrings }
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(try #require(archive.data))
    }

    static func sheetXML(_ rows: String) -> String {
        "<worksheet xmlns=\"\(main)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c>"
            + "<c r=\"B1\" t=\"inlineStr\"><is><t>b</t></is></c></row>\(rows)</sheetData></worksheet>"
    }

    static let badSheets: [(String, String, String)] = [
        ("infinite", sheetXML("<row r=\"2\"><c r=\"A2\"><v>1</v></c></row><row r=\"3\"><c r=\"B3\"><v>1e400</v></c></row>"),
         "sheet `sheet1`: cell B3: `1e400` is not a finite number"),
        ("minus infinite", sheetXML("<row r=\"2\"><c r=\"B2\"><v>-1e400</v></c></row>"),
         "sheet `sheet1`: cell B2: `-1e400` is not a finite number"),
        ("NaN", sheetXML("<row r=\"2\"><c r=\"A2\"><v>NaN</v></c></row>"),
         "sheet `sheet1`: cell A2: `NaN` is not a finite number"),
        ("cut in a tag", String(sheetXML("<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>").prefix(150)),
         "sheet `sheet1`: damaged XML: it ends early, near line 1"),
        ("cut after a row", "<worksheet xmlns=\"\(main)\"><sheetData>\n<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n"
            + "<row r=\"2\"><c r=\"A2\"><v>2</v></c></row>",
         "sheet `sheet1`: damaged XML: it ends early, near line 3"),
        ("long inline text", sheetXML("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>"
            + String(repeating: "x", count: 32_768) + "</t></is></c></row>"),
         "sheet `sheet1`: cell A2 holds more than 32767 characters (Excel's limit)"),
        ("long value", sheetXML("<row r=\"2\"><c r=\"B2\" t=\"str\"><v>"
            + String(repeating: "é", count: 32_768) + "</v></c></row>"),
         "sheet `sheet1`: cell B2 holds more than 32767 characters (Excel's limit)"),
        ("too many rows", sheetXML("<row r=\"1048576\"/><row><c><v>1</v></c></row>"),
         "sheet `sheet1`: more than 1048576 rows (Excel's limit)"),
    ]

    @Test(arguments: badSheets)
    func badSheetIsAnError(_ name: String, _ xml: String, _ message: String) throws {
        let got = try Self.load(try Self.handMade(xml))?.message
        #expect(got == message)
    }

    @Test func longTextAtTheLimitLoads() throws {
        let text = String(repeating: "x", count: 32_767)
        let zip = try Self.handMade(Self.sheetXML("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>\(text)</t></is></c></row>"))
        #expect(try Self.load(zip) == nil)
    }

    @Test func longSharedStringIsAnError() throws {
        let sst = "<sst xmlns=\"\(Self.main)\" uniqueCount=\"63000000\"><si><t>ok</t></si><si><t>"
            + String(repeating: "y", count: 40_000) + "</t></si></sst>"
        let zip = try Self.handMade(Self.sheetXML(""), sharedStrings: sst)
        #expect(try Self.load(zip)?.message
            == "xl/sharedStrings.xml: shared string 2 holds more than 32767 characters (Excel's limit)")
    }

    @Test func hugeDeclaredSharedStringCountIsOnlyAHint() throws {
        let sst = "<sst xmlns=\"\(Self.main)\" uniqueCount=\"63000000\"><si><t>x</t></si></sst>"
        let xml = Self.sheetXML("<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>")
        #expect(try Self.load(try Self.handMade(xml, sharedStrings: sst)) == nil)
    }
}
