extension Table {
    /// Row indices in the order of the keys (each ascending or descending), stable:
    /// rows that tie on every key keep their order. Empty cells sort last either way.
    public func sortedRows(by keys: [(column: Column, descending: Bool)]) -> [Int] {
        let ranked = keys.map { k -> ([Int32], Int32, Bool) in
            let (r, c) = k.column.denseRanks()
            return (r, k.column.emptyCount > 0 ? Int32(c - 1) : Int32.max, k.descending)
        }
        return (0..<rowCount).sorted { a, b in
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

    /// The rows where `mask` is true.
    public func filtered(_ mask: [Bool]) -> Table {
        var idx: [Int] = []
        idx.reserveCapacity(mask.count)
        for (i, m) in mask.enumerated() where m { idx.append(i) }
        return gather(idx)
    }

    /// The named columns, in that order. Nil when one is missing.
    public func selecting(_ wanted: [String]) -> Table? {
        var cols: [Column] = []
        for n in wanted {
            guard let c = column(named: n) else { return nil }
            cols.append(c)
        }
        return Table(names: wanted, columns: cols)
    }
}
