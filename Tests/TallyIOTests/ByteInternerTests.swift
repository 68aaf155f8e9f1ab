import Testing
@testable import TallyIO

@Suite struct ByteInternerTests {
    static func intern(_ i: inout ByteInterner, _ s: String) -> Int32 {
        var bytes = Array(s.utf8)
        let n = bytes.count
        bytes.append(contentsOf: [UInt8](repeating: 0xAB, count: 8))
        return bytes.withUnsafeBufferPointer { i.intern($0.baseAddress!, n).code }
    }

    static let lists: [[String]] = [
        ["a", "b", "a", "c", "b"],
        ["", "x"],
        ["12345678", "123456789", "12345678", "123456789"],
        ["a\u{0}", "a", "a\u{0}\u{0}"],
        ["华东", "华南", "华东"],
        ["a long string that spans several words", "a long string that spans several wordz"],
    ]

    @Test(arguments: lists)
    func codesFollowFirstAppearance(_ words: [String]) {
        var i = ByteInterner()
        defer { i.release() }
        var firstCode: [String: Int32] = [:]
        for w in words {
            let c = Self.intern(&i, w)
            if let prior = firstCode[w] { #expect(c == prior) } else {
                #expect(Int(c) == firstCode.count)
                firstCode[w] = c
            }
        }
        #expect(i.strings() == firstCode.sorted { $0.value < $1.value }.map(\.key))
    }

    @Test func growsAndMerges() {
        var a = ByteInterner()
        var b = ByteInterner()
        defer { a.release(); b.release() }
        for k in 0..<5000 { _ = Self.intern(&a, "id\(k)") }
        for k in 2500..<7500 { _ = Self.intern(&b, "id\(k)") }
        #expect(a.count == 5000)
        let remap = a.merge(b)
        #expect(a.count == 7500)
        #expect(remap[0] == 2500 && remap[2500] == 5000)
        var c = a
        c.removeAll()
        #expect(c.count == 0)
        #expect(Self.intern(&c, "fresh") == 0)
    }
}

@Suite struct HeaderNamesTests {
    static let cases: [([String], [String])] = [
        (["a", "b"], ["a", "b"]),
        ([" a ", "\tb"], ["a", "b"]),
        (["x", "x", "x"], ["x", "x_2", "x_3"]),
        (["", ""], ["column1", "column2"]),
        (["column2", ""], ["column2", "column2_2"]),
    ]

    @Test(arguments: cases)
    func cleans(_ raw: [String], _ names: [String]) {
        #expect(HeaderNames.clean(raw).names == names)
    }
}
