import Testing
import TallyCore
@testable import TallyIO

@Suite struct DateParserTests {
    static func parse(_ s: String, _ format: String? = nil) -> String? {
        let pattern = format.flatMap { try? DatePattern.parse($0).get() }
        var bytes = Array(s.utf8)
        let n = bytes.count
        bytes.append(contentsOf: [UInt8](repeating: 0, count: 8))
        return bytes.withUnsafeBufferPointer { DateParser.parse($0.baseAddress!, n, pattern: pattern) }
            .map { TallyDate(days: $0).iso }
    }

    static let builtIn: [(String, String?)] = [
        ("2026-07-01", "2026-07-01"),
        ("1970-01-01", "1970-01-01"),
        ("2024-02-29", "2024-02-29"),
        ("2026/7/1", "2026-07-01"),
        ("2026/07/01", "2026-07-01"),
        ("2026-7-1", "2026-07-01"),
        ("2026.12.31", "2026-12-31"),
        ("2026年7月1日", "2026-07-01"),
        ("2026年12月31日", "2026-12-31"),
        (" 2026-07-01 ", "2026-07-01"),
        ("2026-02-29", nil),
        ("2026-13-01", nil),
        ("2026-00-10", nil),
        ("2026/7-1", nil),
        ("7/1/2026", nil),
        ("2026-07-01T10:00", nil),
        ("20260701", nil),
        ("2026年7月", nil),
        ("abc", nil),
        ("", nil),
    ]

    @Test(arguments: builtIn)
    func builtInLayouts(_ text: String, _ iso: String?) {
        #expect(Self.parse(text) == iso)
    }

    static let patterned: [(String, String, String?)] = [
        ("%m/%d/%Y", "7/1/2026", "2026-07-01"),
        ("%m/%d/%Y", "07/01/2026", "2026-07-01"),
        ("%d.%m.%Y", "31.12.2026", "2026-12-31"),
        ("%d/%m/%y", "01/07/26", "2026-07-01"),
        ("%d/%m/%y", "01/07/85", "1985-07-01"),
        ("M/D/YYYY", "7/1/2026", "2026-07-01"),
        ("MM/DD/YYYY", "12/31/2026", "2026-12-31"),
        ("DD-MM-YYYY", "01-07-2026", "2026-07-01"),
        ("YYYYMMDD", "20260701", "2026-07-01"),
        ("yyyy/mm/dd", "2026/07/01", "2026-07-01"),
        ("%m/%d/%Y", "2/30/2026", nil),
        ("%m/%d/%Y", "7/1/26", nil),
        ("M/D/YYYY", "7-1-2026", nil),
        ("M/D/YYYY", "2026-07-01", "2026-07-01"),
    ]

    @Test(arguments: patterned)
    func userLayouts(_ format: String, _ text: String, _ iso: String?) {
        #expect(Self.parse(text, format) == iso)
    }

    static let badPatterns = ["%Q/%d/%Y", "%m/%d", "YYY-MM-DD", "MMM D YYYY", "%Y-%m-%d-%d", "plain"]

    @Test(arguments: badPatterns)
    func rejectsUnusablePatterns(_ format: String) {
        if case .success = DatePattern.parse(format) { Issue.record("accepted \(format)") }
    }
}

@Suite struct BoolParserTests {
    static let cases: [(String, Bool?)] = [
        ("true", true), ("TRUE", true), ("True", true), ("false", false), ("FALSE", false),
        ("yes", true), ("YES", true), ("no", false), ("No", false),
        ("是", true), ("否", false), (" yes ", true),
        ("y", nil), ("n", nil), ("1", nil), ("0", nil), ("truth", nil), ("", nil), ("是的", nil),
    ]

    @Test(arguments: cases)
    func parses(_ text: String, _ expected: Bool?) {
        var bytes = Array(text.utf8)
        let n = bytes.count
        bytes.append(contentsOf: [UInt8](repeating: 0, count: 8))
        #expect(bytes.withUnsafeBufferPointer { BoolParser.parse($0.baseAddress!, n) } == expected)
    }
}
