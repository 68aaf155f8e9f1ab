import Testing
@testable import TallyCore

/// Found by the eval fuzzer (`scripts/fuzz`): grouping by a column whose cells are tables
/// printed every table by reflection, twice per row (a 1 s hang with eight 5,000-row tables).
struct RankFuzzFindingsTests {
    static func table(_ xs: [Double]) -> Table {
        Table(names: ["x"], columns: [Column.numbers(xs)]) ?? Table()
    }

    @Test func equalTablesShareARankAndOthersDoNot() {
        let a = Self.table([1, 2, 3]), b = Self.table([1, 2, 4])
        let c = Column(values: [.table(a), .num(5), .table(b), .table(a), .empty, .list([.num(1)])])
        let (ranks, count) = c.denseRanks()
        #expect(count == 5)
        #expect(ranks[0] == ranks[3])
        #expect(Set([ranks[0], ranks[1], ranks[2], ranks[5]]).count == 4)
        #expect(ranks[4] == 4)
        // Numbers first, then the containers.
        #expect(ranks[1] == 0)
    }

    @Test func aColumnOfLargeTablesRanksQuickly() {
        let big = Self.table((0..<20_000).map(Double.init))
        let c = Column(values: Array(repeating: .table(big), count: 200) + [.table(Self.table([1]))])
        let start = ContinuousClock.now
        let (ranks, count) = c.denseRanks()
        #expect(count == 2)
        #expect(Set(ranks.prefix(200)).count == 1)
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func keysOfDifferentContainersDiffer() {
        let keys = [
            Value.list([.num(1), .num(2)]), .list([.num(1)]), .list([.text("1")]),
            .record(Record([(name: "a", value: .num(1))])), .record(Record([(name: "b", value: .num(1))])),
            .table(Self.table([1])), .table(Self.table([2])), .column(Column.numbers([1])),
        ].map(Column.sortKey)
        #expect(Set(keys).count == keys.count)
        #expect(keys.allSatisfy { $0.hasPrefix("4") })
    }
}
