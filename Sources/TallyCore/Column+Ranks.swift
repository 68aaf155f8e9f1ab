extension Column {
    /// Dense ranks of the cells in ascending value order (0, 1, 2...; equal values share a
    /// rank), with empty cells ranked after every value. Grouping, sorting and distinct
    /// all work on these integers instead of on boxed values.
    public func denseRanks() -> (ranks: [Int32], count: Int) {
        let n = count
        var ranks = [Int32](repeating: 0, count: n)
        var distinct = 0
        switch storage {
        case .text(let codes, let dict):
            // Rank only the codes in use, in string order.
            var used = [Bool](repeating: false, count: dict.count)
            for i in 0..<n where isValid(i) { used[Int(codes[i])] = true }
            let order = dict.indices.filter { used[$0] }.sorted { dict[$0] < dict[$1] }
            var rankOfCode = [Int32](repeating: 0, count: dict.count)
            for (r, c) in order.enumerated() { rankOfCode[c] = Int32(r) }
            distinct = order.count
            for i in 0..<n { ranks[i] = isValid(i) ? rankOfCode[Int(codes[i])] : Int32(distinct) }
        case .number(let xs):
            distinct = Column.rank(xs, validity: validity, into: &ranks)
        case .date(let ds):
            distinct = Column.rank(ds.map { Double($0) }, validity: validity, into: &ranks)
        case .bool(let bs):
            let hasFalse = (0..<n).contains { isValid($0) && !bs[$0] }
            let hasTrue = (0..<n).contains { isValid($0) && bs[$0] }
            distinct = (hasFalse ? 1 : 0) + (hasTrue ? 1 : 0)
            for i in 0..<n { ranks[i] = !isValid(i) ? Int32(distinct) : (bs[i] ? (hasFalse ? 1 : 0) : 0) }
        case .mixed(let vs):
            // Order: numbers, texts, dates, booleans, others by their text form.
            var keys: [String: Int] = [:]
            var sample: [(String, Value)] = []
            for v in vs where !v.isEmpty {
                let k = Column.sortKey(v)
                if keys[k] == nil { keys[k] = 0; sample.append((k, v)) }
            }
            sample.sort { $0.0 < $1.0 }
            for (r, s) in sample.enumerated() { keys[s.0] = r }
            distinct = sample.count
            for i in 0..<n { ranks[i] = vs[i].isEmpty ? Int32(distinct) : Int32(keys[Column.sortKey(vs[i])] ?? 0) }
        }
        return (ranks, distinct + (emptyCount > 0 ? 1 : 0))
    }

    private static func rank(_ xs: [Double], validity: Bitmap?, into ranks: inout [Int32]) -> Int {
        var seen: [Double: Int32] = [:]
        var uniques: [Double] = []
        for i in 0..<xs.count where validity.map({ $0[i] }) ?? true {
            if seen[xs[i]] == nil { seen[xs[i]] = 0; uniques.append(xs[i]) }
        }
        uniques.sort()
        for (r, u) in uniques.enumerated() { seen[u] = Int32(r) }
        let empty = Int32(uniques.count)
        for i in 0..<xs.count { ranks[i] = (validity.map { $0[i] } ?? true) ? (seen[xs[i]] ?? 0) : empty }
        return uniques.count
    }

    /// A text that sorts mixed values by type, then value.
    public static func sortKey(_ v: Value) -> String {
        switch v {
        case .number(let x, _):
            // Order-preserving text for doubles.
            let bits = x.bitPattern
            let key = x < 0 ? ~bits : bits | (1 << 63)
            return "0" + String(key, radix: 16).leftPadded(16)
        case .text(let s): return "1" + s
        case .date(let d): return "2" + String(UInt32(bitPattern: d.days &+ Int32.min), radix: 16).leftPadded(8)
        case .bool(let b): return b ? "31" : "30"
        default: return "4" + "\(v)"
        }
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
