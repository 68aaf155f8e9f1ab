import Testing
import TallyCore
@testable import TallyAnalytics

/// The SEEDS.md section 4 worked example.
enum RfmSeeds {
    static let customers = ["A001", "A002", "A003", "A004", "A005"]
    static let recency: [Double] = [10, 180, 35, 90, 5]
    static let frequency: [Double] = [12, 1, 8, 3, 2]
    static let monetary: [Double] = [8000, 200, 5000, 1500, 800]

    static func result(method: RfmMethod = .standard, segments: SegmentRules = .standard) throws -> RfmResult {
        try Rfm.score(customers: customers, recency: recency, frequency: frequency, monetary: monetary,
                      method: method, segments: segments)
    }
}

struct RfmScoringTests {
    @Test("SEEDS.md worked example: scores, means and segments", arguments: [
        ("A001", "555", "重要价值客户", "important value"),
        ("A002", "322", "一般挽留客户", "general win-back (low value)"),
        ("A003", "445", "重要保持客户", "important retention"),
        ("A004", "433", "一般挽留客户", "general win-back (low value)"),
        ("A005", "533", "一般发展客户", "general development"),
    ])
    func seedsExample(_ id: String, _ code: String, _ zh: String, _ en: String) throws {
        let r = try RfmSeeds.result()
        let i = try #require(r.index(of: id))
        #expect(r.code(i) == code)
        #expect(r.segmentName(i, lang: "zh") == zh)
        #expect(r.segmentName(i) == en)
    }

    /// `stop` is asked while scoring: a stop that never says true changes nothing; one that
    /// says true at once leaves the work undone without an error (the caller then throws).
    @Test(arguments: [RfmMethod.standard, .quantile(bins: 3)])
    func stopIsAskedWhileScoring(_ method: RfmMethod) throws {
        let plain = try RfmSeeds.result(method: method)
        let asked = try Rfm.score(customers: RfmSeeds.customers, recency: RfmSeeds.recency, frequency: RfmSeeds.frequency,
                                  monetary: RfmSeeds.monetary, method: method, stop: { false })
        #expect(asked == plain)
        var calls = 0
        let stopped = try Rfm.score(customers: RfmSeeds.customers, recency: RfmSeeds.recency, frequency: RfmSeeds.frequency,
                                    monetary: RfmSeeds.monetary, method: method, stop: { calls += 1; return true })
        #expect(calls > 0 && stopped.segments.allSatisfy { $0 == 0 })
    }

    @Test func seedsMeans() throws {
        let r = try RfmSeeds.result()
        #expect(r.means.sums == RfmTriple(r: 21, f: 17, m: 18))
        #expect(r.means.count == 5)
        #expect(r.means.mean(.r) == 21.0 / 5)
        #expect(RfmText.number(r.means.mean(.r)) == "4.2")
        #expect(RfmText.number(r.means.mean(.f)) == "3.4")
        #expect(RfmText.number(r.means.mean(.m)) == "3.6")
        #expect(r.warnings.isEmpty)
    }

    @Test("recency bands of the bench README", arguments: [
        (0.0, 5), (1, 5), (30, 5), (31, 4), (90, 4), (91, 3), (180, 3), (181, 2), (365, 2), (366, 1), (5000, 1), (-3, 5),
    ])
    func recencyBands(_ days: Double, _ score: Int) throws {
        let s = try RfmScoring.fixed(recency: [days], frequency: [1], monetary: [1])
        #expect(s.r == [UInt8(score)])
    }

    @Test("frequency bands of the bench README", arguments: [
        (0.0, 1), (1, 2), (2, 3), (4, 3), (5, 4), (9, 4), (10, 5), (250, 5),
    ])
    func frequencyBands(_ orders: Double, _ score: Int) throws {
        let s = try RfmScoring.fixed(recency: [1], frequency: [orders], monetary: [1])
        #expect(s.f == [UInt8(score)])
    }

    @Test("monetary bands compared in cents", arguments: [
        (0.0, 1), (99.99, 1), (100, 2), (499.99, 2), (500, 3), (1999.99, 3), (2000, 4), (4999.99, 4), (5000, 5),
        (5000.004, 5), (4999.994, 4), (0.1 + 0.2, 1), (-20, 1), (100.0000001, 2), (99.999999, 2),
    ])
    func monetaryBands(_ money: Double, _ score: Int) throws {
        let s = try RfmScoring.fixed(recency: [1], frequency: [1], monetary: [money])
        #expect(s.m == [UInt8(score)])
    }

    @Test func integerOverloadMatches() throws {
        let a = try RfmScoring.fixed(recency: [10, 400], frequency: [12, 0], monetary: [8000, 5])
        #expect(a.r == [5, 1] && a.f == [5, 1] && a.m == [5, 1])
        #expect(a.top == RfmTriple(r: 5, f: 5, m: 5))
    }

    @Test func customEdgesChangeTheScale() throws {
        // Finer R bands (last month, half year, year): 3 edges give scores 1...4.
        let s = try RfmScoring.fixed(recency: [20, 100, 200, 400], frequency: [1, 1, 1, 1], monetary: [1, 1, 1, 1],
                                     rEdges: [30, 182, 365])
        #expect(s.r == [4, 3, 2, 1])
        #expect(s.top.r == 4)
    }

    @Test("bad edges are refused", arguments: [
        [Double](), [30, 30], [90, 30], [1, .nan], [1, 2, 3, 4, 5, 6, 7, 8, 9],
    ])
    func badEdges(_ edges: [Double]) {
        #expect(throws: RfmError.self) {
            try RfmScoring.fixed(recency: [1], frequency: [1], monetary: [1], rEdges: edges)
        }
    }

    @Test func nonFiniteValuesAreRefused() {
        #expect(throws: RfmError.nonFiniteValue(metric: "R", index: 1)) {
            try RfmScoring.fixed(recency: [1, .nan], frequency: [1, 1], monetary: [1, 1])
        }
        #expect(throws: RfmError.lengthMismatch("2 recency, 1 frequency, 2 monetary values")) {
            try RfmScoring.fixed(recency: [1, 2], frequency: [1], monetary: [1, 1])
        }
    }

    @Test func inputsAreNotModifiedAndScalesStated() throws {
        let r = try RfmSeeds.result()
        #expect(r.recency.doubles == RfmSeeds.recency && r.monetary.doubles == RfmSeeds.monetary)
        #expect(r.scaleDescription == [
            "R: fixed edges 30, 90, 180, 365 (upper bounds, inclusive): R <= 30 -> 5, R <= 90 -> 4, R <= 180 -> 3, R <= 365 -> 2, else 1",
            "F: fixed edges 1, 2, 5, 10 (lower bounds, inclusive): F >= 10 -> 5, F >= 5 -> 4, F >= 2 -> 3, F >= 1 -> 2, else 1",
            "M: fixed edges 100.00, 500.00, 2000.00, 5000.00 (lower bounds, inclusive, compared in cents): M >= 5000.00 -> 5, M >= 2000.00 -> 4, M >= 500.00 -> 3, M >= 100.00 -> 2, else 1",
        ])
        #expect(RfmThresholds.standard.descriptionLines == r.scaleDescription)
    }

    @Test func futureOrdersAreWarned() throws {
        let r = try Rfm.score(customers: ["x", "y"], recency: [-2, 5], frequency: [1, 1], monetary: [1, 1])
        #expect(r.scores.r == [5, 5])
        #expect(r.warnings == [Note(.rfmFuture, [.counted(1, .nounCustomerHas)])])
    }
}

struct RfmExplanationTests {
    @Test func explainsA003() throws {
        let r = try RfmSeeds.result()
        let lines = try RfmExplanation.explain(r, customer: "A003")
        #expect(lines.first == "A003: recency 35 days, frequency 8 orders, monetary 5000.00 -> 445")
        #expect(lines.contains("R = 4: recency 35 is in the band 30 < R <= 90"))
        #expect(lines.contains("F = 4: frequency 8 is in the band 5 <= F < 10"))
        #expect(lines.contains("M = 5: monetary 5000.00 is in the band 5000.00 <= M"))
        #expect(lines.contains("means over 5 customers: R 4.2, F 3.4, M 3.6"))
        #expect(lines.contains("R 4 is low (not above the mean 4.2); F 4 is high (above the mean 3.4); M 5 is high (above the mean 3.6)"))
        #expect(lines.last == "segment: important retention (重要保持客户): rule 3 of 8 (r low, f high, m high) is the first that matches")
    }

    @Test("bands at both ends", arguments: [
        ("A001", "R = 5: recency 10 is in the band R <= 30"),
        ("A002", "R = 3: recency 180 is in the band 90 < R <= 180"),
        ("A002", "F = 2: frequency 1 is in the band 1 <= F < 2"),
        ("A002", "M = 2: monetary 200.00 is in the band 100.00 <= M < 500.00"),
    ])
    func bands(_ id: String, _ line: String) throws {
        let lines = try RfmExplanation.explain(try RfmSeeds.result(), customer: id)
        #expect(lines.contains(line))
    }

    @Test func explainsQuantileScores() throws {
        let r = try RfmSeeds.result(method: .quantile(bins: 5))
        let lines = try RfmExplanation.explain(r, customer: "A002")
        // Recency 180 is the worst of five: k = 0, score 1.
        #expect(lines.contains("R = 1: recency 180 is in the band 180 <= R"))
        #expect(lines.contains { $0.contains("tie rule: score = 1 + floor(5 * k / n), k = values strictly larger") })
    }

    @Test func unknownCustomer() throws {
        let r = try RfmSeeds.result()
        #expect(throws: RfmError.unknownCustomer("Z9")) { try RfmExplanation.explain(r, customer: "Z9") }
        #expect(RfmExplanation.explain(r, index: 99).isEmpty)
    }
}
