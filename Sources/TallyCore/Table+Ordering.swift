extension Table {
    /// Row indices in the order of the keys (each ascending or descending), stable:
    /// rows that tie on every key keep their order. Empty cells sort last either way.
    public func sortedRows(by keys: [(column: Column, descending: Bool)]) -> [Int] {
        sortedRows(by: keys, check: { () throws(Never) in })
    }

    /// `sortedRows(by:)`, calling `check` every 65,536 comparisons; an error it throws
    /// stops the sort (Ctrl-C) and is thrown from here.
    public func sortedRows<E: Error>(by keys: [(column: Column, descending: Bool)], check: () throws(E) -> Void) throws(E) -> [Int] {
        var ranked: [([Int32], Int32, Bool)] = []
        for k in keys {
            let (r, c) = k.column.denseRanks()
            ranked.append((r, k.column.emptyCount > 0 ? Int32(c - 1) : Int32.max, k.descending))
            try check()
        }
        var stopped: E?
        var comparisons = 0
        let order = (0..<rowCount).sorted { a, b in
            // Once stopped, plain index order ends the sort quickly.
            if stopped != nil { return a < b }
            comparisons &+= 1
            if comparisons & 0xFFFF == 0 {
                do throws(E) { try check() } catch { stopped = error }
            }
            for (r, emptyRank, desc) in ranked {
                let x = r[a], y = r[b]
                if x == y { continue }
                if x == emptyRank { return false }
                if y == emptyRank { return true }
                return desc ? x > y : x < y
            }
            return a < b
        }
        if let stopped { throw stopped }
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
