import Testing
import TallyCore
@testable import TallyAnalytics

/// SplitMix64: a tiny seeded generator, so property tests are repeatable.
struct RfmRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0 ..< n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// Money with two decimals in 0 ..< max, with many repeats when `coarse`.
    mutating func money(_ max: Int, coarse: Bool = false) -> Double {
        coarse ? Double(below(max / 100 + 1) * 100) : Double(below(max * 100)) / 100
    }
}

struct RfmPropertyTests {
    static let seeds: [UInt64] = [1, 7, 2026, 0xDEAD_BEEF, 12345]

    /// Random aggregated customers with many ties.
    static func customers(_ rng: inout RfmRandom, n: Int) -> (ids: [String], r: [Double], f: [Double], m: [Double]) {
        let ids = (0..<n).map { "C\($0)" }
        let r = (0..<n).map { _ in Double(rng.below(500)) }
        let f = (0..<n).map { _ in Double(1 + rng.below(rng.below(3) == 0 ? 20 : 4)) }
        let m = (0..<n).map { _ in rng.money(8000, coarse: rng.below(2) == 0) }
        return (ids, r, f, m)
    }

    @Test("every customer gets exactly one segment", arguments: seeds)
    func oneSegmentEach(_ seed: UInt64) throws {
        var rng = RfmRandom(seed: seed)
        let n = 1 + rng.below(400)
        let c = Self.customers(&rng, n: n)
        for method in [RfmMethod.standard, .quantile(bins: 5), .quantile(bins: 3)] {
            let res = try Rfm.score(customers: c.ids, recency: c.r, frequency: c.f, monetary: c.m, method: method)
            #expect(res.segments.count == n)
            for i in 0..<n {
                // The segment is the first standard rule that matches, and exactly one rule of
                // the eight matches (they partition the high/low combinations).
                let s = res.scores.of(i)
                let rh = res.means.isHigh(s.r, .r), fh = res.means.isHigh(s.f, .f), mh = res.means.isHigh(s.m, .m)
                let hits = res.rules.rules.indices.filter {
                    res.rules.rules[$0].matches(r: s.r, f: s.f, m: s.m, rHigh: rh, fHigh: fh, mHigh: mh)
                }
                #expect(hits == [Int(res.segments[i])])
            }
        }
    }

    @Test("quantile scores follow 1 + floor(bins * k / n), ties share a bin", arguments: seeds)
    func quantileRule(_ seed: UInt64) throws {
        var rng = RfmRandom(seed: seed)
        for _ in 0..<20 {
            let n = 1 + rng.below(300)
            let spread = 1 + rng.below(60)
            let xs = (0..<n).map { _ in Double(rng.below(spread)) }
            let bins = 2 + rng.below(8)
            for higher in [true, false] {
                let q = try RfmScoring.quantile(xs, bins: bins, higherIsBetter: higher)
                for (i, x) in xs.enumerated() {
                    let k = xs.filter { higher ? $0 < x : $0 > x }.count
                    #expect(Int(q.scores[i]) == 1 + bins * k / n)
                }
                // Equal values, equal scores.
                var byValue: [Double: Set<Int>] = [:]
                for (x, s) in zip(xs, q.scores) { byValue[x, default: []].insert(Int(s)) }
                #expect(byValue.values.allSatisfy { $0.count == 1 })
                #expect(q.breaks.counts.reduce(0, +) == n)
                #expect(q.breaks.emptyScores.isEmpty == !q.warnings.contains { [.quantileEmptyScore, .quantileEmptyScores, .quantileAllEqual].contains($0.key) })
            }
        }
    }

    @Test("fixed scores match the band table", arguments: seeds)
    func fixedMatchesBands(_ seed: UInt64) throws {
        var rng = RfmRandom(seed: seed)
        let c = Self.customers(&rng, n: 300)
        let s = try RfmScoring.fixed(recency: c.r, frequency: c.f, monetary: c.m)
        for i in 0..<300 {
            let r = c.r[i], f = c.f[i], cents = Int((c.m[i] * 100).rounded())
            let er = r <= 30 ? 5 : r <= 90 ? 4 : r <= 180 ? 3 : r <= 365 ? 2 : 1
            let ef = f >= 10 ? 5 : f >= 5 ? 4 : f >= 2 ? 3 : f >= 1 ? 2 : 1
            let em = cents >= 500_000 ? 5 : cents >= 200_000 ? 4 : cents >= 50_000 ? 3 : cents >= 10_000 ? 2 : 1
            #expect(s.r[i] == er && s.f[i] == ef && s.m[i] == em)
        }
    }
}
