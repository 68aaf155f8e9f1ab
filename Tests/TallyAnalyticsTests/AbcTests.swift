import Foundation
import Testing
import TallyCore
@testable import TallyAnalytics

struct AbcTests {
    static let keys = ["agent_1", "agent_2", "agent_3", "agent_4", "agent_5", "agent_6"]
    static let sales: [Double] = [800, 1300, 1100, 900, 1200, 2000]

    @Test func seedsDocumentRuleIncluding() throws {
        let r = try Abc.classify(keys: Self.keys, values: Self.sales, a: 0.2, b: 0.7, rule: .including)
        #expect(r.keys == ["agent_6", "agent_2", "agent_5", "agent_3", "agent_4", "agent_1"])
        #expect(r.values == [2000, 1300, 1200, 1100, 900, 800])
        #expect(r.rank == [1, 2, 3, 4, 5, 6])
        #expect(r.cumShare.map { String(format: "%.2f%%", $0 * 100) } == ["27.40%", "45.21%", "61.64%", "76.71%", "89.04%", "100.00%"])
        #expect(r.classes == [.b, .b, .b, .c, .c, .c])
        #expect(r.total == 7300)
        #expect(r.summary.map(\.count) == [0, 3, 3])
        #expect(r.summary.map(\.cents) == [0, 450_000, 280_000])
        #expect(r.warnings.map(\.key) == [.abcNoA])
        #expect(r.warnings.first?.args.prefix(2) == [.number(2000.0 / 7300, .percent), .threshold(0.2, .percent)])
        #expect(r.warnings.first?.args.last == .phrase(.abcBeforeWould))
        #expect(r.classesInInputOrder == [.c, .b, .c, .c, .b, .b])
    }

    @Test func seedsBeforeRule() throws {
        let r = try Abc.classify(keys: Self.keys, values: Self.sales, a: 0.2, b: 0.7, rule: .before)
        #expect(r.keys == ["agent_6", "agent_2", "agent_5", "agent_3", "agent_4", "agent_1"])
        #expect(r.classes == [.a, .b, .b, .b, .c, .c])
        #expect(r.warnings.isEmpty)
    }

    @Test("cut-offs are exact at the boundary", arguments: [
        (AbcRule.including, [AbcClass.a, .c]),
        (AbcRule.before, [AbcClass.a, .b]),
    ])
    func exactBoundary(_ rule: AbcRule, _ expected: [AbcClass]) throws {
        // The first row holds exactly 80%: including -> A (cum <= 80%); the second row then
        // reaches 100% > 95% -> C, but its share before is 80%, not below 80% -> B.
        let r = try Abc.classify(keys: ["x", "y"], values: [80, 20], a: 0.8, b: 0.95, rule: rule)
        #expect(r.classes == expected)
    }

    @Test func tiesAreRankedByKey() throws {
        let r = try Abc.classify(keys: ["b", "c", "a", "d"], values: [5, 5, 5, 9])
        #expect(r.keys == ["d", "a", "b", "c"])
        #expect(r.order == [3, 2, 0, 1])
    }

    @Test func zeroAndNegativeValuesGoToC() throws {
        let r = try Abc.classify(keys: ["p", "z", "n", "q"], values: [60, 0, -10, 40], a: 0.9, b: 0.99, rule: .including)
        #expect(r.keys == ["p", "q", "z", "n"])
        #expect(r.classes == [.a, .c, .c, .c])
        #expect(r.total == 100)
        #expect(r.nonPositiveKeys == ["z", "n"])
        #expect(r.share == [0.6, 0.4, 0, -0.1])
        #expect(r.warnings.first == Note(.abcNonPositive, [.counted(2, .nounKey), .joined([.text("z"), .text("n")], ", ")]))
        let none = try Abc.classify(keys: ["a"], values: [0])
        #expect(none.classes == [.c])
        #expect(none.warnings.contains(Note(.abcNoPositive)))
    }

    @Test("bad cut-offs", arguments: [(0.9, 0.8), (-0.1, 0.5), (0.5, 1.2), (Double.nan, 0.9)])
    func badCutoffs(_ a: Double, _ b: Double) {
        #expect(throws: AbcError.self) { try Abc.classify(keys: ["a"], values: [1], a: a, b: b) }
    }

    @Test func refusesBadInput() {
        #expect(throws: AbcError.lengthMismatch("1 keys but 2 values")) { try Abc.classify(keys: ["a"], values: [1, 2]) }
        #expect(throws: AbcError.badValue(index: 1)) { try Abc.classify(keys: ["a", "b"], values: [1, .infinity]) }
    }

    @Test func byKeyTotals() throws {
        let key = Column(values: [.text("x"), .text("y"), .text("x"), .empty])
        let value = Column.numbers([10, 30, 15, 99])
        let totals = try Abc.aggregate(key: key, value: value)
        #expect(totals.keys == ["x", "y"] && totals.values == [25, 30])
        #expect(totals.skippedEmptyRows == 1)
        let r = try Abc.classify(totals, a: 0.5, b: 0.9)
        #expect(r.keys == ["y", "x"])
        #expect(r.classes == [.a, .b])
        #expect(r.warnings == [Note(.abcSkipped, [.counted(1, .nounRow)])])
    }

    @Test func computedAbcFindsTheLimits() throws {
        // Curve yields 0, .50, .80, .90, .94, .97, .99, 1 over efforts i/7. Pareto point:
        // i = 2 (distance^2 .1216); slope 7 * x / 100 closest to 1 at x = 10 (i = 3);
        // A/B at min(2, 3) = 2; submarginal nearest (3/7, 1) is i = 3.
        let keys = ["a", "b", "c", "d", "e", "f", "g", "h"]
        let values: [Double] = [50, 30, 10, 4, 3, 2, 1, 0]
        let r = try Abc.computed(keys: keys, values: values)
        #expect(r.pareto.items == 2)
        #expect(r.breakEven.items == 3)
        #expect(r.demarcation.items == 2)
        #expect(r.submarginal.items == 3)
        #expect(r.classification.classes == [.a, .a, .b, .c, .c, .c, .c, .c])
        #expect(r.classification.a == 0.8 && r.classification.b == 0.9)
        #expect(r.classification.nonPositiveKeys == ["h"])
        #expect(r.notes[1] == Note(.abcComputedPareto, [.phrase(.abcComputedPoint, [.counted(2, .nounItem), .number(2.0 / 7, .percent), .number(0.8, .percent)])]))
    }

    @Test("ABC properties on random data", arguments: RfmPropertyTests.seeds)
    func properties(_ seed: UInt64) throws {
        var rng = RfmRandom(seed: seed)
        let n = 1 + rng.below(500)
        let keys = (0..<n).map { "K\(rng.below(n * 2))-\($0)" }
        let values = (0..<n).map { _ in rng.money(3000, coarse: rng.below(3) == 0) }
        for rule in [AbcRule.before, .including] {
            let a = Double(rng.below(90) + 1) / 100
            let b = a + Double(rng.below(Int((1 - a) * 100) + 1)) / 100
            let r = try Abc.classify(keys: keys, values: values, a: a, b: min(b, 1), rule: rule)
            // One class per key; the summary counts every key once.
            #expect(r.classes.count == n && Set(r.order) == Set(0..<n))
            #expect(r.summary.map(\.count).reduce(0, +) == n)
            // Shares add to 100% (all values are >= 0 here) and the classes run A, B, C.
            if r.totalCents > 0 {
                #expect(abs(r.share.reduce(0, +) - 1) < 1e-9)
                #expect(abs(r.summary.map(\.share).reduce(0, +) - 1) < 1e-12)
                #expect(r.summary.map(\.cents).reduce(0, +) == r.totalCents)
                #expect(r.cumShare.last.map { abs($0 - 1) < 1e-12 } ?? false)
            }
            let ranks = r.classes.map { $0 == .a ? 0 : $0 == .b ? 1 : 2 }
            #expect(ranks == ranks.sorted())
            // Ranked by value descending, ties by key.
            for k in 1..<max(1, n) {
                let p = r.values[k - 1], q = r.values[k]
                #expect(p > q || (p == q && r.keys[k - 1] < r.keys[k]))
            }
        }
        let c = try Abc.computed(keys: keys, values: values)
        #expect(c.classification.classes.count == n)
        #expect(c.demarcation.items <= c.submarginal.items)
    }
}
