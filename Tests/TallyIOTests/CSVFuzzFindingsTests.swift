import Testing
import TallyCore
@testable import TallyIO

/// Inputs found by the libFuzzer targets (`scripts/fuzz`), with their exact bytes.
@Suite struct CSVFuzzFindingsTests {
    /// The CSV fuzzer's round trip: a table that loads must export and load again unchanged.
    static func roundTrip(_ bytes: [UInt8]) throws -> (Table, Table) {
        let first = try load(bytes: bytes).table
        let exported = TableWriter.render(first, format: .csv)
        let again = try load(bytes: exported) { $0.delimiter = UInt8(ascii: ",") }.table
        return (first, again)
    }

    /// FuzzCSV crash-12f792af: a header cell holding a lone CR was exported quoted, and the
    /// reader took that CR (the file's first line break, though inside quotes) to mean the
    /// file ends its lines with lone CRs, so it came back as LF.
    @Test func quotedLoneCRBeforeTheFirstLineBreak() throws {
        let bytes: [UInt8] = [0x0a, 0x31, 0x2c, 0x09, 0x0d, 0x3e, 0x84, 0xcc, 0x7f, 0x2e, 0x35]
        let (first, again) = try Self.roundTrip(bytes)
        #expect(first.names.count == 2)
        #expect(again.names == first.names)
    }

    @Test func quotedCRInTheFirstLineOfAnLFFile() throws {
        let t = try load("a,\"x\ry\"\n1,2\n").table
        #expect(t.names == ["a", "x\ry"])
        #expect(t.values("a") == [.num(1)])
        let v = try load("a\n\"p\rq\"\n").table
        #expect(v.values("a") == [.text("p\rq")])
    }

    @Test func aCROnlyFileWithAQuotedCRFirst() throws {
        let t = try load("\"x\ry\",b\r1,2\r").table
        #expect(t.names == ["x\ny", "b"])
        #expect(t.values("b") == [.num(2)])
    }

    /// FuzzCSV crash-2bcb1db4: two byte order marks; the header keeps the second as U+FEFF,
    /// and the export began with the same bytes, which the next load took for a BOM.
    @Test func headerStartingWithAByteOrderMark() throws {
        let bytes: [UInt8] = [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x63, 0x75, 0x73, 0x31]
        let (first, again) = try Self.roundTrip(bytes)
        #expect(first.names == ["\u{FEFF}cus1"])
        #expect(again.names == first.names)
        #expect(TableWriter.render(first, format: .csv).first == UInt8(ascii: "\""))
    }
}
