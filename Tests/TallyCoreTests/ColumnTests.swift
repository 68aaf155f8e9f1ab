import Testing
@testable import TallyCore

struct ColumnTests {
    @Test("a column takes the narrowest type that holds its values", arguments: [
        ([Value.num(1), .num(2)], "number"),
        ([.text("a"), .empty, .text("b")], "text"),
        ([.date(TallyDate(days: 1)), .empty], "date"),
        ([.bool(true), .bool(false)], "boolean"),
        ([.num(1), .text("a")], "mixed"),
        ([.empty, .empty], "number"),
    ])
    func inference(_ values: [Value], _ type: String) {
        let c = Column(values: values)
        #expect(c.typeName == type)
        #expect(c.count == values.count)
        #expect(c.values == values)
    }

    @Test func textIsDictionaryEncoded() {
        let c = Column(values: [.text("JD"), .text("Tmall"), .text("JD")])
        guard case .text(let codes, let dict) = c.storage else { Issue.record("not text"); return }
        #expect(dict == ["JD", "Tmall"])
        #expect(codes == [0, 1, 0])
    }

    @Test func gatherKeepsValidity() {
        let c = Column(values: [.num(1), .empty, .num(3)])
        #expect(c.gather([2, 1, 0]).values == [.num(3), .empty, .num(1)])
    }

    @Test func bitmapCountsAndAppends() {
        var b = Bitmap(count: 70, value: true)
        #expect(b.nonzeroCount == 70)
        b[3] = false
        b.append(false)
        b.append(true)
        #expect(b.count == 72)
        #expect(b.nonzeroCount == 70)
        #expect(!b[3] && !b[70] && b[71])
    }

    @Test func compensatedSumIsExactToTheCent() {
        var s = CompensatedSum()
        var naive = 0.0
        for _ in 0..<1_000_000 { s.add(0.1); naive += 0.1 }
        #expect(s.value == 100_000.0)
        #expect(naive != 100_000.0)
    }

    @Test func tablesRefuseRaggedColumns() {
        #expect(Table(names: ["a", "b"], columns: [.numbers([1, 2]), .numbers([1])]) == nil)
        #expect(Table(names: ["a", "a"], columns: [.numbers([1]), .numbers([1])]) == nil)
        let t = Table(names: ["a"], columns: [.numbers([1, 2])])
        #expect(t?.rowCount == 2)
        #expect(t?.setting("b", to: .numbers([3, 4]))?.names == ["a", "b"])
        #expect(t?.setting("b", to: .numbers([3])) == nil)
    }
}

struct ColumnStatsTests {
    @Test("distinct non-empty values", arguments: [
        ([Value.num(1), .num(2), .num(1), .empty, .num(0), .num(-0.0)], 3),
        ([.text("a"), .text("b"), .text("a"), .empty], 2),
        ([.date(TallyDate(days: 5)), .date(TallyDate(days: 5)), .date(TallyDate(days: 6))], 2),
        ([.bool(true), .bool(true)], 1),
        ([.num(1), .text("1"), .num(1)], 2),
        ([.empty, .empty], 0),
    ])
    func distinct(_ values: [Value], _ expected: Int) {
        #expect(Column(values: values).distinctCount() == expected)
    }

    @Test func manyDistinctNumbersGrowTheSet() {
        var set = DistinctNumbers()
        for i in 0..<100_000 { set.insert(Double(i % 70_000) * 0.5) }
        #expect(set.count == 70_000)
    }

    @Test func usedCodesIgnoreFilteredRows() {
        let c = Column(values: [.text("a"), .text("b"), .text("c")]).gather([0, 2])
        #expect(c.usedCodes() == [true, false, true])
    }
}
