import Testing
@testable import TallyCore

/// `Table.sortedRows` (a counting sort per key) against a plain comparison sort of the
/// same rules: each key ascending or descending, empty cells last either way, stable.
struct SortedRowsTests {
    /// A column of `n` cells drawn from few numbers, texts or dates, with some empty.
    static func column(_ kind: Int, _ n: Int, _ rng: inout SystemRandomNumberGenerator) -> Column {
        Column(values: (0..<n).map { _ -> Value in
            if Int.random(in: 0..<6, using: &rng) == 0 { return .empty }
            let k = Int.random(in: 0..<5, using: &rng)
            switch kind {
            case 0: return .num(Double(k) - 2)
            case 1: return .text(["b", "a", "B", "北", "ab"][k])
            default: return .date(TallyDate(days: Int32(k * 40 - 60)))
            }
        })
    }

    /// The reference: compare cell by cell with `<` of each type, empties last, then the row.
    static func reference(_ keys: [(column: Column, descending: Bool)], rows n: Int) -> [Int] {
        func less(_ x: Value, _ y: Value) -> Bool {
            switch (x, y) {
            case (.number(let a, _), .number(let b, _)): return a < b
            case (.text(let a), .text(let b)): return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
            case (.date(let a), .date(let b)): return a.days < b.days
            default: return false
            }
        }
        return (0..<n).sorted { a, b in
            for k in keys {
                let x = k.column[a], y = k.column[b]
                if x.isEmpty && y.isEmpty { continue }
                if x.isEmpty { return false }
                if y.isEmpty { return true }
                if less(x, y) { return !k.descending }
                if less(y, x) { return k.descending }
            }
            return a < b
        }
    }

    @Test func matchesAComparisonSortOnRandomColumns() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let n = Int.random(in: 0..<40, using: &rng)
            let keys = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                (column: Self.column(Int.random(in: 0..<3, using: &rng), n, &rng), descending: Bool.random(using: &rng))
            }
            let t = Table(names: keys.indices.map { "k\($0)" }, columns: keys.map(\.column)) ?? Table()
            let got = t.sortedRows(by: keys)
            let want = Self.reference(keys, rows: n)
            #expect(got == want, "\(keys.map { ($0.column.values, $0.descending) })")
        }
    }
}
