import TallyCore

/// An element-wise function (a built-in or an operator) applied to whole columns without
/// boxing every row. The one-row function `row` is the semantics; this runs it once per
/// distinct argument instead of once per row: per dictionary entry of a text column, per
/// day of a date column, per combination of key codes of several columns. A typed loop
/// (`typed`) goes first where the function has one. Rows a typed loop cannot decide (an
/// error cell among the arguments, a result that is not finite) go to `row` itself, so the
/// column result is by construction the result cell by cell.
struct ElementwiseColumns {
    /// Each argument: a column of `count` rows or a single value.
    var arguments: [Value]
    var count: Int
    /// The function of one row.
    var row: ([Value]) throws -> Value
    /// Polled every 1,024 calls of `row` and between phases; throws to stop (Ctrl-C).
    var check: () throws -> Void
    /// The first and last day of a single date column argument, when the caller knows them.
    var dayRange: ClosedRange<Int32>?

    /// Runs `typed` when it gives a column (rows it marks in `redo` are recomputed by the
    /// one-row function), otherwise evaluates per distinct argument.
    func run(typed: ((inout Set<Int>) -> Column?)? = nil) throws -> Column {
        let errorRows = self.errorRows
        var redo = errorRows
        if let typed, let out = typed(&redo) {
            return try out.replacing(cells(redo))
        }
        // A typed loop gives up when asked to stop: stop here, before the slower path.
        try check()
        let columns = arguments.indices.filter { if case .column = arguments[$0] { return true } else { return false } }
        let keyed = columns.map { i -> Column in
            guard case .column(let c) = arguments[i] else { return Column(values: []) }
            // Error cells are keyed as empty and recomputed row by row at the end.
            return c.errors.isEmpty ? c : Column(storage: c.typedStorage, validity: c.typedValidity, format: c.format)
        }
        let out: Column
        if columns.count == 1, let single = try single(keyed[0], at: columns[0]) {
            out = single
        } else if keyed.contains(where: { if case .mixed = $0.typedStorage { return true } else { return false } }) {
            return try Column(values: everyRow())
        } else {
            out = try combined(keyed, at: columns)
        }
        return try out.replacing(cells(errorRows))
    }

    /// Rows where some column argument holds an error cell.
    private var errorRows: Set<Int> {
        var rows = Set<Int>()
        for a in arguments { if case .column(let c) = a { rows.formUnion(c.errors.keys) } }
        return rows
    }

    /// The arguments of row `i`.
    private func values(at i: Int) -> [Value] {
        arguments.map { a in if case .column(let c) = a { return c[i] } else { return a } }
    }

    private func cells(_ rows: Set<Int>) throws -> [Int: Value] {
        var out: [Int: Value] = [:]
        for (k, i) in rows.enumerated() {
            if k & 0x3FF == 0x3FF { try check() }
            out[i] = try row(values(at: i))
        }
        return out
    }

    private func everyRow() throws -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            if i & 0x3FF == 0x3FF { try check() }
            out.append(try row(values(at: i)))
        }
        return out
    }

    /// The results for keys `0..<keyCount` (only those `used`), with `argument(k)` standing
    /// for the column argument at position `at`.
    private func results(_ keyCount: Int, used: [Bool], at: Int, _ argument: (Int) -> Value) throws -> [Value] {
        var args = arguments
        var out = [Value](repeating: .empty, count: keyCount)
        for k in 0..<keyCount where used[k] {
            if k & 0x3FF == 0x3FF { try check() }
            args[at] = argument(k)
            out[k] = try row(args)
        }
        return out
    }

    /// One column argument: keys straight from its storage when they are few.
    private func single(_ c: Column, at: Int) throws -> Column? {
        switch c.typedStorage {
        case .text(let codes, let dictionary):
            let absent = Int32(dictionary.count)
            let keys = Self.keys(codes, c.typedValidity, absent: absent)
            let res = try results(dictionary.count + 1, used: Self.used(keys, dictionary.count + 1), at: at) { k in
                k < dictionary.count ? .text(dictionary[k]) : .empty
            }
            return Column.mapping(keys: keys, results: res)
        case .bool(let bs):
            let keys = (0..<bs.count).map { c.holdsValue($0) ? (bs[$0] ? Int32(1) : 0) : 2 }
            let res = try results(3, used: Self.used(keys, 3), at: at) { k in k == 2 ? .empty : .bool(k == 1) }
            return Column.mapping(keys: keys, results: res)
        case .date(let ds):
            // Orders span a few thousand days: a table indexed by day beats hashing.
            let range = dayRange ?? c.dayRange()
            let lo = range?.lowerBound ?? 0
            let span = range.map { Int($0.upperBound) - Int($0.lowerBound) + 1 } ?? 0
            guard span <= max(ds.count, 1 << 16) else { return nil }
            let keys = (0..<ds.count).map { c.holdsValue($0) ? ds[$0] &- lo : Int32(span) }
            let res = try results(span + 1, used: Self.used(keys, span + 1), at: at) { k in
                k < span ? .date(TallyDate(days: lo &+ Int32(k))) : .empty
            }
            return Column.mapping(keys: keys, results: res)
        case .number, .mixed:
            return nil
        }
    }

    /// Several column arguments (or a number column): one call per distinct combination.
    private func combined(_ keyed: [Column], at positions: [Int]) throws -> Column {
        let g = try Grouping(keys: keyed, rowCount: count, check: check)
        var args = arguments
        var res = [Value](repeating: .empty, count: g.groupCount)
        for k in 0..<g.groupCount {
            if k & 0x3FF == 0x3FF { try check() }
            let r = g.firstRow[k]
            for (c, p) in zip(keyed, positions) { args[p] = c[r] }
            res[k] = try row(args)
        }
        return Column.mapping(keys: g.groupOfRow, results: res)
    }

    /// Codes with absent rows mapped to `absent`.
    private static func keys(_ codes: [Int32], _ validity: Bitmap?, absent: Int32) -> [Int32] {
        guard let validity else { return codes }
        var keys = codes
        for i in 0..<keys.count where !validity[i] { keys[i] = absent }
        return keys
    }

    private static func used(_ keys: [Int32], _ count: Int) -> [Bool] {
        var used = [Bool](repeating: false, count: count)
        for k in keys { used[Int(k)] = true }
        return used
    }
}
