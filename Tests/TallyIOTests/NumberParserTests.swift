import Testing
@testable import TallyIO

@Suite struct NumberParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let thousands: Bool
        let expected: NumberParser.Outcome
        var testDescription: String { "`\(text)`" }
        init(_ text: String, _ expected: NumberParser.Outcome, thousands: Bool = false) {
            self.text = text
            self.thousands = thousands
            self.expected = expected
        }
    }

    static let cases: [Case] = [
        Case("0", .number(0, .plain)),
        Case("42", .number(42, .plain)),
        Case("123.45", .number(123.45, .plain)),
        Case("0.1", .number(0.1, .plain)),
        Case(".5", .number(0.5, .plain)),
        Case("1.", .number(1, .plain)),
        Case("-7", .number(-7, .plain)),
        Case("+7.5", .number(7.5, .plain)),
        Case("-0.25", .number(-0.25, .plain)),
        Case(" 12 ", .number(12, .plain)),
        Case("1e3", .number(1000, .plain)),
        Case("1.5E-3", .number(0.0015, .plain)),
        Case("1e+16", .number(1e16, .plain)),
        Case("12345678901234567890", .number(1.2345678901234567e19, .plain)),
        Case("0.30000000000000004", .number(0.30000000000000004, .plain)),
        Case("1234567.891", .number(1234567.891, .plain)),
        Case("$12.50", .number(12.5, .money)),
        Case("-$12.50", .number(-12.5, .money)),
        Case("$-12.50", .number(-12.5, .money)),
        Case("¥1234", .number(1234, .money)),
        Case("￥88", .number(88, .money)),
        Case("12.5%", .number(0.125, .percent)),
        Case("7%", .number(0.07, .percent)),
        Case("-3%", .number(-0.03, .percent)),
        Case("1,234.50", .number(1234.5, .plain), thousands: true),
        Case("¥1,234,567", .number(1234567, .money), thousands: true),
        Case("1,234.50", .invalid),
        Case("1,23", .invalid, thousands: true),
        Case("1234,567", .invalid, thousands: true),
        Case("1,2345", .invalid, thousands: true),
        Case("00042", .leadingZeros),
        Case("007.5", .leadingZeros),
        Case("-01", .leadingZeros),
        Case("", .invalid),
        Case("-", .blank),
        Case(".", .invalid),
        Case("$", .invalid),
        Case("%", .invalid),
        Case("abc", .invalid),
        Case("12abc", .invalid),
        Case("1.2.3", .invalid),
        Case("1e", .invalid),
        Case("1e999", .invalid),
        Case("inf", .invalid),
        Case("NaN", .invalid),
        Case("$5%", .invalid),
        Case("--5", .invalid),
        Case("5 %", .invalid),
        Case("N/A", .invalid),
    ]

    /// The parser on a case's text, padded as the reader pads its buffers.
    static func outcome(_ c: Case) -> NumberParser.Outcome {
        var bytes = Array(c.text.utf8)
        let n = bytes.count
        bytes.append(contentsOf: [UInt8](repeating: 0, count: 8))
        return bytes.withUnsafeBufferPointer { NumberParser.parse($0.baseAddress!, n, allowThousands: c.thousands) }
    }

    @Test(arguments: cases)
    func parses(_ c: Case) {
        #expect(Self.outcome(c) == c.expected)
    }

    @Test func shortestTextReadsBackExactly() {
        var rng = SplitMix(state: 7)
        for _ in 0..<5000 {
            let x = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF)
            var bytes = Array(CellText.number(x).utf8)
            let n = bytes.count
            bytes.append(contentsOf: [UInt8](repeating: 0, count: 8))
            let got = bytes.withUnsafeBufferPointer { NumberParser.parse($0.baseAddress!, n, allowThousands: false) }
            #expect(got == .number(x, .plain), "\(x)")
        }
    }

    @Test func centsAreCorrectlyRounded() {
        for cents in stride(from: 0, to: 2_000_000, by: 7) {
            let text = "\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
            var bytes = Array(text.utf8)
            let n = bytes.count
            bytes.append(contentsOf: [UInt8](repeating: 0, count: 8))
            let got = bytes.withUnsafeBufferPointer { NumberParser.parse($0.baseAddress!, n, allowThousands: false) }
            #expect(got == .number(Double(text)!, .plain))
        }
    }
}
