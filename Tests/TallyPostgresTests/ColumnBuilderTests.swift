import NIOCore
import PostgresNIO
import Testing
import TallyCore
@testable import TallyPostgres

/// Reading result cells as the server sends them (binary), without a server.
@Suite struct ColumnBuilderTests {
    /// A numeric in PostgreSQL's binary form: base-10000 groups from the decimal point.
    static func numeric(_ text: String) -> ByteBuffer {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        var whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        whole = String(repeating: "0", count: (4 - whole.count % 4) % 4) + whole
        fraction += String(repeating: "0", count: (4 - fraction.count % 4) % 4)
        let digits = whole + fraction
        var groups = stride(from: 0, to: digits.count, by: 4).map { i -> Int16 in
            let a = digits.index(digits.startIndex, offsetBy: i)
            return Int16(digits[a..<digits.index(a, offsetBy: 4)]) ?? 0
        }
        var weight = whole.count / 4 - 1
        while groups.first == 0 { groups.removeFirst(); weight -= 1 }
        while groups.last == 0 { groups.removeLast() }
        var b = ByteBuffer()
        b.writeInteger(Int16(groups.count))
        b.writeInteger(Int16(groups.isEmpty ? 0 : weight))
        b.writeInteger(UInt16(negative ? 0x4000 : 0))
        b.writeInteger(Int16(fraction.count))
        for g in groups { b.writeInteger(g) }
        return b
    }

    @Test(arguments: ["0", "123.45", "-0.01", "1", "10000", "99999999.99", "0.0001", "123456789012345.67",
                      "9007199254740993", "0.000000000000000000000000000012345",
                      "12345678901234567890123", "3.14159265358979323846", "-42.5", "100000000000000000000000000"])
    func aNumericIsTheNearestDouble(_ text: String) throws {
        var b = Self.numeric(text)
        #expect(try ColumnBuilder.numeric(&b, column: "x").bitPattern == Double(text)?.bitPattern, "\(text)")
    }

    @Test func randomAmountsReadAsStrtodReadsThem() throws {
        var state: UInt64 = 7
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 11 }
        for _ in 0..<20_000 {
            let digits = String(next() % 10_000_000_000_000_000), scale = Int(next() % 12)
            let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
            let cut = padded.index(padded.endIndex, offsetBy: -scale)
            let text = (next() % 2 == 0 ? "-" : "") + padded[..<cut] + (scale > 0 ? "." + padded[cut...] : "")
            var b = Self.numeric(text)
            let got = try ColumnBuilder.numeric(&b, column: "x")
            #expect(got.bitPattern == Double(text)?.bitPattern || (got == 0 && Double(text) == 0), "\(text)")
        }
    }

    static func textCell(_ s: String?) -> PostgresCell {
        PostgresCell(bytes: s.map { ByteBuffer(string: $0) }, dataType: .text, format: .binary, columnName: "k", columnIndex: 0)
    }

    /// Texts in order (a group's keys) keep no hash table; the first one out of order
    /// makes one, and every text still has one code.
    @Test(arguments: [["a", "a", "b", "c", "c"], ["a", "b", "a", "c", "b"], ["b", "a"], ["", "x", "x", "y"],
                      ["é", "e", "é"], ["a", "ab", "b", "ab", "a"], ["C1", "C2", "C10", "C1"]])
    func textsGetOneCodeEach(_ texts: [String]) throws {
        var builder = try ColumnBuilder(name: "k", dataType: .text)
        for t in texts { try builder.append(Self.textCell(t)) }
        try builder.append(Self.textCell(nil))
        let c = builder.column()
        #expect((0..<texts.count).map { c[$0] } == texts.map(Value.text))
        #expect(c[texts.count] == .empty)
        guard case .text(_, let dictionary) = c.typedStorage else { Issue.record("not text"); return }
        #expect(Set(dictionary).count == dictionary.count && Set(dictionary) == Set(texts))
    }

    static func byteCell(_ bytes: [UInt8]) -> PostgresCell {
        PostgresCell(bytes: ByteBuffer(bytes: bytes), dataType: .text, format: .binary, columnName: "k", columnIndex: 0)
    }

    /// Bytes that are not UTF-8 read with U+FFFD, and the dictionary still holds each text once.
    @Test(arguments: [[[0xFF], [0xFF], [0x61]], [[0x61], [0xFF], [0xEF, 0xBF, 0xBD], [0xFF]], [[0xEF, 0xBF, 0xBD], [0xFF]],
                      [[0x62], [0x61, 0xFF], [0x61, 0xEF, 0xBF, 0xBD], [0x61, 0xFF]]] as [[[UInt8]]])
    func bytesThatAreNotUTF8(_ cells: [[UInt8]]) throws {
        var builder = try ColumnBuilder(name: "k", dataType: .text)
        for b in cells { try builder.append(Self.byteCell(b)) }
        let c = builder.column()
        let expected = cells.map { Value.text(String(decoding: $0, as: UTF8.self)) }
        #expect((0..<cells.count).map { c[$0] } == expected)
        guard case .text(_, let dictionary) = c.typedStorage else { Issue.record("not text"); return }
        #expect(Set(dictionary).count == dictionary.count)
    }

    /// Many texts out of order (the index grows several times): each reads back, one code each.
    @Test func manyTextsOutOfOrder() throws {
        var rng = SystemRandomNumberGenerator()
        let pool = (0..<5_000).map { i in i % 7 == 0 ? "华东\(i)" : "C\(i)" }
        var builder = try ColumnBuilder(name: "k", dataType: .text)
        var texts: [String] = []
        for _ in 0..<40_000 {
            let t = pool[Int.random(in: 0..<pool.count, using: &rng)]
            texts.append(t)
            try builder.append(Self.textCell(t))
        }
        let c = builder.column()
        #expect((0..<texts.count).allSatisfy { c[$0] == .text(texts[$0]) })
        guard case .text(_, let dictionary) = c.typedStorage else { Issue.record("not text"); return }
        #expect(Set(dictionary).count == dictionary.count && Set(dictionary) == Set(texts))
    }
}
