import TallyCore

/// Typed one-pass reductions of a column per group, for `group(...)` over millions of rows.
/// An aggregate built-in names its kernel (`Builtin.groupKernel`); nil from a kernel (a
/// column it does not handle) takes the general path, which calls the function per group.
enum GroupKernels {
    static func sum(_ c: Column, _ g: Grouping) -> Column? {
        guard let (sums, _) = sumsAndCounts(c, g) else { return nil }
        return .numbers(sums, format: c.format)
    }

    static func average(_ c: Column, _ g: Grouping) -> Column? {
        guard let (sums, counts) = sumsAndCounts(c, g) else { return nil }
        if !counts.contains(0) { return .numbers(zip(sums, counts).map { $0 / $1 }, format: c.format) }
        return Column(values: zip(sums, counts).map { s, n in
            n > 0 ? .number(s / n, c.format) : .error(ErrorValue(.divisionByZero, "avg of no values"))
        })
    }

    /// Non-empty cells per group, of any type.
    static func count(_ c: Column, _ g: Grouping) -> Column? {
        if case .number = c.storage, let (_, counts) = sumsAndCounts(c, g) { return .numbers(counts) }
        var counts = [Double](repeating: 0, count: g.groupCount)
        for (i, k) in g.groupOfRow.enumerated() where !c[i].isEmpty { counts[Int(k)] += 1 }
        return .numbers(counts)
    }

    static func min(_ c: Column, _ g: Grouping) -> Column? { extreme(c, g, smallest: true) }
    static func max(_ c: Column, _ g: Grouping) -> Column? { extreme(c, g, smallest: false) }

    /// Compensated sums and counts side by side: one cache line per row when groups are many.
    private static func sumsAndCounts(_ c: Column, _ grouping: Grouping) -> ([Double], [Double])? {
        guard case .number(let cells) = c.storage else { return nil }
        let xs = cells.doubles
        let valid = c.validity
        var acc = [(sum: CompensatedSum, count: Double)](repeating: (CompensatedSum(), 0), count: grouping.groupCount)
        acc.withUnsafeMutableBufferPointer { a in
            xs.withUnsafeBufferPointer { x in
                grouping.groupOfRow.withUnsafeBufferPointer { g in
                    if let valid {
                        for i in 0..<x.count where valid[i] { a[Int(g[i])].sum.add(x[i]); a[Int(g[i])].count += 1 }
                    } else {
                        for i in 0..<x.count { a[Int(g[i])].sum.add(x[i]); a[Int(g[i])].count += 1 }
                    }
                }
            }
        }
        return (acc.map(\.sum.value), acc.map(\.count))
    }

    private static func extreme(_ c: Column, _ grouping: Grouping, smallest: Bool) -> Column? {
        guard case .number(let cells) = c.storage else { return nil }
        let xs = cells.doubles
        let groups = grouping.groupCount
        var best = [Double](repeating: smallest ? .infinity : -.infinity, count: groups)
        var seen = [Bool](repeating: false, count: groups)
        for (i, k) in grouping.groupOfRow.enumerated() where c.isValid(i) {
            let g = Int(k)
            if smallest ? xs[i] < best[g] : xs[i] > best[g] { best[g] = xs[i] }
            seen[g] = true
        }
        if !seen.contains(false) { return .numbers(best, format: c.format) }
        return Column(storage: .number(NumberCells(best.map { $0.isFinite ? $0 : 0 })), validity: Bitmap(seen), format: c.format)
    }
}
