import Testing
@testable import TallyCore

/// `Column.distinctConcatenationCount` against counting the texts of the per-row `&`.
struct ConcatDistinctTests {
    static func reference(_ a: [Value], _ b: [Value]) -> Int {
        Set(zip(a, b).map { ConcatTests.shown($0) + ConcatTests.shown($1) }).count
    }

    @Test("counts the distinct pair texts, or leaves them to the column", arguments: [
        ([Value.text("ab"), .text("cd"), .text("ab"), .text("cd")], [Value.text("x"), .text("yz"), .text("x"), .text("x")], true),
        // A collision ("a" & "bc" == "ab" & "c") is possible: no answer, the column counts.
        ([.text("a"), .text("ab")], [.text("bc"), .text("c")], false),
        ([.text("k1"), .text("k2"), .text("k1")], [.num(1), .num(1), .num(1)], true),
        ([.text("\u{E9}"), .text("e\u{301}")], [.text("x"), .text("x")], false),
        ([.text("aa"), .empty, .text("bb")], [.text("x"), .text("x"), .text("x")], false),
        ([.bool(true), .bool(false), .bool(true)], [.text("q"), .text("q"), .text("r")], false),
        ([], [], true),
    ])
    func counts(_ a: [Value], _ b: [Value], answers: Bool) {
        let n = Column.distinctConcatenationCount(Column(values: a), Column(values: b))
        if answers { #expect(n == Self.reference(a, b)) }
        if let n { #expect(n == Self.reference(a, b)) }
    }

    @Test func aDictionaryRepeatingATextCountsItOnce() {
        let a = Column(storage: .text(codes: [0, 1, 2], dictionary: ["ab", "ab", "cd"]))
        #expect(Column.distinctConcatenationCount(a, Column(values: [.text("x"), .text("x"), .text("x")])) == 2)
    }

    @Test func manyPairsUseTheHashAndAgree() {
        // 70,000 keys of one width by up to 65,537 others: far more pairs than the bitmap takes.
        let n = 70_000
        let keys = (0..<n).map { Value.text("C" + String(100_000 + ($0 * 7919) % n)) }
        let others = (0..<n).map { Value.text("x" + String(($0 * 31) % 65_537)) }
        #expect(Column.distinctConcatenationCount(Column(values: keys), Column(values: others)) == Self.reference(keys, others))
    }

    @Test func cancelledGivesNoAnswer() {
        let a = Column(values: (0..<200_000).map { .text("k" + String($0 % 10)) })
        #expect(Column.distinctConcatenationCount(a, a, cancelled: { true }) == nil)
    }
}
