import Testing
@testable import TallyIO

@Suite struct DelimiterSnifferTests {
    static let cases: [(String, String, UInt8)] = [
        ("comma", "a,b,c\n1,2,3\n4,5,6\n", UInt8(ascii: ",")),
        ("tab", "a\tb\tc\n1\t2\t3\n", UInt8(ascii: "\t")),
        ("semicolon", "a;b;c\n1;2;3\n", UInt8(ascii: ";")),
        ("pipe", "a|b|c\n1|2|3\n", UInt8(ascii: "|")),
        ("semicolon with decimal commas", "name;amount\nx;1,5\ny;2,25\n", UInt8(ascii: ";")),
        ("commas inside quotes", "name;note\n\"a, b, c\";x\n\"d, e\";y\n", UInt8(ascii: ";")),
        ("tab with commas in text", "name\tcity\nDoe, John\tParis\nRoe, Jane\tRome\n", UInt8(ascii: "\t")),
        ("single column", "name\nalice\nbob\n", UInt8(ascii: ",")),
        ("single column with commas in data", "v\n1\n3,5\n", UInt8(ascii: "\t")),
        ("single column with every candidate", "v\n,\n\t\n;\n|\n", UInt8(ascii: ",")),
        ("candidate missing from the header", "a;b\n1;2,5\n3;4,5\n", UInt8(ascii: ";")),
        ("header only, no newline", "a|b|c", UInt8(ascii: "|")),
        ("CRLF", "a;b\r\n1;2\r\n", UInt8(ascii: ";")),
        ("blank lines ignored", "a\tb\n\n1\t2\n\n", UInt8(ascii: "\t")),
    ]

    @Test(arguments: cases)
    func detects(_ name: String, _ text: String, _ expected: UInt8) {
        let bytes = Array(text.utf8)
        let got = bytes.withUnsafeBufferPointer { DelimiterSniffer.detect($0.baseAddress!, $0.count, atEnd: true) }
        #expect(got == expected, "\(name)")
    }
}
