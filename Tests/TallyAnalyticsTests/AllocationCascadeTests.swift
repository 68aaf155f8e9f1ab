import Testing
import TallyCore
@testable import TallyAnalytics

/// Cascading splits (a quarter's target over its months), period nesting, period aliases
/// and goal trees with a weight per level.
struct AllocationCascadeTests {
    private struct Gen: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    // MARK: cascade

    @Test("each parent split over its own children", arguments: [
        // SEEDS.md 3: 1.2亿 by 20/30/20/30 -> quarters; Q1 (24,000,000) over Jan/Feb/Mar by days 31/28/31.
        ([("Q1", 24_000_000.0)], [0, 0, 0], [31.0, 28, 31], 1.0, [8_266_667.0, 7_466_666, 8_266_667]),
        // Q2 36,000,000 by days 30/31/30.
        ([("Q2", 36_000_000.0)], [0, 0, 0], [30, 31, 30], 1, [11_868_132, 12_263_736, 11_868_132]),
        // two parents, children interleaved in the input: each parent adds up on its own.
        ([("a", 100), ("b", 10)], [0, 1, 0, 1], [1, 1, 2, 2], 1, [33, 3, 67, 7]),
        // cents: 1000.01 over three equal parts.
        ([("a", 1000.01)], [0, 0, 0], [1, 1, 1], 0.01, [333.34, 333.34, 333.33]),
        // a parent of zero gives zeros, even with no positive weights.
        ([("a", 0), ("b", 5)], [0, 1], [0, 1], 1, [0, 5]),
        // negative parent: split as its magnitude, negated.
        ([("a", -10)], [0, 0], [1, 2], 1, [-3, -7]),
    ] as [([(String, Double)], [Int], [Double], Double, [Double])])
    func cascade(parents: [(String, Double)], of: [Int], weights: [Double], unit: Double, expected: [Double]) throws {
        let r = try Allocation.cascade(parents: parents.map { (key: $0.0, amount: $0.1) }, parentOfChild: of, weights: weights,
                                       keys: weights.indices.map { "c\($0)" }, unit: unit)
        #expect(r.children.map(\.amount) == expected)
    }

    @Test("refusals name the parent", arguments: [
        ([("Q1", 10.5)], [0], [1.0], Allocation.Failure.partNotWholeUnits(part: "Q1")),
        ([("Q1", 10), ("Q2", 5)], [0], [1], .emptyGroup(part: "Q2")),
        ([("Q1", 10)], [0, 0], [0, 0], .allZeroWithin(group: "Q1")),
        ([("Q1", 10)], [0, 0], [1, -1], .negativeWeight(part: "c1")),
    ] as [([(String, Double)], [Int], [Double], Allocation.Failure)])
    func refusals(parents: [(String, Double)], of: [Int], weights: [Double], failure: Allocation.Failure) {
        #expect(throws: failure) {
            try Allocation.cascade(parents: parents.map { (key: $0.0, amount: $0.1) }, parentOfChild: of, weights: weights,
                                   keys: weights.indices.map { "c\($0)" })
        }
    }

    @Test("property: 300 random cascades add up to every parent exactly, each child within a unit of its quota")
    func randomCascades() throws {
        var g = Gen(state: 11)
        for _ in 0..<300 {
            let unit = [1.0, 0.01, 100][Int.random(in: 0..<3, using: &g)]
            let np = Int.random(in: 1...6, using: &g)
            let parentUnits = (0..<np).map { _ in Int64.random(in: -1_000_000...100_000_000, using: &g) }
            let parents = parentUnits.enumerated().map { (key: "p\($0.offset)", amount: Double($0.element) * unit) }
            var of: [Int] = [], weights: [Double] = []
            for p in 0..<np {
                for k in 0..<Int.random(in: 1...8, using: &g) {
                    of.append(p)
                    weights.append(k == 0 ? Double(Int.random(in: 1...50, using: &g)) : Double(Int.random(in: 0...3000, using: &g)) / 100)
                }
            }
            let order = Array(of.indices).shuffled(using: &g)
            let r = try Allocation.cascade(parents: parents, parentOfChild: order.map { of[$0] }, weights: order.map { weights[$0] },
                                           keys: order.map { "c\($0)" }, unit: unit)
            for p in 0..<np {
                let sum = zip(order, r.children).filter { of[$0.0] == p }.reduce(Int64(0)) { $0 + $1.1.amountUnits }
                #expect(sum == Int64((parents[p].amount / unit).rounded()))
            }
            for c in r.children { #expect(abs(c.amount - c.exactQuota) < unit * (1 + 1e-9)) }
        }
    }

    // MARK: nesting

    @Test("months nest in quarters whole; ISO weeks are cut at month ends; days outside are reported")
    func nesting() throws {
        let q1 = try Periods.quarters(2026)[0]
        let months = try Periods.months(2026)
        let n = try Periods.nest(children: months, in: [q1])
        #expect(n.pieces.map(\.child) == [0, 1, 2])
        #expect(n.pieces.allSatisfy { !$0.isCut })
        #expect(n.outside.map(\.child) == Array(3..<12))
        #expect(n.uncovered.map(\.days) == [0])

        let weeks = try Periods.weeks(2026)
        let w = try Periods.nest(children: weeks, in: Array(months.prefix(2)))
        // W01 starts 2025-12-29: its first three days lie outside; W05 runs 2026-01-26 to 02-01.
        #expect(w.outside.first.map { ($0.child, $0.start.iso, $0.end.iso) } ?? (0, "", "") == (0, "2025-12-29", "2025-12-31"))
        let w05 = w.pieces.filter { $0.child == 4 }
        #expect(w05.map(\.days) == [6, 1])
        #expect(w05.map(\.workdays) == [5, 0])
        #expect(w05.map(\.parent) == [0, 1])
        #expect(w.pieces.filter { $0.parent == 0 }.reduce(0) { $0 + $1.days } == 31)
        #expect(w.pieces.filter { $0.parent == 1 }.reduce(0) { $0 + $1.days } == 28)
    }

    @Test("overlapping periods are refused")
    func overlap() throws {
        let months = try Periods.months(2026)
        #expect(throws: Periods.NestingFailure.overlap("2026-01", "2026-01", parents: false)) {
            try Periods.nest(children: [months[0], months[0]], in: try Periods.quarters(2026))
        }
        let q = try Periods.quarters(2026)
        #expect(throws: Periods.NestingFailure.overlap("2026-Q1", "2026-01", parents: true)) {
            try Periods.nest(children: months, in: [q[0], months[0]])
        }
    }

    @Test("period aliases for a record of weights", arguments: [
        ("2026-Q1", ["2026-Q1", "Q1"]),
        ("2026-03", ["2026-03", "Mar", "March", "M3", "M03"]),
        ("2026-W09", ["2026-W09", "W9", "W09"]),
        ("2026-03-05", ["2026-03-05"]),
        ("2026", ["2026"]),
        ("Tmall", ["Tmall"]),
    ])
    func aliases(label: String, expected: [String]) {
        #expect(Periods.aliases(of: label) == expected)
    }

    // MARK: goal tree with a weight per level

    @Test("a weight per level: regions by revenue, reps within by capacity")
    func levelWeights() throws {
        let paths = [["east", "Li"], ["east", "Wang"], ["south", "Zhao"]]
        let revenue = [300.0, 100, 100]
        let capacity = [1.0, 3, 1]
        let t = try Allocation.tree(total: 1000, paths: paths, levelWeights: [revenue, capacity])
        #expect(t.leaves.map { $0.levelAmounts[0] } == [800, 800, 200])
        #expect(t.leaves.map(\.amount) == [200, 600, 200])
    }

    @Test("a node whose children all weigh zero is refused")
    func levelWeightsZero() {
        #expect(throws: Allocation.Failure.allZeroWithin(group: "south")) {
            try Allocation.tree(total: 1000, paths: [["east", "Li"], ["south", "Zhao"]], levelWeights: [[1, 1], [1, 0]])
        }
    }

    @Test("property: 200 random trees with a weight per level add up at every level, grouped or not")
    func randomTrees() throws {
        var g = Gen(state: 7)
        for _ in 0..<200 {
            let n = Int.random(in: 1...40, using: &g)
            let paths = (0..<n).map { _ in ["a\(Int.random(in: 0..<4, using: &g))", "b\(Int.random(in: 0..<3, using: &g))"] }
            let w1 = (0..<n).map { _ in Double(Int.random(in: 1...1000, using: &g)) / 10 }
            let w2 = (0..<n).map { _ in Double(Int.random(in: 1...9, using: &g)) }
            let total = Double(Int.random(in: 0...10_000_000, using: &g))
            let splitRows = Bool.random(using: &g)
            let t = try Allocation.tree(total: total, paths: paths, levelWeights: [w1, w2], splitRows: splitRows)
            let top = t.nodes.filter { $0.depth == 1 }
            #expect(top.reduce(Int64(0)) { $0 + $1.amountUnits } == Int64(total))
            for parent in top {
                let kids = t.nodes.filter { $0.depth == 2 && $0.path[0] == parent.path[0] }
                #expect(kids.reduce(Int64(0)) { $0 + $1.amountUnits } == parent.amountUnits)
            }
            if splitRows { #expect(t.leaves.reduce(Int64(0)) { $0 + $1.amountUnits } == Int64(total)) }
        }
    }
}
