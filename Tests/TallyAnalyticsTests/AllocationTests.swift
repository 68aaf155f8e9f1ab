import Testing
@testable import TallyAnalytics

/// `Allocation.split`: the SEEDS.md figures, the leftover rule, units and refusals.
struct AllocationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var total: Double
        var parts: [(String, Double)]
        var unit: Double = 1
        var expected: [Double]
        var testDescription: String { name }
    }

    static let seeds: [Case] = [
        // SEEDS.md 3, channel: 1亿 -> Tmall 5000万, JD 3000万, Douyin 1500万, other 500万.
        Case(name: "channels of 1亿", total: 100_000_000, parts: [("Tmall", 50), ("JD", 30), ("Douyin", 15), ("other", 5)],
             expected: [50_000_000, 30_000_000, 15_000_000, 5_000_000]),
        // SEEDS.md 3, product line: 5亿 -> 3亿 / 1.5亿 / 5000万.
        Case(name: "product lines of 5亿", total: 500_000_000,
             parts: [("refrigeration", 60), ("washing", 30), ("small kitchen", 10)],
             expected: [300_000_000, 150_000_000, 50_000_000]),
        // SEEDS.md 3, time: 1.2亿 over quarters, Q2 (618) and Q4 (Double 11) heavier.
        Case(name: "seasonality of 1.2亿", total: 120_000_000,
             parts: [("2026-Q1", 20), ("2026-Q2", 30), ("2026-Q3", 20), ("2026-Q4", 30)],
             expected: [24_000_000, 36_000_000, 24_000_000, 36_000_000]),
        Case(name: "percent weights", total: 12000, parts: [("high", 0.40), ("medium", 0.35), ("low", 0.25)],
             expected: [4800, 4200, 3000]),
        Case(name: "unit 10000 (万)", total: 100_000_000, parts: [("a", 1), ("b", 1), ("c", 1)], unit: 10000,
             expected: [33_340_000, 33_330_000, 33_330_000]),
        Case(name: "cents", total: 100, parts: [("a", 1), ("b", 1), ("c", 1)], unit: 0.01,
             expected: [33.34, 33.33, 33.33]),
        Case(name: "1234.56 in cents", total: 1234.56, parts: [("x", 1), ("y", 2)], unit: 0.01,
             expected: [411.52, 823.04]),
        Case(name: "zero weights stay zero", total: 10, parts: [("a", 0), ("b", 1), ("c", 0), ("d", 2)],
             expected: [0, 3, 0, 7]),
        Case(name: "one part", total: 987, parts: [("only", 0.3)], expected: [987]),
        Case(name: "total 0", total: 0, parts: [("a", 1), ("b", 2)], expected: [0, 0]),
        Case(name: "negative total mirrors", total: -10, parts: [("a", 1), ("b", 1), ("c", 1)], expected: [-4, -3, -3]),
        // 3-way tie of one leftover unit: equal remainders and quotas, so the key decides.
        Case(name: "3-way tie goes to the first key", total: 100, parts: [("c", 1), ("a", 1), ("b", 1)], expected: [33, 34, 33]),
        // Equal remainders (.5), different quotas: the larger quota wins.
        Case(name: "remainder tie, larger quota wins", total: 10, parts: [("small", 1), ("big", 3)], expected: [2, 8]),
        // Quotas 1.4 / 4.3 / 4.3: the leftover unit goes to the larger remainder (a), not
        // to the larger quota.
        Case(name: "larger remainder first", total: 10, parts: [("a", 0.14), ("b", 0.43), ("c", 0.43)], expected: [2, 4, 4]),
        Case(name: "1e12 in cents", total: 1e12, parts: [("a", 1), ("b", 1), ("c", 1)], unit: 0.01,
             expected: [333_333_333_333.34, 333_333_333_333.33, 333_333_333_333.33]),
    ]

    @Test("splits add up and match the worked figures", arguments: seeds)
    func split(_ c: Case) throws {
        let parts = try Allocation.split(total: c.total, weights: c.parts.map(\.1), keys: c.parts.map(\.0), unit: c.unit)
        #expect(parts.map(\.amount) == c.expected)
        let unit = try AllocationUnit(c.unit)
        #expect(parts.reduce(Int64(0)) { $0 + $1.amountUnits } == (try unit.units(of: c.total)))
    }

    @Test("audit quota, share and units")
    func audit() throws {
        let parts = try Allocation.split(total: 100, weights: [1, 1, 1], keys: ["a", "b", "c"], unit: 0.01)
        #expect(parts.map(\.amountUnits) == [3334, 3333, 3333])
        for p in parts {
            #expect(abs(p.exactQuota - 100.0 / 3) < 1e-9)
            #expect(abs(p.share - 1.0 / 3) < 1e-15)
        }
    }

    @Test("amounts print to the unit's decimals and add up to the total")
    func decimalExactness() throws {
        let parts = try Allocation.split(total: 1234.56, weights: [1, 1, 1, 1, 1, 1, 1], keys: (1...7).map { "p\($0)" }, unit: 0.01)
        #expect(parts.map(\.amount) == [176.37, 176.37, 176.37, 176.37, 176.36, 176.36, 176.36])
        #expect(parts.map { Int64(($0.amount * 100).rounded()) }.reduce(0, +) == 123_456)
    }

    @Test("reordering the parts changes no amount")
    func orderFree() throws {
        let keys = ["Tmall", "JD", "Douyin", "other", "Kuaishou"]
        let weights = [1.0, 1, 1, 1, 1]
        let a = try Allocation.split(total: 103, weights: weights, keys: keys)
        let b = try Allocation.split(total: 103, weights: weights.reversed(), keys: keys.reversed())
        let byKey = Dictionary(uniqueKeysWithValues: b.map { ($0.key, $0.amount) })
        for p in a { #expect(byKey[p.key] == p.amount) }
        // 103 / 5 = 20.6: three leftover units, to the first three keys in string order.
        #expect(a.filter { $0.amount == 21 }.map(\.key).sorted() == ["Douyin", "JD", "Kuaishou"])
    }

    @Test("weights that are not short decimals still add up exactly")
    func doubleWeights() throws {
        let w = [1.0 / 3, 2.0 / 3, 1e-13, 0.1 + 0.2]
        let parts = try Allocation.split(total: 1_000_001, weights: w, keys: ["a", "b", "c", "d"])
        #expect(parts.reduce(Int64(0)) { $0 + $1.amountUnits } == 1_000_001)
        #expect(parts[2].amount == 0)
        for p in parts { #expect(abs(p.amount - p.exactQuota) < 1) }
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var total: Double
        var weights: [Double]
        var unit: Double = 1
        var failure: Allocation.Failure
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "negative weight", total: 10, weights: [1, -2, 3], failure: .negativeWeight(part: "k1")),
        Refusal(name: "NaN weight", total: 10, weights: [1, .nan], failure: .invalidWeight(part: "k1")),
        Refusal(name: "infinite weight", total: 10, weights: [.infinity, 1], failure: .invalidWeight(part: "k0")),
        Refusal(name: "all zero", total: 10, weights: [0, 0, 0], failure: .allZero),
        Refusal(name: "empty", total: 10, weights: [], failure: .noParts),
        Refusal(name: "NaN total", total: .nan, weights: [1], failure: .invalidTotal),
        Refusal(name: "infinite total", total: -.infinity, weights: [1], failure: .invalidTotal),
        Refusal(name: "half a cent", total: 0.005, weights: [1], unit: 0.01, failure: .notWholeUnits),
        Refusal(name: "not whole 万", total: 12_345, weights: [1], unit: 10000, failure: .notWholeUnits),
        Refusal(name: "zero unit", total: 10, weights: [1], unit: 0, failure: .badUnit),
        Refusal(name: "third unit", total: 10, weights: [1], unit: 1.0 / 3, failure: .badUnit),
        Refusal(name: "NaN unit", total: 10, weights: [1], unit: .nan, failure: .badUnit),
        Refusal(name: "1e17 in cents overflows", total: 1e17, weights: [1, 2], unit: 0.01, failure: .tooLarge),
        Refusal(name: "1e300", total: 1e300, weights: [1], failure: .tooLarge),
    ]

    @Test("refusals name the offending part", arguments: refusals)
    func refused(_ r: Refusal) {
        let keys = r.weights.indices.map { "k\($0)" }
        #expect(throws: r.failure) {
            try Allocation.split(total: r.total, weights: r.weights, keys: keys, unit: r.unit)
        }
    }

    @Test("mismatched keys and weights")
    func mismatch() {
        #expect(throws: Allocation.Failure.lengthMismatch(expected: 2, got: 1)) {
            try Allocation.split(total: 1, weights: [1], keys: ["a", "b"])
        }
        #expect(Allocation.Failure.negativeWeight(part: "JD").description == "weight of JD is negative")
    }

    @Test("units", arguments: [(1.0, 1 as Int64, 0), (0.01, 1, 2), (10000, 10000, 0), (0.05, 5, 2), (0.5, 5, 1), (1e-9, 1, 9)])
    func units(_ value: Double, _ numerator: Int64, _ decimals: Int) throws {
        let u = try AllocationUnit(value)
        #expect(u.numerator == numerator)
        #expect(u.decimals == decimals)
    }

    @Test("unit counts: 0.01 of 1234.56 is 123456 units, 2^53 is the limit")
    func unitCounts() throws {
        #expect(try AllocationUnit(0.01).units(of: 1234.56) == 123_456)
        #expect(try AllocationUnit(0.01).units(of: 0.1 + 0.2) == 30)
        #expect(try AllocationUnit(1).units(of: 9_007_199_254_740_992) == 9_007_199_254_740_992)
        #expect(throws: Allocation.Failure.tooLarge) { try AllocationUnit(10000).units(of: 1e16) }
        #expect(try AllocationUnit(0.01).amount(units: 123_456) == 1234.56)
    }
}
