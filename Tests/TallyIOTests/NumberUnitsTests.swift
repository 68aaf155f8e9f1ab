import Testing
import TallyCore
@testable import TallyIO

/// The slow reading of number cells: Chinese units, full-width digits, accounting negatives, dashes.
@Suite struct NumberUnitsTests {
    typealias Case = NumberParserTests.Case

    static let cases: [Case] = [
        Case("1.2万", .number(12_000, .plain)),
        Case("3亿", .number(300_000_000, .plain)),
        Case("2.5千万", .number(25_000_000, .plain)),
        Case("4百万", .number(4_000_000, .plain)),
        Case("0.07万", .number(700, .plain)),
        Case("-1.5万", .number(-15_000, .plain)),
        Case("1,234.5万元", .number(12_345_000, .money), thousands: true),
        Case("1,234.5万", .invalid),
        Case("¥3亿", .number(300_000_000, .money)),
        Case("￥2万", .number(20_000, .money)),
        Case("88元", .number(88, .money)),
        Case(" 1.2万 ", .number(12_000, .plain)),
        Case("１２３", .number(123, .plain)),
        Case("１２．５", .number(12.5, .plain)),
        Case("１，２３４", .number(1234, .plain)),
        Case("1，234，567", .number(1_234_567, .plain)),
        Case("－５", .number(-5, .plain)),
        Case("１２％", .invalid),
        Case("(1,234)", .number(-1234, .plain), thousands: true),
        Case("(1234.5)", .number(-1234.5, .plain)),
        Case("(¥1,234)", .number(-1234, .money), thousands: true),
        Case("(1.2万)", .number(-12_000, .plain)),
        Case("（５）", .number(-5, .plain)),
        Case("-", .blank),
        Case(" - ", .blank),
        Case("—", .blank),
        Case("－", .blank),
        Case("--", .invalid),
        Case("()", .invalid),
        Case("(-5)", .invalid),
        Case("(5", .invalid),
        Case("5)", .invalid),
        Case("千万", .invalid),
        Case("万", .invalid),
        Case("2千", .invalid),
        Case("1e3万", .invalid),
        Case("5%万", .invalid),
        Case("1.2万万", .invalid),
        Case("abc万", .invalid),
        Case("北京", .invalid),
        Case("007万", .leadingZeros),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) {
        #expect(NumberParserTests.outcome(c) == c.expected)
    }

    func numbers(_ vs: [Value]) -> [Double?] {
        vs.map { if case .number(let x, _) = $0 { return x } else { return nil } }
    }

    @Test func csvColumnsWithUnitsLoadAsNumbers() throws {
        let csv = "shop,sales,cost,note\nA,1.2万,\"(1,234)\",x\nB,\"1,234.5万元\",-,y\nC,3亿,—,z\nD,１２３,\"(5)\",w\n"
        let t = try load(csv).table
        #expect(t.type("sales") == "number")
        #expect(numbers(t.values("sales")) == [12_000, 12_345_000, 300_000_000, 123])
        #expect(numbers(t.values("cost")) == [-1234, nil, nil, -5])
        #expect(t.type("note") == "text")
    }

    @Test func dashesAreEmptyInANumberColumn() throws {
        let t = try load("a,b\n-,1\n5,2\n—,3\n(7),4\n").table
        #expect(t.type("a") == "number")
        #expect(numbers(t.values("a")) == [nil, 5, nil, -7])
        #expect(t.values("a")[0] == .empty)
    }

    @Test func textColumnsKeepTheirText() throws {
        let t = try load("a\n北京\n上海\n").table
        #expect(t.values("a") == [.text("北京"), .text("上海")])
    }
}
