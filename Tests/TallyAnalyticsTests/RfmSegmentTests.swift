import Testing
import TallyCore
@testable import TallyAnalytics

struct RfmSegmentTests {
    @Test("conditions are read from text", arguments: [
        ("r >= 4", SegmentCondition(.r, .compare(.atLeast, 4))),
        ("R>=4", SegmentCondition(.r, .compare(.atLeast, 4))),
        ("f high", SegmentCondition(.f, .high)),
        ("M low", SegmentCondition(.m, .low)),
        ("m = 5", SegmentCondition(.m, .compare(.equal, 5))),
        ("r == 1", SegmentCondition(.r, .compare(.equal, 1))),
        ("f != 3", SegmentCondition(.f, .compare(.notEqual, 3))),
        ("r < 2", SegmentCondition(.r, .compare(.lessThan, 2))),
        ("r <= 2", SegmentCondition(.r, .compare(.atMost, 2))),
        (" m > 3 ", SegmentCondition(.m, .compare(.greaterThan, 3))),
    ])
    func parse(_ text: String, _ expected: SegmentCondition) throws {
        let c = try SegmentCondition(parsing: text)
        #expect(c == expected)
        #expect(try SegmentCondition(parsing: c.description) == c)
    }

    @Test("unreadable conditions", arguments: ["", "x > 1", "r >> 2", "r >= a", "r", "f higher", "r 4"])
    func badCondition(_ text: String) {
        #expect(throws: RfmError.badCondition(text)) { try SegmentCondition(parsing: text) }
    }

    @Test func customRulesFirstMatchWins() throws {
        let rules = try SegmentRules([
            SegmentRule(name: "champions", nameZh: "冠军", conditions: [try .init(parsing: "r >= 4"), try .init(parsing: "f >= 4")]),
            SegmentRule(name: "big spenders", conditions: [try .init(parsing: "m high")]),
            SegmentRule(name: "recent", conditions: [try .init(parsing: "r = 5")]),
            SegmentRule(name: "others", conditions: []),
        ])
        let r = try RfmSeeds.result(segments: rules)
        // 555, 322, 445, 433, 533; M mean 3.6.
        #expect(r.customers.indices.map { r.segmentName($0) } == ["champions", "others", "champions", "others", "recent"])
        #expect(r.segmentName(0, lang: "zh") == "冠军")
        #expect(r.segmentName(4, lang: "zh") == "recent")
        let why = try RfmExplanation.explain(r, customer: "A002")
        #expect(why.last == "segment: others: rule 4 of 4 (catch-all) is the first that matches")
    }

    @Test func ruleListsMustEndWithACatchAll() throws {
        let high = SegmentRule(name: "high", conditions: [SegmentCondition(.r, .high)])
        let all = SegmentRule(name: "all", conditions: [])
        #expect(throws: RfmError.noRules) { try SegmentRules([]) }
        #expect(throws: RfmError.noCatchAll) { try SegmentRules([high]) }
        #expect(throws: RfmError.unreachableRules(after: "all")) { try SegmentRules([all, high, all]) }
        #expect(try SegmentRules([high, all]).rules.count == 2)
        // The eight high/low combinations written out are exhaustive, so no catch-all is needed.
        #expect(try SegmentRules(SegmentRules.standard.rules).rules.count == 8)
        #expect(SegmentRules.standard.isExhaustive)
        // Seven of them are not.
        #expect(throws: RfmError.noCatchAll) { try SegmentRules(Array(SegmentRules.standard.rules.dropLast())) }
    }

    @Test func standardNamesMatchTheTable() {
        let rules = SegmentRules.standard.rules
        #expect(rules.map { $0.nameZh ?? "" } == ["重要价值客户", "重要发展客户", "重要保持客户", "重要挽留客户",
                                                 "一般价值客户", "一般发展客户", "一般保持客户", "一般挽留客户"])
        #expect(rules.map(\.name) == ["important value", "important development", "important retention", "important win-back",
                                      "general value", "general development", "general retention", "general win-back (low value)"])
        #expect(rules.map(\.conditionText)[1] == "r high, f low, m high")
    }

    @Test("high means strictly above the mean", arguments: [
        ([3, 3, 3], [false, false, false]),
        ([1, 2, 3], [false, false, true]),
        ([4, 5], [false, true]),
    ])
    func highIsStrict(_ rs: [Int], _ expected: [Bool]) {
        let bytes = rs.map(UInt8.init)
        let scores = RfmScores(r: bytes, f: bytes, m: bytes, top: RfmTriple(r: 5, f: 5, m: 5))
        let means = RfmMeans(scores: scores)
        #expect(rs.map { means.isHigh($0, .r) } == expected)
    }
}

struct RfmQuantileTests {
    @Test func evenSpreadFillsEveryBin() throws {
        let q = try RfmScoring.quantile((1...10).map(Double.init), bins: 5, higherIsBetter: true)
        #expect(q.scores == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        #expect(q.breaks.cuts == [2, 4, 6, 8])
        #expect(q.breaks.counts == [2, 2, 2, 2, 2])
        #expect(q.breaks.ranges[4] == 9...10)
        #expect(q.warnings.isEmpty)
    }

    @Test func recencyIsReversed() throws {
        let q = try RfmScoring.quantile((1...10).map(Double.init), bins: 5, higherIsBetter: false, label: "R")
        #expect(q.scores == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1])
        #expect(q.breaks.cuts == [9, 7, 5, 3])
    }

    @Test func tiesShareABinAndEmptyBinsAreWarned() throws {
        let q = try RfmScoring.quantile([1, 1, 1, 1, 1, 1, 2, 3, 4, 5], bins: 5, higherIsBetter: true, label: "F")
        // k = 0 for the six 1s; 2 has k = 6 -> 1 + floor(30 / 10) = 4; 4 has k = 8 -> 5.
        #expect(q.scores == [1, 1, 1, 1, 1, 1, 4, 4, 5, 5])
        #expect(q.breaks.emptyScores == [2, 3])
        #expect(q.warnings == [
            Note(.quantileEmptyScores, [.text("F"), .joined([.count(2), .count(3)], ", "), .count(5)]),
            Note(.quantileCollapsed, [.text("F"), .number(0.2, .percent),
                                      .joined([.phrase(.quantileTie, [.count(6), .number(1, .plain), .number(0.6, .percent), .count(1)])], "; ")]),
        ])
    }

    @Test func allEqualValues() throws {
        let q = try RfmScoring.quantile([7, 7, 7], bins: 4, higherIsBetter: true, label: "M")
        #expect(q.scores == [1, 1, 1])
        #expect(q.warnings == [Note(.quantileAllEqual, [.text("M"), .count(3), .number(7, .plain)])])
    }

    @Test func edgeCases() throws {
        #expect(throws: RfmError.badBins(1)) { try RfmScoring.quantile([1], bins: 1, higherIsBetter: true) }
        #expect(throws: RfmError.badBins(10)) { try RfmScoring.quantile([1], bins: 10, higherIsBetter: true) }
        #expect(throws: RfmError.nonFiniteValue(metric: "value", index: 0)) {
            try RfmScoring.quantile([.infinity], higherIsBetter: true)
        }
        let empty = try RfmScoring.quantile([], higherIsBetter: true)
        #expect(empty.scores.isEmpty)
        let one = try RfmScoring.quantile([3], higherIsBetter: true)
        #expect(one.scores == [1])
    }

    @Test func quantileMethodStatesItsBreaks() throws {
        let r = try RfmSeeds.result(method: .quantile(bins: 5))
        // Five customers in five bins: every score once per measure (no ties in the example).
        #expect(r.scores.r == [4, 1, 3, 2, 5])
        #expect(r.scores.f == [5, 1, 4, 3, 2])
        #expect(r.scores.m == [5, 1, 4, 3, 2])
        #expect(r.scaleDescription[0].hasPrefix("R: 5 quantile bins, lower (more recent) is better; breaks: R < 10 -> 5, R < 35 -> 4, R < 90 -> 3, R < 180 -> 2, else 1"))
        #expect(r.warnings.isEmpty)
    }
}
