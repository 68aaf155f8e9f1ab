extension Table {
    /// Row indices in the order of the keys (each ascending or descending), stable:
    /// rows that tie on every key keep their order. Empty cells sort last either way.
    public func sortedRows(by keys: [(column: Column, descending: Bool)]) -> [Int] {
        sortedRows(by: keys, check: { () throws(Never) in })
    }

    /// `sortedRows(by:)`, calling `check` between passes; an error it throws stops the sort
    /// (Ctrl-C) and is thrown from here.
    ///
    /// Each key becomes its dense ranks (empty cells last, descending keys reversed), and the
    /// rows are ordered by a stable counting sort on each key from the last to the first (an
    /// LSD radix sort): O(keys x (rows + distinct values)), where a comparison sort with a
    /// closure over several rank arrays took seconds per million rows.
    public func sortedRows<E: Error>(by keys: [(column: Column, descending: Bool)], check: () throws(E) -> Void) throws(E) -> [Int] {
        let n = rowCount
        var order = Array(0..<n)
        guard n > 1 else { return order }
        var next = [Int](repeating: 0, count: n)
        for k in keys.reversed() {
            let (ranks, count) = k.column.denseRanks()
            try check()
            // Dense ranks put an empty cell at the highest rank, count - 1.
            let values = k.column.emptyCount > 0 ? count - 1 : count
            var starts = [Int](repeating: 0, count: values + 2)
            ranks.withUnsafeBufferPointer { r in
                order.withUnsafeBufferPointer { o in
                    next.withUnsafeMutableBufferPointer { out in
                        starts.withUnsafeMutableBufferPointer { at in
                            @inline(__always) func bucket(_ x: Int32) -> Int {
                                let v = Int(x)
                                return v >= values ? values : (k.descending ? values - 1 - v : v)
                            }
                            for i in o { at[bucket(r[i]) + 1] += 1 }
                            for b in 0..<(values + 1) { at[b + 1] += at[b] }
                            for i in o {
                                let b = bucket(r[i])
                                out[at[b]] = i
                                at[b] += 1
                            }
                        }
                    }
                }
            }
            swap(&order, &next)
            try check()
        }
        return order
    }

    /// The rows where `mask` is true.
    public func filtered(_ mask: [Bool]) -> Table {
        var idx: [Int] = []
        idx.reserveCapacity(mask.count)
        for (i, m) in mask.enumerated() where m { idx.append(i) }
        return gather(idx)
    }

    /// The columns a consumer will read (all when `wanted` is nil), so that filtering or
    /// gathering skips the rest. With none wanted, the narrowest column stays to keep the
    /// row count.
    public func projected(to wanted: Set<String>?) -> Table {
        // A name the table lacks is left for the reader to report, with every column in view.
        guard let wanted, wanted.count < names.count, wanted.allSatisfy(names.contains) else { return self }
        let kept = names.filter { wanted.contains($0) }
        if !kept.isEmpty { return selecting(kept) ?? self }
        let narrowest = columns.indices.min { Table.width(columns[$0]) < Table.width(columns[$1]) }
        return narrowest.flatMap { Table(names: [names[$0]], columns: [columns[$0]]) } ?? self
    }

    private static func width(_ c: Column) -> Int {
        switch c.typedStorage {
        case .bool: return 1
        case .text, .date: return 4
        case .number: return 8
        case .mixed: return 40
        }
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
