extension Column {
    /// Which dictionary entries of a text column some valid cell uses (empty for other types).
    public func usedCodes() -> [Bool] {
        guard case .text(let codes, let dict) = storage else { return [] }
        var used = [Bool](repeating: false, count: dict.count)
        if let v = validity {
            for i in 0..<codes.count where v[i] { used[Int(codes[i])] = true }
        } else {
            for c in codes { used[Int(c)] = true }
        }
        return used
    }

    /// The number of different non-empty values, without ranking them (fast on millions of rows).
    public func distinctCount() -> Int {
        switch storage {
        case .text: return usedCodes().reduce(0) { $0 + ($1 ? 1 : 0) }
        case .number(let cells):
            let xs = cells.doubles
            var set = DistinctNumbers()
            if let v = validity { for i in 0..<xs.count where v[i] { set.insert(xs[i]) } } else { for x in xs { set.insert(x) } }
            return set.count
        case .date(let ds):
            var set = DistinctNumbers()
            if let v = validity { for i in 0..<ds.count where v[i] { set.insert(Double(ds[i])) } } else { for d in ds { set.insert(Double(d)) } }
            return set.count
        case .bool(let bs):
            var seen = Set<Bool>()
            for i in 0..<bs.count where isValid(i) { seen.insert(bs[i]) }
            return seen.count
        case .mixed(let vs):
            return Set(vs.filter { !$0.isEmpty }.map(Column.sortKey)).count
        }
    }
}
