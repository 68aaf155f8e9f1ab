/// Rows assigned to groups by the values of key columns. Groups are numbered in
/// ascending key order (empty keys last), so grouped output is deterministic.
public struct Grouping: Sendable {
    /// The group of each row.
    public let groupOfRow: [Int32]
    public let groupCount: Int
    /// One row of each group (its first), to read the key values from.
    public let firstRow: [Int]

    public init(keys: [Column], rowCount: Int) {
        guard !keys.isEmpty else {
            groupOfRow = [Int32](repeating: 0, count: rowCount)
            groupCount = rowCount > 0 ? 1 : 0
            firstRow = rowCount > 0 ? [0] : []
            return
        }
        var (ids, cardinality) = keys[0].denseRanks()
        for k in keys.dropFirst() {
            let (r, c) = k.denseRanks()
            // Combine lexicographically, then compact the combined ids to dense ranks.
            var combined = [Int64](repeating: 0, count: rowCount)
            for i in 0..<rowCount { combined[i] = Int64(ids[i]) * Int64(max(c, 1)) + Int64(r[i]) }
            var seen: [Int64: Int32] = [:]
            var uniques: [Int64] = []
            for x in combined where seen[x] == nil { seen[x] = 0; uniques.append(x) }
            uniques.sort()
            for (j, u) in uniques.enumerated() { seen[u] = Int32(j) }
            for i in 0..<rowCount { ids[i] = seen[combined[i]] ?? 0 }
            cardinality = uniques.count
        }
        var first = [Int](repeating: -1, count: cardinality)
        for i in 0..<rowCount where first[Int(ids[i])] < 0 { first[Int(ids[i])] = i }
        // Ranks over a single key may leave gaps only when nothing is missing; compact anyway.
        if first.contains(-1) {
            var remap = [Int32](repeating: 0, count: cardinality)
            var next: Int32 = 0
            var compact: [Int] = []
            for g in 0..<cardinality where first[g] >= 0 { remap[g] = next; next += 1; compact.append(first[g]) }
            for i in 0..<rowCount { ids[i] = remap[Int(ids[i])] }
            first = compact
            cardinality = Int(next)
        }
        groupOfRow = ids
        groupCount = cardinality
        firstRow = first
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
