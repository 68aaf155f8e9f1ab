import Testing
@testable import TallyAnalytics

/// Sebastiano Vigna's SplitMix64: a tiny seeded generator, so every run draws the same cases.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random cases: sums are exact, amounts stay within a unit of their quota, zero weights
/// stay zero, and permuting the parts (or negating the total) changes nothing else.
struct AllocationPropertyTests {
    static let units: [(value: Double, decimals: Int, numerator: Int64)] = [(1, 0, 1), (0.01, 2, 1), (100, 0, 100), (10000, 0, 10000)]

    /// A weight of one of several kinds: zero, small integer, two-decimal, percentage, or an
    /// arbitrary double (which takes the double-precision path).
    fileprivate static func weight(_ g: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<6, using: &g) {
        case 0: return 0
        case 1: return Double(Int.random(in: 1...100, using: &g))
        case 2: return Double(Int.random(in: 1...1_000_000, using: &g)) / 100
        case 3: return Double(Int.random(in: 1...100, using: &g)) / 100
        case 4: return Double(Int.random(in: 1...3, using: &g))
        default: return Double.random(in: 0.000001..<1000, using: &g)
        }
    }

    fileprivate static func total(_ g: inout SplitMix64, unit: (value: Double, decimals: Int, numerator: Int64)) -> (Double, Int64) {
        let magnitude: Int64 = [10, 1000, 1_000_000, 10_000_000_000, 100_000_000_000_000][Int.random(in: 0..<5, using: &g)]
        let limit = min(magnitude, AllocationUnit.limit / unit.numerator)
        let units = Int64.random(in: -limit / 10...limit, using: &g)
        let total = Double(units * unit.numerator) / Double([1.0, 10, 100][unit.decimals])
        return (total, units)
    }

    @Test("500 random splits: exact, within a unit, zeros stay zero, order-free")
    func randomSplits() throws {
        var g = SplitMix64(seed: 20_260_701)
        var doublePath = 0, checkedRemainders = 0
        for _ in 0..<500 {
            let unit = Self.units[Int.random(in: 0..<Self.units.count, using: &g)]
            let n = Int.random(in: 1...12, using: &g)
            var weights = (0..<n).map { _ in Self.weight(&g) }
            if !weights.contains(where: { $0 > 0 }) { weights[0] = 1 }
            let keys = (0..<n).map { "part\(Int.random(in: 0..<1000, using: &g))-\($0)" }
            let (total, totalUnits) = Self.total(&g, unit: unit)
            let parts = try Allocation.split(total: total, weights: weights, keys: keys, unit: unit.value)

            #expect(parts.reduce(Int64(0)) { $0 + $1.amountUnits } == totalUnits)
            let scale = [1.0, 10, 100][unit.decimals]
            #expect(parts.reduce(Int64(0)) { $0 + Int64(($1.amount * scale).rounded()) } == totalUnits * unit.numerator)
            for (p, w) in zip(parts, weights) {
                #expect(abs(p.amount - p.exactQuota) < unit.value * (1 + 1e-9), "\(p) of \(total)")
                if w == 0 { #expect(p.amountUnits == 0) }
            }

            if PreparedWeights(weights).integers == nil { doublePath += 1 }
            // Largest remainder: a part rounded up never has a smaller remainder than a
            // positive-weight part rounded down (checked where doubles resolve remainders).
            if abs(totalUnits) < 1_000_000_000 {
                checkedRemainders += 1
                let q = parts.map { abs($0.exactQuota) / unit.value }
                let up = parts.indices.map { abs(parts[$0].amountUnits) > Int64(q[$0].rounded(.down)) }
                let rem = q.map { $0 - $0.rounded(.down) }
                for i in parts.indices where up[i] {
                    for j in parts.indices where !up[j] && weights[j] > 0 { #expect(rem[i] >= rem[j] - 1e-6) }
                }
            }

            var order = Array(0..<n)
            order.shuffle(using: &g)
            let shuffled = try Allocation.split(total: total, weights: order.map { weights[$0] }, keys: order.map { keys[$0] }, unit: unit.value)
            for (j, i) in order.enumerated() { #expect(shuffled[j].amountUnits == parts[i].amountUnits) }

            let negated = try Allocation.split(total: -total, weights: weights, keys: keys, unit: unit.value)
            #expect(negated.map(\.amountUnits) == parts.map { -$0.amountUnits })
        }
        #expect(doublePath > 50)
        #expect(checkedRemainders > 100)
    }

    @Test("200 random goal trees: every level adds up to its parent, order-free")
    func randomTrees() throws {
        var g = SplitMix64(seed: 618)
        for _ in 0..<200 {
            let unit = Self.units[Int.random(in: 0..<Self.units.count, using: &g)]
            let depth = Int.random(in: 1...3, using: &g)
            let rows = Int.random(in: 1...25, using: &g)
            let paths = (0..<rows).map { _ in (0..<depth).map { level in "L\(level)-\(Int.random(in: 0..<3, using: &g))" } }
            var weights = (0..<rows).map { _ in Self.weight(&g) }
            if !weights.contains(where: { $0 > 0 }) { weights[0] = 2 }
            let (total, totalUnits) = Self.total(&g, unit: unit)
            let tree = try Allocation.tree(total: total, paths: paths, weights: weights, unit: unit.value)

            #expect(tree.leaves.reduce(Int64(0)) { $0 + $1.amountUnits } == totalUnits)
            #expect(tree.nodes.filter { $0.depth == 1 }.reduce(Int64(0)) { $0 + $1.amountUnits } == totalUnits)
            for node in tree.nodes {
                let children = tree.nodes.filter { $0.depth == node.depth + 1 && Array($0.path.prefix(node.depth)) == node.path }
                let rowsUnder = tree.leaves.filter { Array($0.path.prefix(node.depth)) == node.path }
                if node.depth < depth { #expect(children.reduce(Int64(0)) { $0 + $1.amountUnits } == node.amountUnits) }
                #expect(rowsUnder.reduce(Int64(0)) { $0 + $1.amountUnits } == node.amountUnits)
                if node.weight == 0 { #expect(node.amountUnits == 0) }
            }
            for leaf in tree.leaves {
                for d in 0..<depth {
                    let node = tree.nodes.first { $0.path == Array(leaf.path.prefix(d + 1)) }
                    #expect(node?.amountUnits == leaf.levelUnits[d])
                }
            }

            var order = Array(0..<rows)
            order.shuffle(using: &g)
            let shuffled = try Allocation.tree(total: total, paths: order.map { paths[$0] }, weights: order.map { weights[$0] }, unit: unit.value)
            for (j, i) in order.enumerated() {
                #expect(shuffled.leaves[j].levelUnits == tree.leaves[i].levelUnits)
                // Rows sharing a full path and weight are indistinguishable; compare the rest.
                let twins = (0..<rows).filter { paths[$0] == paths[i] && weights[$0] == weights[i] }
                if twins.count == 1 { #expect(shuffled.leaves[j].amountUnits == tree.leaves[i].amountUnits) }
            }
        }
    }
}
