import Testing
import TallyCore
@testable import TallyLang

/// `count_distinct` over typed columns: counted from codes and arrays, empties never counted,
/// several arguments counted as one pool of values.
struct CountDistinctTests {
    static func count(_ args: [Value]) -> Value? {
        Registry.standard.lookup("count_distinct").flatMap {
            try? $0.implementation(Arguments(function: "count_distinct", named: [:], rest: args))
        }
    }

    static func day(_ d: Int32) -> Value { .date(TallyDate(days: d)) }

    @Test("columns count their different non-empty values", arguments: [
        ([[Value.text("a"), .empty, .text("b"), .text("a")]], 2),
        ([[Self.day(1), .empty, Self.day(2), Self.day(1), Self.day(-5)]], 3),
        ([[.num(0), .num(-0.0), .empty, .num(2)]], 2),
        ([[.bool(true), .empty, .bool(true)]], 1),
        ([[.empty, .empty]], 0),
        ([[.text("a"), .text("b")], [.text("b"), .text("c")]], 3),
        ([[.num(1), .num(2)], [.text("1"), .text("2")]], 4),
        ([[Self.day(1), .empty], [Self.day(1), Self.day(3)]], 2),
        ([[.num(1), .text("1"), .empty], [.text("1")]], 2),
    ])
    func columns(_ columns: [[Value]], _ expected: Int) {
        #expect(Self.count(columns.map { .column(Column(values: $0)) }) == .num(Double(expected)))
    }

    @Test func aDictionaryHoldingATextTwiceCountsItOnce() {
        let c = Column(storage: .text(codes: [0, 1, 2, 1], dictionary: ["x", "y", "x", "unused"]))
        #expect(Self.count([.column(c)]) == .num(2))
    }
}
