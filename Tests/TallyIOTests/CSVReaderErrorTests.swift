import Testing
import TallyCore
@testable import TallyIO

/// Bad input: what `.fail` reports and what `.skip` keeps.
@Suite struct CSVReaderErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let description: String
        var testDescription: String { name }
    }

    static let failures: [Case] = [
        Case(name: "empty file", text: "", description: "t.csv: the file is empty"),
        Case(name: "only a BOM", text: "\u{FEFF}", description: "t.csv: the file is empty"),
        Case(name: "only blank lines", text: "\n\r\n\n", description: "t.csv: the file is empty"),
        Case(name: "too many fields", text: "a,b,c\n1,2,3\n4,5,6,7\n", description: "t.csv:3:4: row has 4 fields, expected 3"),
        Case(name: "too few fields", text: "a,b,c\n1,2,3\n4,5\n", description: "t.csv:3:2: row has 2 fields, expected 3"),
        Case(name: "line counts quoted newlines", text: "a,b\n\"x\ny\",1\n2\n", description: "t.csv:4:1: row has 1 fields, expected 2"),
        Case(name: "line counts blank lines", text: "a,b\n\n1,2\n\n3\n", description: "t.csv:5:1: row has 1 fields, expected 2"),
        Case(name: "unterminated quote", text: "a,b\n1,2\n3,\"oops\n4,5\n6,7\n", description: "t.csv:3:2: unterminated quote: the field opened here never closes"),
        Case(name: "unterminated quote opened mid-record", text: "a,b\n\"x\ny\",\"z\n", description: "t.csv:3:2: unterminated quote: the field opened here never closes"),
        Case(name: "unterminated quote in header", text: "a,\"b\n1,2\n", description: "t.csv:1:2: unterminated quote: the field opened here never closes"),
    ]

    @Test(arguments: failures)
    func fails(_ c: Case) {
        #expect(loadError(c.text)?.description == c.description)
    }

    @Test func errorCarriesLineAndColumn() throws {
        let e = try #require(loadError("a,b,c\n1,2,3\n4,5,6,7,8\n"))
        #expect(e.file == "t.csv")
        #expect(e.line == 3)
        #expect(e.column == 4)
        #expect(e.message == "row has 5 fields, expected 3")
    }

    @Test func missingFile() {
        #expect(throws: LoadError(file: "/no/such/dir/x.csv", message: "no such file")) {
            try CSVReader.read(path: "/no/such/dir/x.csv", options: LoadOptions())
        }
    }

    @Test func directoryIsNotAFile() throws {
        let dir = try TempDir()
        #expect(throws: LoadError(file: dir.path, message: "is a directory, not a file")) {
            try CSVReader.read(path: dir.path, options: LoadOptions())
        }
    }

    @Test func emptyFileOnDisk() throws {
        let dir = try TempDir()
        try dir.write("e.csv", "")
        #expect(throws: LoadError(file: dir.path + "/e.csv", message: "the file is empty")) {
            try CSVReader.read(path: dir.path + "/e.csv", options: LoadOptions())
        }
    }

    static let skips: [(String, String, [[String]], [SkippedRow])] = [
        ("field counts", "a,b\n1,2\n3\n4,5\n6,7,8\n9,10\n", [["1", "2"], ["4", "5"], ["9", "10"]],
         [SkippedRow(line: 3, column: 1, reason: "row has 1 fields, expected 2"),
          SkippedRow(line: 5, column: 3, reason: "row has 3 fields, expected 2")]),
        ("unterminated quote resumes on the next line", "a,b\n1,2\n3,\"x\n4,5\n", [["1", "2"], ["4", "5"]],
         [SkippedRow(line: 3, column: 2, reason: "unterminated quote: the field opened here never closes")]),
        ("forced type", "a,b\n1,x\noops,y\n3,z\n", [["1", "x"], ["3", "z"]],
         [SkippedRow(line: 3, column: 1, reason: "value `oops` in column `a` is not a number")]),
    ]

    @Test(arguments: skips)
    func skipsBadRows(_ name: String, _ text: String, _ rows: [[String]], _ skipped: [SkippedRow]) throws {
        let r = try load(text) {
            $0.onError = .skip
            if name == "forced type" { $0.types = ["a": .number] }
        }
        #expect(CSVReaderTests.cells(r.table) == rows)
        #expect(r.skipped == skipped)
        #expect(r.noticeTexts.last?.hasPrefix("skipped \(skipped.count) bad row") == true)
    }

    @Test func skippedNoticeListsFirstFiveReasons() throws {
        let text = "a,b\n" + (1...8).map { _ in "1\n2,3\n" }.joined()
        let r = try load(text) { $0.onError = .skip }
        #expect(r.table.rowCount == 8)
        #expect(r.noticeTexts == ["skipped 8 bad rows:" + [2, 4, 6, 8, 10].map { "\n    line \($0), column 1: row has 1 fields, expected 2" }.joined()
            + "\n    and 3 more"])
    }

    @Test func forcedTypeFailureFails() {
        #expect(loadError("a,b\n1,x\noops,y\n") { $0.types = ["a": .number] }?.description
            == "t.csv:3:1: value `oops` in column `a` is not a number")
        #expect(loadError("a\n2026-01-01\n2026-02-30\n") { $0.types = ["a": .date] }?.description
            == "t.csv:3:1: value `2026-02-30` in column `a` is not a date")
    }

    static let badOptions: [(String, @Sendable (inout LoadOptions) -> Void, String)] = [
        ("unknown types column", { $0.types = ["nope": .number] }, "t.csv: types: no column named `nope` (columns: a, b)"),
        ("bad dateFormat", { $0.dateFormat = "%Q" }, "t.csv: dateFormat `%Q`: unknown directive `%Q` (use %Y %y %m %d)"),
        ("quote delimiter", { $0.delimiter = UInt8(ascii: "\"") }, "t.csv: the delimiter cannot be a quote or a line break"),
        ("skip everything", { $0.skip = 5 }, "t.csv: no data after skipping 5 lines"),
        ("negative skip", { $0.skip = -1 }, "t.csv: skip must be 0 or more"),
    ]

    @Test(arguments: badOptions)
    func rejectsBadOptions(_ name: String, _ configure: @Sendable (inout LoadOptions) -> Void, _ description: String) {
        #expect(loadError("a,b\n1,2\n", configure)?.description == description, "\(name)")
    }

    static let descriptions: [(LoadError, String)] = [
        (LoadError(file: "orders.csv", line: 12, column: 5, message: "row has 8 fields, expected 7"),
         "orders.csv:12:5: row has 8 fields, expected 7"),
        (LoadError(file: "orders.csv", line: 12, message: "bytes that are not GB18030"), "orders.csv:12: bytes that are not GB18030"),
        (LoadError(file: "orders.csv", message: "no such file"), "orders.csv: no such file"),
    ]

    @Test(arguments: descriptions)
    func describesErrors(_ e: LoadError, _ text: String) {
        #expect(e.description == text)
    }
}
