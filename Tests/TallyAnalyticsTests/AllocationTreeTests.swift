import Testing
@testable import TallyAnalytics

/// Goal trees and tiers: SEEDS.md sections 1, 2 and 3.
struct AllocationTreeTests {
    @Test("SEEDS.md 2: 12000 by tier 40/35/25%, equally within")
    func seedTiers() throws {
        let keys = ["agent_1", "agent_2", "agent_3", "agent_4", "agent_5", "agent_6"]
        let tiers = ["low", "high", "medium", "low", "medium", "high"]
        let result = try Allocation.tiers(total: 12000, keys: keys, tierOfRow: tiers,
                                          tierWeights: [("high", 0.40), ("medium", 0.35), ("low", 0.25)])
        let byKey = Dictionary(uniqueKeysWithValues: result.rows.map { ($0.key, $0.amount) })
        #expect(byKey == ["agent_6": 2400, "agent_2": 2400, "agent_5": 2100, "agent_3": 2100, "agent_4": 1500, "agent_1": 1500])
        #expect(result.tiers.map(\.tier) == ["high", "medium", "low"])
        #expect(result.tiers.map(\.amount) == [4800, 4200, 3000])
        #expect(result.tiers.map(\.members) == [2, 2, 2])
        #expect(abs(result.weightSum - 1) < 1e-12)
        #expect(result.rows.map(\.key) == keys)
    }

    struct AbcCase: Sendable, CustomTestStringConvertible {
        var total: Double
        var expected: [String: Double]
        var testDescription: String { "ABC classes share \(total)" }
    }

    // SEEDS.md 1: classes A/B/C get 20/50/30% of the target, divided among their members
    // (not, as the document's code does, the whole class share to every member).
    @Test("SEEDS.md 1: ABC class shares divided among members", arguments: [
        AbcCase(total: 12000, expected: ["agent_6": 2400, "agent_2": 3000, "agent_5": 3000,
                                          "agent_3": 1200, "agent_4": 1200, "agent_1": 1200]),
        AbcCase(total: 7300, expected: ["agent_6": 1460, "agent_2": 1825, "agent_5": 1825,
                                         "agent_3": 730, "agent_4": 730, "agent_1": 730]),
        // C gets 3000.3 -> 3000 units; 1000 each. A 2000.2 -> 2000, B 5000.5 -> 5001 (largest
        // remainder), split 2501 / 2500 with the odd unit to agent_2 (key order).
        AbcCase(total: 10001, expected: ["agent_6": 2000, "agent_2": 2501, "agent_5": 2500,
                                          "agent_3": 1000, "agent_4": 1000, "agent_1": 1000]),
    ])
    func abcShares(_ c: AbcCase) throws {
        let keys = ["agent_6", "agent_2", "agent_5", "agent_3", "agent_4", "agent_1"]
        let classes = ["A", "B", "B", "C", "C", "C"]
        let result = try Allocation.tiers(total: c.total, keys: keys, tierOfRow: classes,
                                          tierWeights: [("A", 0.2), ("B", 0.5), ("C", 0.3)])
        #expect(Dictionary(uniqueKeysWithValues: result.rows.map { ($0.key, $0.amount) }) == c.expected)
        #expect(result.rows.reduce(0) { $0 + $1.amount } == c.total)
    }

    @Test("the document's own ABC rule leaves class A empty: its share is refused, not lost")
    func emptyClass() {
        #expect(throws: Allocation.Failure.emptyGroup(part: "A")) {
            try Allocation.tiers(total: 12000, keys: ["agent_6", "agent_1"], tierOfRow: ["B", "C"],
                                 tierWeights: [("A", 0.2), ("B", 0.5), ("C", 0.3)])
        }
    }

    @Test("within a column, and tier refusals")
    func withinColumn() throws {
        let r = try Allocation.tiers(total: 1000, keys: ["a", "b", "c"], tierOfRow: ["x", "x", "y"],
                                     tierWeights: [("x", 3), ("y", 1), ("z", 0)], within: .weights([1, 4, 0.5]))
        #expect(r.rows.map(\.amount) == [150, 600, 250])
        #expect(r.tiers.map(\.members) == [2, 1, 0])
        #expect(throws: Allocation.Failure.missingWeight(part: "y")) {
            try Allocation.tiers(total: 10, keys: ["a", "b"], tierOfRow: ["x", "y"], tierWeights: [("x", 1)])
        }
        #expect(throws: Allocation.Failure.duplicatePart(part: "x")) {
            try Allocation.tiers(total: 10, keys: ["a"], tierOfRow: ["x"], tierWeights: [("x", 1), ("x", 2)])
        }
        #expect(throws: Allocation.Failure.allZeroWithin(group: "x")) {
            try Allocation.tiers(total: 10, keys: ["a", "b"], tierOfRow: ["x", "x"], tierWeights: [("x", 1)], within: .weights([0, 0]))
        }
        #expect(throws: Allocation.Failure.negativeWeight(part: "b")) {
            try Allocation.tiers(total: 10, keys: ["a", "b"], tierOfRow: ["x", "x"], tierWeights: [("x", 1)], within: .weights([1, -1]))
        }
        #expect(throws: Allocation.Failure.allZero) {
            try Allocation.tiers(total: 10, keys: ["a"], tierOfRow: ["x"], tierWeights: [("x", 0)])
        }
    }

    @Test("goal tree: channel then product line, each level adds up to its parent")
    func goalTree() throws {
        let paths = [["Tmall", "fridge"], ["Tmall", "washer"], ["JD", "fridge"], ["JD", "washer"], ["JD", "kitchen"], ["Douyin", "kitchen"]]
        let weights: [Double] = [30, 20, 15, 10, 5, 20]
        let t = try Allocation.tree(total: 100_000_000, paths: paths, weights: weights, unit: 10000)
        #expect(t.nodes.filter { $0.depth == 1 }.map(\.path) == [["Tmall"], ["JD"], ["Douyin"]])
        #expect(t.nodes.filter { $0.depth == 1 }.map(\.amount) == [50_000_000, 30_000_000, 20_000_000])
        #expect(t.leaves.map(\.amount) == [30_000_000, 20_000_000, 15_000_000, 10_000_000, 5_000_000, 20_000_000])
        #expect(t.leaves[3].levelAmounts == [30_000_000, 10_000_000])
        #expect(t.nodes.map(\.path) == [["Tmall"], ["Tmall", "fridge"], ["Tmall", "washer"], ["JD"], ["JD", "fridge"],
                                        ["JD", "washer"], ["JD", "kitchen"], ["Douyin"], ["Douyin", "kitchen"]])
    }

    @Test("goal tree rounds level by level: children split their parent's rounded amount")
    func levelByLevel() throws {
        // Level 1: 100 by 1:1:1 -> a 34, b 33, c 33. Level 2 splits a's 34 (not 33.33) by 1:1.
        let t = try Allocation.tree(total: 100, paths: [["a", "x"], ["a", "y"], ["b", "x"], ["c", "x"]], weights: [1, 1, 2, 2])
        #expect(t.leaves.map(\.amount) == [17, 17, 33, 33])
        // The audit quota is the quota within the parent's rounded amount.
        let quotas: [Double] = [17, 17, 33, 33]
        #expect(t.leaves.map(\.exactQuota) == quotas)
        let level1: [Double] = t.nodes.filter { $0.depth == 1 }.map(\.exactQuota)
        #expect(level1.allSatisfy { abs($0 - 100.0 / 3) < 1e-9 })
    }

    @Test("rows sharing a full path split their node by weight; zero subtrees stay zero")
    func duplicatesAndZeros() throws {
        let t = try Allocation.tree(total: 90, paths: [["a", "x"], ["a", "x"], ["b", "y"], ["b", "z"]], weights: [1, 2, 0, 0])
        #expect(t.leaves.map(\.amount) == [30, 60, 0, 0])
        #expect(t.leaves[1].levelAmounts == [90, 90])
    }

    @Test("goal tree refusals name the row")
    func treeRefusals() {
        #expect(throws: Allocation.Failure.raggedPath(row: 2)) {
            try Allocation.tree(total: 1, paths: [["a", "b"], ["c"]], weights: [1, 1])
        }
        #expect(throws: Allocation.Failure.negativeWeight(part: "JD / fridge")) {
            try Allocation.tree(total: 1, paths: [["Tmall", "fridge"], ["JD", "fridge"]], weights: [1, -1])
        }
        #expect(throws: Allocation.Failure.noParts) { try Allocation.tree(total: 1, paths: [], weights: []) }
        #expect(throws: Allocation.Failure.raggedPath(row: 1)) { try Allocation.tree(total: 1, paths: [[]], weights: [1]) }
        #expect(throws: Allocation.Failure.invalidWeight(part: "x")) { try Allocation.tree(total: 1, paths: [["x"]], weights: [.nan]) }
    }
}
