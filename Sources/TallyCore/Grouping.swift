/// Rows assigned to groups by the values of key columns. Groups are numbered in
/// ascending key order (empty keys last), so grouped output is deterministic.
public struct Grouping: Sendable {
    /// The group of each row.
    public let groupOfRow: [Int32]
    public let groupCount: Int
    /// One row of each group (its first), to read the key values from.
    public let firstRow: [Int]
    /// Rows in each group.
    public let sizes: [Int]

    public init(keys: [Column], rowCount: Int) {
        self.init(keys: keys, rowCount: rowCount, check: { () throws(Never) in })
    }

    /// Groups the rows, calling `check` between phases and every 65,536 rows so that a
    /// caller can stop a long grouping (Ctrl-C) by throwing from it.
    public init<E: Error>(keys: [Column], rowCount: Int, check: () throws(E) -> Void) throws(E) {
        guard !keys.isEmpty else {
            groupOfRow = [Int32](repeating: 0, count: rowCount)
            groupCount = rowCount > 0 ? 1 : 0
            firstRow = rowCount > 0 ? [0] : []
            sizes = rowCount > 0 ? [rowCount] : []
            return
        }
        var (ids, cardinality) = try keys[0].denseRanks(check: check)
        try check()
        for k in keys.dropFirst() {
            let (r, c) = try k.denseRanks(check: check)
            try check()
            // Combine lexicographically, then compact the combined ids to dense ranks.
            let span = Int64(cardinality) * Int64(max(c, 1))
            if span <= Int64(max(rowCount, 1 << 16)) {
                // Few combinations: index an array by the combined rank instead of hashing.
                var dense = [Int32](repeating: -1, count: Int(span))
                for i in 0..<rowCount {
                    if i & 0xFFFF == 0 { try check() }
                    dense[Int(Int64(ids[i]) * Int64(max(c, 1)) + Int64(r[i]))] = 0
                }
                var next: Int32 = 0
                for j in 0..<dense.count where dense[j] == 0 { dense[j] = next; next += 1 }
                for i in 0..<rowCount {
                    if i & 0xFFFF == 0 { try check() }
                    ids[i] = dense[Int(Int64(ids[i]) * Int64(max(c, 1)) + Int64(r[i]))]
                }
                cardinality = Int(next)
                continue
            }
            var combined = [Int64](repeating: 0, count: rowCount)
            for i in 0..<rowCount {
                if i & 0xFFFF == 0 { try check() }
                combined[i] = Int64(ids[i]) * Int64(max(c, 1)) + Int64(r[i])
            }
            var seen: [Int64: Int32] = [:]
            var uniques: [Int64] = []
            for (i, x) in combined.enumerated() where seen[x] == nil {
                if i & 0xFFFF == 0 { try check() }
                seen[x] = 0; uniques.append(x)
            }
            try check()
            uniques.sort()
            for (j, u) in uniques.enumerated() { seen[u] = Int32(j) }
            for i in 0..<rowCount {
                if i & 0xFFFF == 0 { try check() }
                ids[i] = seen[combined[i]] ?? 0
            }
            cardinality = uniques.count
        }
        // First row and size of each group in one pass (one cache line per row).
        var info = [(first: Int32, size: Int32)](repeating: (-1, 0), count: cardinality)
        var end = rowCount
        while end > 0 {
            let start = Swift.max(0, end - 0x10000)
            info.withUnsafeMutableBufferPointer { f in
                ids.withUnsafeBufferPointer { id in
                    for i in stride(from: end - 1, through: start, by: -1) {
                        let g = Int(id[i])
                        f[g].first = Int32(truncatingIfNeeded: i)
                        f[g].size &+= 1
                    }
                }
            }
            end = start
            try check()
        }
        var first = info.map { Int($0.first) }
        var size = info.map { Int($0.size) }
        // Ranks over a single key may leave gaps only when nothing is missing; compact anyway.
        if first.contains(-1) {
            var remap = [Int32](repeating: 0, count: cardinality)
            var next: Int32 = 0
            var compact: [Int] = [], compactSize: [Int] = []
            for g in 0..<cardinality where first[g] >= 0 {
                remap[g] = next; next += 1; compact.append(first[g]); compactSize.append(size[g])
            }
            for i in 0..<rowCount { ids[i] = remap[Int(ids[i])] }
            first = compact
            size = compactSize
            cardinality = Int(next)
        }
        groupOfRow = ids
        groupCount = cardinality
        firstRow = first
        sizes = size
    }

    /// Rows of each group, in row order (a counting sort).
    public func rowsByGroup() -> (offsets: [Int], rows: [Int]) {
        var offsets = [Int](repeating: 0, count: groupCount + 1)
        for g in groupOfRow { offsets[Int(g) + 1] += 1 }
        for g in 0..<groupCount { offsets[g + 1] += offsets[g] }
        var fill = offsets
        var rows = [Int](repeating: 0, count: groupOfRow.count)
        for (i, g) in groupOfRow.enumerated() {
            rows[fill[Int(g)]] = i
            fill[Int(g)] += 1
        }
        return (offsets, rows)
    }
}
