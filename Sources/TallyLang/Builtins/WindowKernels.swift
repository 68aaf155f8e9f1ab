import TallyCore

/// Typed loops of the window functions (`running_sum`, `lag`, `rank`...): each walks the rows
/// in their current order, restarting per group. `groups` holds one group number per row
/// (0..<groupCount; all zeros for one group); `valid` marks the non-empty cells (nil: all).
/// No cell is boxed into a `Value`.
enum WindowKernels {
    /// The total of the non-empty values so far in the row's group; an empty cell keeps the
    /// previous total (0 before the group's first value).
    static func runningSum(_ xs: [Double], _ valid: Bitmap?, _ groups: [Int32], _ groupCount: Int) -> [Double] {
        var acc = [CompensatedSum](repeating: CompensatedSum(), count: max(groupCount, 1))
        var out = [Double](repeating: 0, count: xs.count)
        for i in 0..<xs.count {
            let g = Int(groups[i])
            if valid?[i] ?? true { acc[g].add(xs[i]) }
            out[i] = acc[g].value
        }
        return out
    }

    /// How many rows (or non-empty cells, with `valid`) so far in the row's group, the row included.
    static func runningCount(_ n: Int, _ valid: Bitmap?, _ groups: [Int32], _ groupCount: Int) -> [Double] {
        var acc = [Double](repeating: 0, count: max(groupCount, 1))
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let g = Int(groups[i])
            if valid?[i] ?? true { acc[g] += 1 }
            out[i] = acc[g]
        }
        return out
    }

    /// For each row, the row `k` places earlier in its group (later when `k` is negative), -1 where none.
    static func shifted(_ groups: [Int32], _ groupCount: Int, by k: Int) -> [Int] {
        let n = groups.count
        var out = [Int](repeating: -1, count: n)
        guard k != 0 else { return Array(0..<n) }
        let (offsets, rows) = members(groups, groupCount)
        for g in 0..<max(groupCount, 1) {
            let lo = offsets[g], hi = offsets[g + 1]
            for p in lo..<hi {
                let q = p - k
                if q >= lo, q < hi { out[rows[p]] = rows[q] }
            }
        }
        return out
    }

    /// The rows of each group in order: group g is `rows[offsets[g]..<offsets[g + 1]]` (a stable counting sort).
    static func members(_ groups: [Int32], _ groupCount: Int) -> (offsets: [Int], rows: [Int]) {
        let count = max(groupCount, 1)
        var offsets = [Int](repeating: 0, count: count + 1)
        for g in groups { offsets[Int(g) + 1] += 1 }
        for g in 0..<count { offsets[g + 1] += offsets[g] }
        var next = Array(offsets.dropLast())
        var rows = [Int](repeating: 0, count: groups.count)
        for (i, g) in groups.enumerated() {
            rows[next[Int(g)]] = i
            next[Int(g)] += 1
        }
        return (offsets, rows)
    }

    /// Ranks within each group: 1 for the smallest key (the largest when `descending`); equal
    /// keys share the lowest rank (SQL RANK: 1, 1, 3) or, `dense`, the next (1, 1, 2).
    /// Rows whose key is not valid get 0 (they are left empty).
    static func ranks(_ keys: [Double], _ valid: [Bool], _ groups: [Int32], descending: Bool, dense: Bool) -> [Double] {
        var order = (0..<keys.count).filter { valid[$0] }
        order.sort { a, b in
            if groups[a] != groups[b] { return groups[a] < groups[b] }
            if keys[a] != keys[b] { return descending ? keys[a] > keys[b] : keys[a] < keys[b] }
            return a < b
        }
        var out = [Double](repeating: 0, count: keys.count)
        var position = 0, rank = 0
        var previous: Int?
        for i in order {
            if let p = previous, groups[p] == groups[i] {
                position += 1
                if keys[p] != keys[i] { rank = dense ? rank + 1 : position }
            } else {
                position = 1
                rank = 1
            }
            out[i] = Double(rank)
            previous = i
        }
        return out
    }

    /// The total of the non-empty values of each group.
    static func totals(_ xs: [Double], _ valid: Bitmap?, _ groups: [Int32], _ groupCount: Int) -> [Double] {
        var acc = [CompensatedSum](repeating: CompensatedSum(), count: max(groupCount, 1))
        for i in 0..<xs.count where valid?[i] ?? true { acc[Int(groups[i])].add(xs[i]) }
        return acc.map(\.value)
    }

    /// The average of the non-empty values among the row and the `width - 1` rows before it in
    /// its group (fewer at the start of a group); nil where the window holds no value.
    static func movingAverage(_ xs: [Double], _ valid: Bitmap?, _ groups: [Int32], _ groupCount: Int, width: Int) -> [Double?] {
        var out = [Double?](repeating: nil, count: xs.count)
        let (offsets, rows) = members(groups, groupCount)
        for g in 0..<max(groupCount, 1) {
            let lo = offsets[g], hi = offsets[g + 1]
            var sum = CompensatedSum()
            var count = 0
            for p in lo..<hi {
                let i = rows[p]
                if valid?[i] ?? true { sum.add(xs[i]); count += 1 }
                if p - width >= lo {
                    let j = rows[p - width]
                    if valid?[j] ?? true { sum.add(-xs[j]); count -= 1 }
                }
                out[i] = count > 0 ? sum.value / Double(count) : nil
            }
        }
        return out
    }
}
