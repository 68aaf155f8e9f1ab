import Testing
import TallyCore
@testable import TallyIO

/// UTF-8 with and without BOM, GB18030/GBK detection and forcing, undecodable bytes.
@Suite struct CSVReaderEncodingTests {
    /// "地区,金额\n华东,¥1\n华南,2\n" in GB18030.
    static let gbFile: [UInt8] = [181, 216, 199, 248, 44, 189, 240, 182, 238, 10, 187, 170, 182, 171, 44,
                                  129, 48, 132, 54, 49, 10, 187, 170, 196, 207, 44, 50, 10]

    @Test func detectsGB18030() throws {
        let r = try load(bytes: Self.gbFile)
        #expect(r.encoding == .gb18030)
        #expect(r.table.names == ["地区", "金额"])
        #expect(r.table.values("地区") == [.text("华东"), .text("华南")])
        #expect(r.table.values("金额") == [.number(1, .money), .number(2, .money)])
    }

    @Test func forcedGB18030() throws {
        let r = try load(bytes: Self.gbFile) { $0.encoding = .gb18030 }
        #expect(r.encoding == .gb18030)
        #expect(r.table.values("地区") == [.text("华东"), .text("华南")])
    }

    /// GBK trail bytes can equal `|`: the file must be decoded before it is split.
    @Test func gbkTrailByteIsNotADelimiter() throws {
        // "名称|数量\n亅|3\n" in GBK: 亅 is 0x81 0x7C.
        let bytes: [UInt8] = [195, 251, 179, 198, 124, 202, 253, 193, 191, 10, 129, 124, 124, 51, 10]
        let r = try load(bytes: bytes)
        #expect(r.table.names == ["名称", "数量"])
        #expect(r.table.values("名称") == [.text("亅")])
        #expect(r.table.values("数量") == [.num(3)])
    }

    @Test func utf8WithAndWithoutBOM() throws {
        let plain = try load("地区,n\n华东,1\n")
        let bom = try load("\u{FEFF}地区,n\n华东,1\n")
        #expect(plain.table == bom.table)
        #expect(plain.encoding == .utf8 && bom.encoding == .utf8)
    }

    @Test func forcedUTF8RejectsBadBytes() {
        var bytes = Array("a,b\n1,x\n2,".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\n".utf8)
        do {
            _ = try load(bytes: bytes) { $0.encoding = .utf8 }
            Issue.record("loaded bad bytes")
        } catch {
            #expect(error.description == "t.csv:3:2: bytes that are not valid UTF-8")
        }
    }

    @Test func undecodableBytesNameTheLine() {
        // Not UTF-8, and 0xFF is not GB18030 either.
        let bytes = Array("a,b\n1,x\n".utf8) + [0xFF, 0xFF] + Array(",y\n".utf8)
        do {
            _ = try load(bytes: bytes)
            Issue.record("loaded bad bytes")
        } catch {
            #expect(error.description == "t.csv:3: bytes that are neither UTF-8 nor GB18030")
        }
        do {
            _ = try load(bytes: bytes) { $0.encoding = .gb18030 }
            Issue.record("loaded bad bytes")
        } catch {
            #expect(error.description == "t.csv:3: bytes that are not GB18030")
        }
    }

    /// A big file that starts in plain ASCII and has GBK text further on is reloaded as GB18030.
    @Test func lateGBKAfterASCIIStart() throws {
        var bytes = Array("name,n\n".utf8)
        for i in 0..<200 { bytes += Array("row\(i),\(i)\n".utf8) }
        bytes += [187, 170, 182, 171] + Array(",7\n".utf8)  // 华东
        let r = try load(bytes: bytes) { $0.chunkBytes = 256 }
        #expect(r.encoding == .gb18030)
        #expect(r.table.values("name").last == .text("华东"))
        #expect(r.table.rowCount == 201)
    }

    /// A file that is clearly UTF-8 at the start keeps that verdict: later bad bytes are an error.
    @Test func lateBadBytesInUTF8File() {
        var bytes = Array("name,n\n华东,1\n".utf8)
        for i in 0..<200 { bytes += Array("row\(i),\(i)\n".utf8) }
        bytes += [0xC3, 0x28] + Array(",7\n".utf8)
        do {
            _ = try load(bytes: bytes) { $0.chunkBytes = 256 }
            Issue.record("loaded bad bytes")
        } catch {
            #expect(error.description == "t.csv:203:1: bytes that are not valid UTF-8")
        }
    }

    static let optionTexts: [(String, TextEncoding?)] = [
        ("utf8", .utf8), ("UTF-8", .utf8), ("gb18030", .gb18030), ("GBK", .gb18030), ("gb2312", .gb18030), ("latin1", nil),
    ]

    @Test(arguments: optionTexts)
    func parsesEncodingOption(_ text: String, _ expected: TextEncoding?) {
        #expect(TextEncoding(optionText: text) == expected)
    }

    @Test func validatesUTF8() {
        let cases: [([UInt8], Int?)] = [
            (Array("plain ascii text".utf8), nil),
            (Array("华东 ¥ 😀".utf8), nil),
            ([0x61, 0x80], 1),
            ([0xC0, 0x80], 0),
            ([0xED, 0xA0, 0x80], 0),
            ([0xF4, 0x90, 0x80, 0x80], 0),
            ([0x61, 0xE5, 0x8D], 1),
        ]
        for (bytes, expected) in cases {
            let got = bytes.withUnsafeBufferPointer { Transcoder.firstInvalidUTF8($0.baseAddress!, $0.count) }
            #expect(got == expected, "\(bytes)")
        }
        let cut: [UInt8] = [0x61, 0xE5, 0x8D]
        #expect(cut.withUnsafeBufferPointer { Transcoder.firstInvalidUTF8($0.baseAddress!, 3, allowTruncatedEnd: true) } == nil)
    }
}

@Suite struct LoadOptionsTests {
    @Test func defaults() {
        let o = LoadOptions()
        #expect(o.delimiter == nil && o.header && o.encoding == nil && o.skip == 0)
        #expect(o.types.isEmpty && o.dateFormat == nil && o.onError == .fail)
    }

    static let types: [(String, ColumnType?)] = [
        ("number", .number), ("TEXT", .text), ("date", .date), ("bool", .bool), ("boolean", .bool), ("int", nil),
    ]

    @Test(arguments: types)
    func parsesTypeOption(_ text: String, _ expected: ColumnType?) {
        #expect(ColumnType(optionText: text) == expected)
    }

    @Test func parsesErrorPolicy() {
        #expect(ErrorPolicy(optionText: "skip") == .skip)
        #expect(ErrorPolicy(optionText: "FAIL") == .fail)
        #expect(ErrorPolicy(optionText: "ignore") == nil)
    }
}
