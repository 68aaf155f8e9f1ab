extension Column {
    /// Dense ranks of the cells in ascending value order (0, 1, 2...; equal values share a
    /// rank), with empty cells ranked after every value. Grouping, sorting and distinct
    /// all work on these integers instead of on boxed values.
    public func denseRanks() -> (ranks: [Int32], count: Int) {
        denseRanks(check: { () throws(Never) in })
    }

    /// `denseRanks()`, calling `check` between phases and every 65,536 rows of the long
    /// ones, so that a caller can stop it (Ctrl-C) by throwing from `check`.
    public func denseRanks<E: Error>(check: () throws(E) -> Void) throws(E) -> (ranks: [Int32], count: Int) {
        let n = count
        var ranks = [Int32](repeating: 0, count: n)
        var distinct = 0
        switch storage {
        case .text(let codes, let dict):
            // Rank only the codes in use, in string order.
            var used = [Bool](repeating: false, count: dict.count)
            if let v = validity {
                for i in 0..<n where v[i] { used[Int(codes[i])] = true }
            } else {
                for c in codes { used[Int(c)] = true }
            }
            try check()
            let order = try Column.sortedCodes(dict, where: used, check: check)
            try check()
            var rankOfCode = [Int32](repeating: 0, count: dict.count)
            for (r, c) in order.enumerated() { rankOfCode[c] = Int32(r) }
            distinct = order.count
            ranks.withUnsafeMutableBufferPointer { out in
                codes.withUnsafeBufferPointer { cs in
                    for i in 0..<n { out[i] = rankOfCode[Int(cs[i])] }
                }
            }
            if let v = validity { for i in 0..<n where !v[i] { ranks[i] = Int32(distinct) } }
        case .number(let xs):
            distinct = try Column.rank(xs.doubles, validity: validity, into: &ranks, check: check)
        case .date(let ds):
            distinct = try Column.rank(ds.map { Double($0) }, validity: validity, into: &ranks, check: check)
        case .bool(let bs):
            let hasFalse = (0..<n).contains { isValid($0) && !bs[$0] }
            let hasTrue = (0..<n).contains { isValid($0) && bs[$0] }
            distinct = (hasFalse ? 1 : 0) + (hasTrue ? 1 : 0)
            for i in 0..<n { ranks[i] = !isValid(i) ? Int32(distinct) : (bs[i] ? (hasFalse ? 1 : 0) : 0) }
        case .mixed(let vs):
            // Order: numbers, texts, dates, booleans, others by their text form.
            // Each cell's key once; a table or list repeated down the column once.
            var keys: [String: Int] = [:]
            var sample: [(String, Value)] = []
            var rowKeys = [String](repeating: "", count: n)
            var containers: [(Value, String)] = []
            for (i, v) in vs.enumerated() where !v.isEmpty {
                let k: String
                if !Column.holdsValues(v) {
                    k = Column.sortKey(v)
                } else if let hit = containers.first(where: { $0.0 == v }) {
                    k = hit.1
                } else {
                    k = Column.sortKey(v)
                    if containers.count < 16 { containers.append((v, k)) }
                }
                rowKeys[i] = k
                if keys[k] == nil { keys[k] = 0; sample.append((k, v)) }
            }
            sample.sort { $0.0 < $1.0 }
            for (r, s) in sample.enumerated() { keys[s.0] = r }
            distinct = sample.count
            for i in 0..<n { ranks[i] = vs[i].isEmpty ? Int32(distinct) : Int32(keys[rowKeys[i]] ?? 0) }
        }
        return (ranks, distinct + (emptyCount > 0 ? 1 : 0))
    }

    /// Dictionary codes in byte order of their UTF-8 text (which is code point order).
    /// Sorting by an 8-byte big-endian prefix first keeps the costly full comparison for ties.
    /// `check` is called every 65,536 texts and every 65,536 comparisons of the sort (a
    /// hundred thousand customer ids take a few hundred ms in a debug build), so that a
    /// caller can stop it (Ctrl-C) by throwing from it.
    static func sortedCodes<E: Error>(_ dict: [String], where used: [Bool], check: () throws(E) -> Void) throws(E) -> [Int] {
        var keyed: [(prefix: UInt64, code: Int)] = []
        keyed.reserveCapacity(dict.count)
        for (c, s) in dict.enumerated() where used[c] {
            if c & 0xFFFF == 0 { try check() }
            var p: UInt64 = 0
            var k = 0
            for b in s.utf8 {
                if k == 8 { break }
                p |= UInt64(b) << UInt64(56 - 8 * k)
                k += 1
            }
            keyed.append((p, c))
        }
        // The sort cannot throw `E`: a check that throws stops it with `SortStopped`, and
        // the check is asked again outside, where it throws its own error.
        var comparisons = 0
        do {
            try keyed.sort { a, b in
                comparisons &+= 1
                if comparisons & 0xFFFF == 0 {
                    do { try check() } catch { throw SortStopped() }
                }
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let x = dict[a.code].utf8, y = dict[b.code].utf8
                if x.count <= 8 && y.count <= 8 { return x.count < y.count }
                return x.lexicographicallyPrecedes(y)
            }
        } catch {
            try check()
            return try sortedCodes(dict, where: used, check: check)
        }
        return keyed.map(\.code)
    }

    private static func rank<E: Error>(_ xs: [Double], validity: Bitmap?, into ranks: inout [Int32],
                                       check: () throws(E) -> Void) throws(E) -> Int {
        var seen: [Double: Int32] = [:]
        var uniques: [Double] = []
        for i in 0..<xs.count where validity.map({ $0[i] }) ?? true {
            if i & 0xFFFF == 0 { try check() }
            if seen[xs[i]] == nil { seen[xs[i]] = 0; uniques.append(xs[i]) }
        }
        try check()
        uniques.sort()
        try check()
        for (r, u) in uniques.enumerated() { seen[u] = Int32(r) }
        let empty = Int32(uniques.count)
        for i in 0..<xs.count {
            if i & 0xFFFF == 0 { try check() }
            ranks[i] = (validity.map { $0[i] } ?? true) ? (seen[xs[i]] ?? 0) : empty
        }
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
        default:
            var s = "4"
            containerKey(v, into: &s)
            return s
        }
    }

    /// The key text of an empty, error, list, record, column or table, built by hand: a
    /// reflected `"\(v)"` of a 5,000-row table took about 50 ms, and grouping by a column
    /// of tables asked for it on every row (fuzz finding).
    private static func containerKey(_ v: Value, into s: inout String) {
        let sep = "\u{1F}"
        switch v {
        case .empty: s += "_"
        case .error(let e): s += "E" + e.kind.rawValue + sep + e.message
        case .list(let xs):
            s += "L\(xs.count)["
            for x in xs { s += sortKey(x) + sep }
            s += "]"
        case .record(let r):
            s += "R\(r.count){"
            for f in r.fields { s += f.name + "=" + sortKey(f.value) + sep }
            s += "}"
        case .column(let c): columnKey(c, into: &s)
        case .table(let t):
            s += "T\(t.columnCount)x\(t.rowCount){"
            for (name, c) in zip(t.names, t.columns) { s += name + "="; columnKey(c, into: &s) }
            s += "}"
        default: s += sortKey(v)
        }
    }

    /// Lists, records, columns and tables: the values whose key costs their size.
    private static func holdsValues(_ v: Value) -> Bool {
        switch v {
        case .list, .record, .column, .table: return true
        default: return false
        }
    }

    private static func columnKey(_ c: Column, into s: inout String) {
        s += "C\(c.count)["
        for i in 0..<c.count { s += sortKey(c[i]) + "\u{1F}" }
        s += "]"
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}

/// Stops a sort whose comparator was told to stop (`Column.sortedCodes`).
private struct SortStopped: Error {}
