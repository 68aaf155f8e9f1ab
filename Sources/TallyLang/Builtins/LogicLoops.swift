import TallyCore

/// The typed loops of `if`, `iferror`, `is_empty` and `coalesce` over columns. Each
/// leaves the rows it cannot decide (an error cell among the arguments) to the one-row
/// implementation, which is the definition.
enum LogicLoops {
    /// One argument of `if` or `coalesce`: a column's cells, or one value for every row.
    enum Side {
        case column(Column)
        case scalar(Value)

        init?(_ v: Value?) {
            switch v {
            case .column(let c)?: self = .column(c)
            case .list?, .table?, .record?: return nil
            case let x?: self = .scalar(x)
            case nil: self = .scalar(.empty)
            }
        }

        /// The type of the values it holds (nil: only empties; mixed storage is not typed).
        var kind: ColumnKind?? {
            switch self {
            case .column(let c):
                switch c.typedStorage {
                case .number: return .some(.number)
                case .text: return .some(.text)
                case .date: return .some(.date)
                case .bool: return .some(.bool)
                case .mixed: return .none
                }
            case .scalar(let v):
                switch v {
                case .number: return .some(.number)
                case .text: return .some(.text)
                case .date: return .some(.date)
                case .bool: return .some(.bool)
                case .empty: return .some(nil)
                default: return .none
                }
            }
        }

        var format: NumberFormat {
            switch self {
            case .column(let c): return c.format
            case .scalar(let v): if case .number(_, let f) = v { return f } else { return .plain }
            }
        }

        /// A column of `n` rows standing for it (a single value repeated), of type `kind`.
        func column(_ n: Int, as kind: ColumnKind) -> Column {
            switch self {
            case .column(let c): return c
            case .scalar(let v):
                let storage: ColumnStorage
                switch (kind, v) {
                case (.number, .number(let x, _)): storage = .number(NumberCells([Double](repeating: x, count: n)))
                case (.text, .text(let s)): storage = .text(codes: [Int32](repeating: 0, count: n), dictionary: [s])
                case (.date, .date(let d)): storage = .date([Int32](repeating: d.days, count: n))
                case (.bool, .bool(let b)): storage = .bool([Bool](repeating: b, count: n))
                default:
                    // An empty single value: every cell empty.
                    let empty: ColumnStorage
                    switch kind {
                    case .number: empty = .number(NumberCells([Double](repeating: 0, count: n)))
                    case .text: empty = .text(codes: [Int32](repeating: 0, count: n), dictionary: [""])
                    case .date: empty = .date([Int32](repeating: 0, count: n))
                    case .bool: empty = .bool([Bool](repeating: false, count: n))
                    }
                    return Column(storage: empty, validity: Bitmap(count: n, value: false), format: format)
                }
                return Column(storage: storage, validity: nil, format: format)
            }
        }
    }

    /// The common type of some sides (empties fit any); nil when they differ or one is mixed.
    static func commonKind(_ sides: [Side]) -> ColumnKind? {
        var kind: ColumnKind?
        for s in sides {
            guard let k = s.kind else { return nil }
            guard let k else { continue }
            if let known = kind, known != k { return nil }
            kind = k
        }
        return kind ?? .number
    }

    /// `if(cond, then, else)`: a boolean column picks each row from `then` or `else`.
    static func select(_ a: Arguments, _ n: Int) -> (Column, Set<Int>)? {
        guard case .column(let cond)? = a.named["cond"], case .bool(let flags) = cond.typedStorage,
              let then = Side(a.named["then"]), let other = Side(a.named["else"]),
              let kind = commonKind([then, other]) else { return nil }
        if kind == .number, cond.errors.isEmpty, cond.typedValidity == nil, let out = numbers(flags, then, other, n) { return out }
        let x = then.column(n, as: kind), y = other.column(n, as: kind)
        var pick = [Bool](repeating: false, count: n)
        var valid = Bitmap(count: n, value: true)
        var tookThen = false, tookElse = false
        let cv = cond.typedValidity, xv = x.typedValidity, yv = y.typedValidity
        for i in 0..<n {
            guard cv?[i] ?? true else { valid[i] = false; continue }
            let f = flags[i]
            pick[i] = f
            if f ? xv?[i] ?? true : yv?[i] ?? true {
                if f { tookThen = true } else { tookElse = true }
            } else {
                valid[i] = false
            }
        }
        let redo = Set(cond.errors.keys).union(x.errors.keys.filter { pick[$0] && cond.holdsValue($0) })
            .union(y.errors.keys.filter { !pick[$0] && cond.holdsValue($0) })
        // Column(values:) keeps a format all taken numbers share, otherwise plain.
        let format = tookThen && tookElse ? (x.format == y.format ? x.format : .plain) : (tookThen ? x.format : y.format)
        let storage: ColumnStorage
        switch (x.typedStorage, y.typedStorage) {
        case (.number(let p), .number(let q)): storage = .number(NumberCells((0..<n).map { pick[$0] ? p.value(at: $0) : q.value(at: $0) }))
        case (.date(let p), .date(let q)): storage = .date((0..<n).map { pick[$0] ? p[$0] : q[$0] })
        case (.bool(let p), .bool(let q)): storage = .bool((0..<n).map { pick[$0] ? p[$0] : q[$0] })
        case (.text(let p, let pd), .text(let q, let qd)):
            // Keys: then's codes, else's codes after them, one key for the absent cells.
            let absent = Int32(pd.count + qd.count)
            let keys = (0..<n).map { i -> Int32 in
                guard valid[i] else { return absent }
                return pick[i] ? p[i] : Int32(pd.count) + q[i]
            }
            let results = pd.map(Value.text) + qd.map(Value.text) + [.empty]
            return (Column.mapping(keys: keys, results: results), redo)
        default: return nil
        }
        return (Column(storage: storage, validity: valid, format: kind == .number ? format : .plain), redo)
    }

    /// `if` over a condition without empty or error cells and two number sides without
    /// empties, in one pass (the common `if(t.amount > 100, t.amount, 0)`).
    private static func numbers(_ flags: [Bool], _ then: Side, _ other: Side, _ n: Int) -> (Column, Set<Int>)? {
        func plain(_ s: Side) -> (array: [Double]?, scalar: Double)? {
            switch s {
            case .column(let c):
                guard c.typedValidity == nil, c.errors.isEmpty, case .number(let xs) = c.typedStorage else { return nil }
                return (xs.doubles, 0)
            case .scalar(let v):
                guard case .number(let x, _) = v else { return nil }
                return (nil, x)
            }
        }
        guard let p = plain(then), let q = plain(other) else { return nil }
        var tookThen = false, tookElse = false
        let out = [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n {
                let f = flags[i]
                if f { tookThen = true } else { tookElse = true }
                buffer.initializeElement(at: i, to: f ? (p.array?[i] ?? p.scalar) : (q.array?[i] ?? q.scalar))
            }
            initialized = n
        }
        let format = tookThen && tookElse ? (then.format == other.format ? then.format : .plain) : (tookThen ? then.format : other.format)
        return (Column(storage: .number(NumberCells(out)), validity: nil, format: format), [])
    }

    /// `iferror(x, fallback)`: the column itself; its error rows go to the one-row path.
    static func ifError(_ a: Arguments, _ n: Int) -> (Column, Set<Int>)? {
        guard case .column(let x)? = a.named["x"], a.named["fallback"]?.isCollection == false else { return nil }
        if x.errors.isEmpty { return (x, []) }
        if case .mixed = x.typedStorage { return nil }
        return (Column(storage: x.typedStorage, validity: x.typedValidity, format: x.format), Set(x.errors.keys))
    }

    /// `is_empty(x)`: true where the cell is empty (an error cell is not empty).
    static func isEmpty(_ a: Arguments, _ n: Int) -> (Column, Set<Int>)? {
        guard case .column(let x)? = a.named["x"] else { return nil }
        if case .mixed = x.typedStorage { return nil }
        return (Column(storage: .bool((0..<n).map { !x.holdsValue($0) && x.errors[$0] == nil })), [])
    }

    /// `coalesce(values...)` over number columns and numbers: the first present cell.
    static func coalesce(_ values: [Value], _ n: Int) -> (Column, Set<Int>)? {
        let sides = values.compactMap { Side($0) }
        guard sides.count == values.count, commonKind(sides) == .number else { return nil }
        var out = [Double](repeating: 0, count: n)
        var valid = Bitmap(count: n, value: false)
        var redo = Set<Int>()
        var formats = Set<NumberFormat>()
        let columns = sides.map { $0.column(n, as: .number) }
        let arrays = columns.map { c -> [Double] in if case .number(let xs) = c.typedStorage { return xs.doubles } else { return [] } }
        var taken = [Bool](repeating: false, count: columns.count)
        for i in 0..<n {
            for (k, c) in columns.enumerated() {
                if c.typedValidity?[i] ?? true {
                    out[i] = arrays[k][i]; valid[i] = true; taken[k] = true
                    break
                }
                // An error before the first value: the one-row path decides.
                if !c.errors.isEmpty, c.errors[i] != nil { redo.insert(i); break }
            }
        }
        for (k, c) in columns.enumerated() where taken[k] { formats.insert(c.format) }
        let format = formats.count == 1 ? formats.first ?? .plain : .plain
        return (Column(storage: .number(NumberCells(out)), validity: valid, format: format), redo)
    }
}
