extension Column {
    /// The column whose row `i` is `results[keys[i]]`: what an element-wise function gives
    /// when it has been evaluated once per distinct argument (a text dictionary entry, a
    /// day, a combination of key codes) instead of once per row. Results of one type make
    /// a typed column (texts are deduplicated into a new dictionary); errors become error
    /// cells; results of different types box the column, as `Column(values:)` would.
    public static func mapping(keys: [Int32], results: [Value]) -> Column {
        let n = keys.count
        var kind: ColumnKind?
        var format: NumberFormat?
        var uniform = true
        var hasAbsent = false
        for r in results {
            let k: ColumnKind
            switch r {
            case .empty, .error: hasAbsent = true; continue
            case .number(_, let f):
                k = .number
                if format == nil { format = f } else if format != f { format = .plain }
            case .text: k = .text
            case .date: k = .date
            case .bool: k = .bool
            default: uniform = false; continue
            }
            if kind == nil { kind = k } else if kind != k { uniform = false }
        }
        guard uniform else { return Column(values: keys.map { results[Int($0)] }) }
        var validity: Bitmap?
        var errors: [Int: ErrorValue] = [:]
        if hasAbsent {
            // Only keys some row uses count: the key kept for empty cells may stand unused.
            let present = results.map { r -> Bool in
                switch r { case .empty, .error: return false; default: return true }
            }
            for i in 0..<n where !present[Int(keys[i])] {
                if validity == nil { validity = Bitmap(count: n, value: true) }
                validity?[i] = false
                if case .error(let e) = results[Int(keys[i])] { errors[i] = e }
            }
        }
        let storage: ColumnStorage
        switch kind ?? .number {
        case .number:
            let xs = results.map { $0.numberValue ?? 0 }
            storage = .number(NumberCells(gathered(xs, keys)))
        case .date:
            let ds = results.map { r -> Int32 in if case .date(let d) = r { return d.days } else { return 0 } }
            storage = .date(gathered(ds, keys))
        case .bool:
            let bs = results.map { r -> Bool in if case .bool(let b) = r { return b } else { return false } }
            storage = .bool(gathered(bs, keys))
        case .text:
            // Two keys can give the same text (upper("jd") and upper("JD")): one entry each.
            var dictionary: [String] = []
            var index: [String: Int32] = [:]
            let codeOfKey = results.map { r -> Int32 in
                guard case .text(let s) = r else { return 0 }
                if let c = index[s] { return c }
                let c = Int32(dictionary.count)
                dictionary.append(s)
                index[s] = c
                return c
            }
            storage = .text(codes: gathered(codeOfKey, keys), dictionary: dictionary)
        }
        return Column(storage: storage, validity: validity, errors: errors, format: format ?? .plain)
    }

    /// The first and last day a date column holds (nil when it holds none or is not dates).
    public func dayRange() -> ClosedRange<Int32>? { dayZones()?.range }

    /// The date column's zone map (`DayZones`); nil when it is not dates.
    public func dayZones() -> DayZones? {
        guard let memo, case .date(let ds) = typedStorage else { return nil }
        return memo.dayZones { DayZones(days: ds, validity: typedValidity) }
    }

    /// `table[keys[i]]` for every row, in one pass.
    static func gathered<T>(_ table: [T], _ keys: [Int32]) -> [T] {
        [T](unsafeUninitializedCapacity: keys.count) { out, initialized in
            table.withUnsafeBufferPointer { t in
                keys.withUnsafeBufferPointer { k in
                    for i in 0..<k.count { out.initializeElement(at: i, to: t[Int(k[i])]) }
                }
            }
            initialized = keys.count
        }
    }

    /// The same column with some cells replaced (rows an element-wise kernel handed to the
    /// one-row function: an error argument, a result that is not finite). Stays typed when
    /// each new cell is of the column's type, empty or an error.
    public func replacing(_ cells: [Int: Value]) -> Column {
        guard !cells.isEmpty else { return self }
        var validity = typedValidity ?? Bitmap(count: count, value: true)
        var errors = self.errors
        var numbers: [Double] = [], days: [Int32] = [], flags: [Bool] = []
        switch typedStorage {
        case .number(let xs): numbers = xs.doubles
        case .date(let ds): days = ds
        case .bool(let bs): flags = bs
        case .text, .mixed: break
        }
        var fits = true
        for (i, v) in cells where fits {
            errors[i] = nil
            switch (v, typedStorage) {
            case (.empty, _): validity[i] = false
            case (.error(let e), _): validity[i] = false; errors[i] = e
            case (.number(let x, _), .number): numbers[i] = x; validity[i] = true
            case (.date(let d), .date): days[i] = d.days; validity[i] = true
            case (.bool(let b), .bool): flags[i] = b; validity[i] = true
            default: fits = false
            }
        }
        if case .mixed = typedStorage { fits = false }
        guard fits else {
            var vs = values
            for (i, v) in cells { vs[i] = v }
            return Column(values: vs)
        }
        let storage: ColumnStorage
        switch typedStorage {
        case .number: storage = .number(NumberCells(numbers))
        case .date: storage = .date(days)
        case .bool: storage = .bool(flags)
        default: storage = typedStorage
        }
        return Column(storage: storage, validity: validity, errors: errors, format: format)
    }
}

/// The type of a typed column, for kernels that decide by it.
public enum ColumnKind: Sendable, Equatable {
    case number, text, date, bool
}
