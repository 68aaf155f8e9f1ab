import Testing
@testable import TallyCore

/// Narrow number cells: each keeps its numbers exactly, and reads as the doubles it holds.
@Suite struct NumberCellsTests {
    static let widths: [(cells: [Double], width: Int)] = [
        ([1, 2, 3, 4, 5], 1),
        ([0, 255], 1),
        ([0, 256], 2),
        ([65_535], 2),
        ([65_536], 4),
        ([-1, 3], 4),
        ([-2_147_483_647, 2_147_483_647], 4),
        ([2_147_483_648], 8),
        ([-2_147_483_648], 4),
        ([0.5, 1], 8),
        ([-0.0, 1], 8),
        ([.nan], 8),
        ([.infinity], 8),
        ([1e308], 8),
        ([5e-324], 8),
        ([], 1),
    ]

    @Test(arguments: widths)
    func narrowestKeepsEachNumberExactly(_ c: (cells: [Double], width: Int)) {
        let n = NumberCells.narrowest(c.cells)
        #expect(n.byteCount == c.cells.count * c.width)
        #expect(n.count == c.cells.count)
        #expect(n.doubles.map(\.bitPattern) == c.cells.map(\.bitPattern))
        for i in c.cells.indices { #expect(n.value(at: i).bitPattern == c.cells[i].bitPattern) }
        #expect(n.isNarrow == (c.width < 8))
    }

    @Test func equalWhateverTheWidth() {
        let wide = NumberCells([1, 2, 300])
        #expect(wide == NumberCells.narrowest([1, 2, 300]))
        #expect(NumberCells(bytes: [1, 2]) == NumberCells(words: [1, 2]))
        #expect(NumberCells(bytes: [1, 2]) != NumberCells([1, 2.5]))
        #expect(NumberCells(bytes: [1, 2]) != NumberCells([1, 2, 3]))
    }

    @Test func gatherKeepsTheWidthAndPadsWithZero() {
        let n = NumberCells(halves: [10, 20, 30])
        let g = n.gather([2, -1, 0])
        #expect(g.byteCount == 6)
        #expect(g.doubles == [30, 0, 10])
    }

    @Test func aNarrowColumnReadsAsNumbers() {
        let c = Column(storage: .number(NumberCells(bytes: [3, 0, 5])), validity: Bitmap([true, false, true]))
        #expect(c.values == [.num(3), .empty, .num(5)])
        #expect(c.gather([2, 0]).values == [.num(5), .num(3)])
        #expect(c == Column(values: [.num(3), .empty, .num(5)]))
        #expect(c.widened().typedStorage == c.typedStorage)
        guard case .number(let w) = c.widened().typedStorage else { Issue.record("not numbers"); return }
        #expect(!w.isNarrow)
    }

    static let built: [(cells: [Double], width: Int)] = [
        ([1, 2, 3], 1),
        ([1, 300, 2], 2),
        ([1, 300, 70_000], 4),
        ([1, -1, 300], 4),
        ([1, 300, 0.5, 2], 8),
        ([1, 300, 70_000, 1e10], 8),
        ([7, -0.0], 8),
        ([0, .nan, 1], 8),
        ([255, 256, -2_147_483_647], 4),
        ([.infinity], 8),
        ([5e-324, 1], 8),
        ([], 1),
    ]

    @Test(arguments: built)
    func aBuilderWidensOnlyAsFarAsItsCellsNeed(_ c: (cells: [Double], width: Int)) {
        var b = NumberCellsBuilder()
        for x in c.cells { b.append(x) }
        let n = b.finish()
        #expect(b.count == c.cells.count)
        #expect(n.byteCount == c.cells.count * c.width)
        #expect(n.doubles.map(\.bitPattern) == c.cells.map(\.bitPattern))
    }
}
