import Foundation
import Testing
@testable import TallyCore

/// The counting sort behind `sort` against the comparison it replaced, the Ctrl-C checks
/// of the long core loops, and the noun after a count.
struct SortAndStopTests {
    struct Stop: Error {}

    /// The comparison sort `sortedRows` used before: stable, empties last either way.
    static func reference(_ t: Table, _ keys: [(column: Column, descending: Bool)]) -> [Int] {
        let ranked = keys.map { k -> ([Int32], Int32, Bool) in
            let (r, c) = k.column.denseRanks()
            return (r, k.column.emptyCount > 0 ? Int32(c - 1) : Int32.max, k.descending)
        }
        return (0..<t.rowCount).sorted { a, b in
            for (r, emptyRank, desc) in ranked {
                let x = r[a], y = r[b]
                if x == y { continue }
                if x == emptyRank { return false }
                if y == emptyRank { return true }
                return desc ? x > y : x < y
            }
            return a < b
        }
    }

    static let texts: [Value] = ["b", "a", "", "c", "a", "b", "", "c", "a", "b", "a", "c"].map { $0.isEmpty ? .empty : .text($0) }
    static let numbers: [Value] = [3, 1, 2, 3, -1, 2, 0, 5, 1, 3, 2, 4].map { .num($0) }
    static let dates: [Value] = [5, 3, 5, 1, 3, 0, 9, 9, 1, 5, 3, 2].map { $0 == 0 ? .empty : .date(TallyDate(days: Int32($0))) }

    @Test(arguments: [
        [(0, false)], [(0, true)], [(1, false)], [(1, true)], [(2, true)],
        [(0, false), (1, true)], [(0, true), (1, false)], [(2, false), (0, true), (1, true)], [(1, true), (2, true)],
    ])
    func countingSortMatchesTheComparisonSort(_ spec: [(Int, Bool)]) {
        let cols = [Column(values: Self.texts), Column(values: Self.numbers), Column(values: Self.dates)]
        let t = Table(names: ["s", "x", "d"], columns: cols) ?? Table()
        let keys = spec.map { (column: cols[$0.0], descending: $0.1) }
        #expect(t.sortedRows(by: keys) == Self.reference(t, keys))
    }

    @Test func aLargeSortMatchesTheComparisonSort() {
        var g = SystemRandomNumberGenerator()
        let n = 70_000   // past one 65,536-row slice
        let a = Column(values: (0..<n).map { _ in Int.random(in: 0..<50, using: &g) == 0 ? .empty : .num(Double(Int.random(in: 0..<300, using: &g))) })
        let b = Column(values: (0..<n).map { _ in .text("k\(Int.random(in: 0..<40, using: &g))") })
        let t = Table(names: ["a", "b"], columns: [a, b]) ?? Table()
        let keys = [(column: b, descending: true), (column: a, descending: false)]
        #expect(t.sortedRows(by: keys) == Self.reference(t, keys))
    }

    @Test func aThrowingCheckStopsSortRanksGroupingAndGather() {
        let n = 200_000
        let x = Column.numbers((0..<n).map { Double($0 % 977) })
        let t = Table(names: ["x"], columns: [x]) ?? Table()
        var calls = 0
        let stopOnSecond = { () throws(Stop) in calls += 1; if calls > 1 { throw Stop() } }
        #expect(throws: Stop.self) { _ = try t.sortedRows(by: [(x, false)], check: stopOnSecond) }
        calls = 0
        #expect(throws: Stop.self) { _ = try x.denseRanks(check: stopOnSecond) }
        calls = 0
        #expect(throws: Stop.self) { _ = try Grouping(keys: [x], rowCount: n, check: stopOnSecond) }
        calls = 0
        let wide = Table(names: ["x", "y"], columns: [x, x]) ?? Table()
        #expect(throws: Stop.self) { _ = try wide.gather(Array(0..<n), check: stopOnSecond) }
    }

    /// 100,000 different ids, shuffled: the dictionary sort makes over a million comparisons.
    static let ids: Column = {
        var g = SystemRandomNumberGenerator()
        return Column(values: (0..<100_000).map { Value.text("C\(String(format: "%06d", $0))") }.shuffled(using: &g))
    }()

    /// A check that throws at its `k`-th call stops the text ranks (in the dictionary sort or
    /// around it), a two-key grouping and the distinct text count, whichever call it is; a
    /// check that never throws changes no result.
    @Test(arguments: [1, 2, 3, 5, 10, 20])
    func aThrowingCheckStopsTextRanksTwoKeysAndDistinctTexts(_ k: Int) throws {
        let channel = Column(values: (0..<100_000).map { Value.text(["JD", "Tmall", "Douyin"][$0 % 3]) })
        let runs: [(String, (() throws(Stop) -> Void) throws(Stop) -> Void)] = [
            ("ranks", { check throws(Stop) in _ = try Self.ids.denseRanks(check: check) }),
            ("two keys", { check throws(Stop) in _ = try Grouping(keys: [channel, Self.ids], rowCount: 100_000, check: check) }),
            ("distinct texts", { check throws(Stop) in _ = try Column.distinctTextCount([Self.ids], check: check) }),
        ]
        for (name, run) in runs {
            var calls = 0
            try run { () throws(Stop) in calls += 1 }
            let asked = calls
            calls = 0
            if k <= asked {
                #expect(throws: Stop.self, "\(name)") { try run { () throws(Stop) in calls += 1; if calls >= k { throw Stop() } } }
            }
        }
        let never = { () throws(Stop) in }
        let (ranks, count) = try Self.ids.denseRanks(check: never)
        #expect(count == 100_000 && ranks == Self.ids.denseRanks().ranks)
        #expect(try Column.distinctTextCount([Self.ids, channel], check: never) == 100_003)
    }

    @Test(arguments: [
        (0, "row", nil, "rows"), (1, "row", nil, "row"), (2, "row", nil, "rows"),
        (1, "leaf", "leaves", "leaf"), (3, "leaf", "leaves", "leaves"),
    ] as [(Int, String, String?, String)])
    func theNounAfterACount(_ n: Int, _ singular: String, _ plural: String?, _ expected: String) {
        #expect(Plural.noun(n, singular, plural) == expected)
    }

    @Test func theNounAfterAnAmount() {
        #expect(Plural.noun(1.0, "day") == "day")
        #expect(Plural.noun(1.5, "day") == "days")
        #expect(Plural.noun(0.0, "order") == "orders")
    }
}
