/// The key codes of the two sides of a join in one shared code space: row `i` of the left
/// table can match row `j` of the right one exactly when `left[i] == right[j]` and both are
/// at least 0. A code of -1 never matches (an empty key cell, or a value the other side lacks).
///
/// Codes come from the columns' storage, so a join hashes dictionaries and distinct values
/// rather than a key text per row. Equality is that of `Column.sortKey`: numbers by the bits
/// it orders them by (0 and -0 alike, whatever the format), values of different types never equal.
public struct JoinKeys: Sendable {
    /// The code of each row of the left table, or -1.
    public let left: [Int32]
    /// The code of each row of the right table, or -1.
    public let right: [Int32]
    /// Codes run from 0 to `cardinality - 1`.
    public let cardinality: Int

    /// Codes for the pairs `(left[k], right[k])` of key columns, combined over the pairs
    /// (no pairs: every row has code 0). `check` is called between phases and every 65,536
    /// rows (Ctrl-C).
    public init<E: Error>(left lcols: [Column], right rcols: [Column], leftRows: Int, rightRows: Int,
                          check: () throws(E) -> Void) throws(E) {
        // The first pair's codes are the start (no array of zeros beside them: at 10M rows
        // that would double the transient memory of a one-key join).
        var codes: Codes?
        for (a, b) in zip(lcols, rcols) {
            let pair = try JoinKeys.codes(a, b, check: check)
            try check()
            if let c = codes { codes = try JoinKeys.combine(c, pair, check: check) } else { codes = pair }
            try check()
        }
        left = codes?.left ?? [Int32](repeating: 0, count: leftRows)
        right = codes?.right ?? [Int32](repeating: 0, count: rightRows)
        cardinality = codes?.cardinality ?? 1
    }

    /// The right table's rows of each code, in row order (a counting sort): the rows of
    /// code `c` are `rows[offsets[c]..<offsets[c + 1]]`.
    public func rightRowsByCode() -> (offsets: [Int], rows: [Int]) {
        var offsets = [Int](repeating: 0, count: cardinality + 1)
        for c in right where c >= 0 { offsets[Int(c) + 1] += 1 }
        for c in 0..<cardinality { offsets[c + 1] += offsets[c] }
        var fill = offsets
        var rows = [Int](repeating: 0, count: offsets[cardinality])
        for (j, c) in right.enumerated() where c >= 0 {
            rows[fill[Int(c)]] = j
            fill[Int(c)] += 1
        }
        return (offsets, rows)
    }

    typealias Codes = (left: [Int32], right: [Int32], cardinality: Int)

    /// Shared codes of one pair of key columns.
    static func codes<E: Error>(_ a: Column, _ b: Column, check: () throws(E) -> Void) throws(E) -> Codes {
        switch (a.storage, b.storage) {
        case (.text(let ac, let ad), .text(let bc, let bd)):
            // Only the dictionaries are hashed; a dictionary may hold a text twice.
            let (canon, mapped, count) = try sharedTextCodes(ad, bd, check: check)
            try check()
            let l = try remap(ac, canon, a.validity, check: check)
            return (l, try remap(bc, mapped, b.validity, check: check), max(count, 1))
        case (.number(let ax), .number(let bx)):
            return try hashed(ax.doubles.map(numberKey), a.validity, bx.doubles.map(numberKey), b.validity, check: check)
        case (.date(let ad), .date(let bd)):
            return try hashed(ad.map { UInt64(UInt32(bitPattern: $0)) }, a.validity,
                              bd.map { UInt64(UInt32(bitPattern: $0)) }, b.validity, check: check)
        case (.bool(let ab), .bool(let bb)):
            return (ab.indices.map { a.isValid($0) ? (ab[$0] ? 1 : 0) : -1 },
                    bb.indices.map { b.isValid($0) ? (bb[$0] ? 1 : 0) : -1 }, 2)
        case (.mixed, _), (_, .mixed):
            return try keyed(a, b, check: check)
        default:
            // Two different types never hold equal values.
            return ([Int32](repeating: -1, count: a.count), [Int32](repeating: -1, count: b.count), 1)
        }
    }

    /// Shared codes of the entries of two dictionaries: the first's entries numbered by
    /// text, the second's looked up (-1 when absent).
    private static func sharedTextCodes<E: Error>(_ a: [String], _ b: [String],
                                                  check: () throws(E) -> Void) throws(E) -> (a: [Int32], b: [Int32], count: Int) {
        fast: do {
            var index = ASCIITextIndex(capacity: a.count)
            var canon = [Int32](repeating: 0, count: a.count)
            for (k, s) in a.enumerated() {
                if k & 0xFFFF == 0xFFFF { try check() }
                guard let h = ASCIITextIndex.hash(s) else { break fast }
                canon[k] = index.insert(s, hash: h)
            }
            var mapped = [Int32](repeating: -1, count: b.count)
            for (k, s) in b.enumerated() {
                if k & 0xFFFF == 0xFFFF { try check() }
                // A text that is not ASCII may still equal an ASCII one (see ASCIITextIndex).
                guard let h = ASCIITextIndex.hash(s) else { break fast }
                mapped[k] = index.find(s, hash: h)
            }
            return (canon, mapped, index.count)
        }
        var index: [String: Int32] = [:]
        index.reserveCapacity(a.count)
        var canon = [Int32](repeating: 0, count: a.count)
        for (k, s) in a.enumerated() {
            if let c = index[s] { canon[k] = c } else {
                let c = Int32(index.count)
                index[s] = c
                canon[k] = c
            }
        }
        return (canon, b.map { index[$0] ?? -1 }, index.count)
    }

    /// The bits `Column.sortKey` orders a number by: 0 and -0 are one key.
    private static func numberKey(_ x: Double) -> UInt64 {
        x < 0 ? ~x.bitPattern : x.bitPattern | (1 << 63)
    }

    /// Per-row codes through a table from dictionary code to shared code; empties get -1.
    private static func remap<E: Error>(_ codes: [Int32], _ table: [Int32], _ validity: Bitmap?,
                                        check: () throws(E) -> Void) throws(E) -> [Int32] {
        var out = [Int32](repeating: -1, count: codes.count)
        // In slices of 65,536 rows, so Ctrl-C is seen between them.
        var from = 0
        while from < codes.count {
            try check()
            let to = min(codes.count, from + 65_536)
            out.withUnsafeMutableBufferPointer { o in
                codes.withUnsafeBufferPointer { cs in
                    table.withUnsafeBufferPointer { t in
                        for i in from..<to {
                            let k = Int(cs[i])
                            if k >= 0, k < t.count { o[i] = t[k] }
                        }
                    }
                }
            }
            from = to
        }
        if let v = validity { for i in 0..<codes.count where !v[i] { out[i] = -1 } }
        return out
    }

    /// Codes of fixed-width values: the right side's distinct values are numbered, the left
    /// side looks them up.
    private static func hashed<E: Error>(_ a: [UInt64], _ av: Bitmap?, _ b: [UInt64], _ bv: Bitmap?,
                                         check: () throws(E) -> Void) throws(E) -> Codes {
        var index = KeyIndex(capacity: b.count)
        var r = [Int32](repeating: -1, count: b.count)
        for j in 0..<b.count where bv.map({ $0[j] }) ?? true {
            if j & 0xFFFF == 0 { try check() }
            r[j] = index.insert(b[j])
        }
        var l = [Int32](repeating: -1, count: a.count)
        for i in 0..<a.count where av.map({ $0[i] }) ?? true {
            if i & 0xFFFF == 0 { try check() }
            l[i] = index.find(a[i])
        }
        return (l, r, max(index.count, 1))
    }

    /// Mixed cells: the key text of every cell, as before codes existed.
    private static func keyed<E: Error>(_ a: Column, _ b: Column, check: () throws(E) -> Void) throws(E) -> Codes {
        var index: [String: Int32] = [:]
        var r = [Int32](repeating: -1, count: b.count)
        for j in 0..<b.count {
            if j & 0xFFFF == 0 { try check() }
            let v = b[j]
            if v.isEmpty { continue }
            let k = Column.sortKey(v)
            if let c = index[k] { r[j] = c } else {
                let c = Int32(index.count)
                index[k] = c
                r[j] = c
            }
        }
        var l = [Int32](repeating: -1, count: a.count)
        for i in 0..<a.count {
            if i & 0xFFFF == 0 { try check() }
            let v = a[i]
            if !v.isEmpty { l[i] = index[Column.sortKey(v)] ?? -1 }
        }
        return (l, r, max(index.count, 1))
    }

    /// Combines the codes so far with one more key column, lexicographically; -1 in either
    /// stays -1. Small code spaces are kept as they are, large ones are renumbered by the
    /// combinations the right side holds.
    static func combine<E: Error>(_ x: Codes, _ y: Codes, check: () throws(E) -> Void) throws(E) -> Codes {
        // One code so far (before the first column, all rows alike): the new codes as they are.
        if x.cardinality == 1, !x.left.contains(where: { $0 < 0 }), !x.right.contains(where: { $0 < 0 }) { return y }
        let width = Int64(max(y.cardinality, 1))
        let span = Int64(x.cardinality) * width
        func joined(_ p: [Int32], _ q: [Int32]) -> [Int64] {
            var out = [Int64](repeating: -1, count: p.count)
            for i in 0..<p.count where p[i] >= 0 && q[i] >= 0 { out[i] = Int64(p[i]) * width + Int64(q[i]) }
            return out
        }
        let l = joined(x.left, y.left), r = joined(x.right, y.right)
        if span <= Int64(max(l.count + r.count, 1 << 16)) {
            return (l.map { Int32(truncatingIfNeeded: $0) }, r.map { Int32(truncatingIfNeeded: $0) }, Int(span))
        }
        var index = KeyIndex(capacity: r.count)
        var rc = [Int32](repeating: -1, count: r.count)
        for j in 0..<r.count where r[j] >= 0 {
            if j & 0xFFFF == 0 { try check() }
            rc[j] = index.insert(UInt64(bitPattern: r[j]))
        }
        var lc = [Int32](repeating: -1, count: l.count)
        for i in 0..<l.count where l[i] >= 0 {
            if i & 0xFFFF == 0 { try check() }
            lc[i] = index.find(UInt64(bitPattern: l[i]))
        }
        return (lc, rc, max(index.count, 1))
    }
}
