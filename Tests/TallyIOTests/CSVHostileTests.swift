#if canImport(Glibc)
import Glibc
#endif
import Testing
import TallyCore
@testable import TallyIO

/// CSV files that used to load wrongly or without bound (issue 9): lone-CR line ends,
/// mixed encodings, NUL bytes, a million columns.
@Suite struct CSVHostileTests {
    // MARK: Line ends

    static let lineEnds: [(String, String)] = [
        ("CR only", "a,b\r1,2\r3,4\r"),
        ("CR only, no final break", "a,b\r1,2\r3,4"),
        ("CR LF", "a,b\r\n1,2\r\n3,4\r\n"),
        ("LF", "a,b\n1,2\n3,4\n"),
        ("CR only with blank lines", "a,b\r\r1,2\r\r3,4\r"),
    ]

    @Test(arguments: lineEnds)
    func loneCREndsALine(_ name: String, _ text: String) throws {
        let t = try load(text).table
        #expect(t.names == ["a", "b"])
        #expect(t.values("a") == [.num(1), .num(3)])
        #expect(t.values("b") == [.num(2), .num(4)])
    }

    @Test func loneCRLineNumbersInErrors() {
        #expect(loadError("a,b\r1,2\r3\r")?.description == "t.csv:3:1: row has 1 fields, expected 2")
    }

    @Test func quotedCRInACROnlyFile() throws {
        let t = try load("a,b\r\"x\ry\",1\r").table
        #expect(t.values("a") == [.text("x\ny")])
    }

    /// A CR-only file on disk read in small chunks: a column that turns to text late is
    /// re-read by offset, and a CR at the end of a read is judged by the byte after it.
    @Test(arguments: [64, 100, 257])
    func loneCRFileInSmallChunks(_ chunk: Int) throws {
        var rows: [String] = ["id,code"]
        for k in 0..<400 { rows.append("\(k),\(k == 390 ? "x7" : String(k * 3))") }
        let dir = try TempDir()
        try dir.write("cr.csv", rows.joined(separator: "\r") + "\r")
        try dir.write("lf.csv", rows.joined(separator: "\n") + "\n")
        var o = LoadOptions()
        o.chunkBytes = chunk
        let cr = try CSVReader.read(path: dir.path + "/cr.csv", options: o).table
        let lf = try CSVReader.read(path: dir.path + "/lf.csv", options: o).table
        #expect(cr == lf)
        #expect(cr.rowCount == 400)
        #expect(cr.type("code") == "text")
    }

    // MARK: Encodings

    /// `s` in GB18030, through iconv.
    static func gb(_ s: String) -> [UInt8] {
        let cd = iconv_open("GB18030", "UTF-8")
        guard cd != iconv_t(bitPattern: -1) else { return [] }
        defer { iconv_close(cd) }
        var input = Array(s.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let written = input.withUnsafeMutableBufferPointer { i -> Int in
            output.withUnsafeMutableBufferPointer { o -> Int in
                var ip: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(i.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var op: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var il = i.count, ol = o.count
                guard iconv(cd, &ip, &il, &op, &ol) != -1 else { return 0 }
                return o.count - ol
            }
        }
        return Array(output[0..<written])
    }

    @Test func utf8HeadWithGB18030TailIsRefused() throws {
        let bytes = Array("名称,数量\n苹果,1\n".utf8) + Self.gb("香蕉,2\n")
        #expect(throws: LoadError(file: "t.csv", line: 3, message: "the file mixes encodings: UTF-8 before this line, GB18030 here")) {
            try load(bytes: bytes)
        }
    }

    @Test func gb18030HeadWithUTF8TailIsRefused() throws {
        let bytes = Self.gb("名称,数量\n苹果,1\n") + Array("香蕉和橙子,2\n".utf8)
        #expect(throws: LoadError(file: "t.csv", line: 3, message: "the file mixes encodings: GB18030 before this line, UTF-8 here")) {
            try load(bytes: bytes)
        }
    }

    @Test func asciiHeadThenMixedIsRefusedAfterTheRetry() throws {
        // The first chunk is ASCII, so the mix shows up only in a later chunk.
        var bytes = Array("a,b\n".utf8)
        for k in 0..<200 { bytes += Array("\(k),x\n".utf8) }
        bytes += Array("北京上海,1\n".utf8) + Self.gb("广州,2\n")
        let e = #expect(throws: LoadError.self) { try load(bytes: bytes) { $0.chunkBytes = 256 } }
        #expect(e?.line == 203)
        #expect(e?.message == "the file mixes encodings: UTF-8 before this line, GB18030 here")
    }

    @Test func pureGB18030StillLoads() throws {
        var text = "名称,数量,城市\n"
        for k in 0..<300 { text += "苹果\(k),\(k),北京\n" }
        let r = try load(bytes: Self.gb(text))
        #expect(r.encoding == .gb18030)
        #expect(r.table.names == ["名称", "数量", "城市"])
        #expect(r.table.rowCount == 300)
    }

    @Test func forcedGB18030IsNotJudged() throws {
        // The user said GB18030: the UTF-8 head is decoded as asked.
        let bytes = Array("名称,数量\n".utf8) + Self.gb("香蕉,2\n")
        #expect(throws: Never.self) { try load(bytes: bytes) { $0.encoding = .gb18030 } }
    }

    // MARK: Binary content

    static let nuls: [(String, [UInt8], String)] = [
        ("all NUL", [UInt8](repeating: 0, count: 100_000), "t.csv:1:1: a NUL byte: this is a binary file, not text"),
        ("NUL in header", Array("a,b\0,c\n1,2,3\n".utf8), "t.csv:1:2: a NUL byte: this is a binary file, not text"),
        ("NUL in a row", Array("a,b\n1,2\n3,x\0y\n".utf8), "t.csv:3:2: a NUL byte: this is a binary file, not text"),
        ("NUL in a number column", Array("a,b\n1,2\n3,4\n5,\0\n".utf8), "t.csv:4:2: a NUL byte: this is a binary file, not text"),
        ("NUL in a date column", Array("a,b\n1,2026-01-02\n3,2026-01-0\03\n".utf8), "t.csv:3:2: a NUL byte: this is a binary file, not text"),
        ("NUL in a boolean column", Array("a,b\n1,true\n3,true\0\n".utf8), "t.csv:3:2: a NUL byte: this is a binary file, not text"),
        ("NUL in quotes", Array("a,b\n1,\"x\0\"\n".utf8), "t.csv:2:2: a NUL byte: this is a binary file, not text"),
        ("NUL after the same text", Array("a\nx\nx\0\n".utf8), "t.csv:3:1: a NUL byte: this is a binary file, not text"),
        ("UTF-16", [0xFF, 0xFE] + Array("a,b\n1,2\n".utf8).flatMap { [$0, 0] },
         "t.csv: the file is UTF-16 text, which is not read: save it as UTF-8"),
        ("UTF-16 without BOM", Array("a,b\n1,2\n".utf8).flatMap { [$0, 0] },
         "t.csv:1:1: a NUL byte: this is a binary file, not text"),
    ]

    @Test(arguments: nuls)
    func nulByteIsRefused(_ name: String, _ bytes: [UInt8], _ description: String) {
        #expect(throws: (any Error).self) { try load(bytes: bytes) }
        do {
            _ = try load(bytes: bytes)
        } catch {
            #expect(error.description == description)
        }
    }

    @Test func nulInALaterChunk() {
        var text = "id,name\n"
        for k in 0..<500 { text += "\(k),n\(k % 9)\n" }
        text += "500,n\0\n"
        #expect(loadError(text) { $0.chunkBytes = 256 }?.description == "t.csv:502:2: a NUL byte: this is a binary file, not text")
    }

    @Test func nulIsRefusedEvenWhenSkippingBadRows() {
        #expect(throws: LoadError(file: "t.csv", line: 3, column: 1, message: ChunkParser.nulMessage)) {
            try load(bytes: Array("a,b\n1,2\n\0,3\n".utf8)) { $0.onError = .skip }
        }
    }

    // MARK: Size limits

    @Test func headerOverTheColumnLimitIsRefused() {
        let header = (1...16_385).map { "c\($0)" }.joined(separator: ",")
        #expect(loadError(header + "\n")?.description
            == "t.csv:1: the header has 16385 fields; the limit is 16384 columns (as in Excel)")
        #expect(loadError(header + "\n") { $0.header = false }?.description
            == "t.csv:1: the first row has 16385 fields; the limit is 16384 columns (as in Excel)")
    }

    @Test func headerAtTheColumnLimitLoads() throws {
        let header = (1...16_384).map { "c\($0)" }.joined(separator: ",")
        let row = (1...16_384).map { String($0) }.joined(separator: ",")
        #expect(try load(header + "\n" + row + "\n").table.names.count == 16_384)
    }
}
