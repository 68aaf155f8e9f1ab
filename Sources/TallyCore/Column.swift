/// The typed, contiguous storage of one column.
public enum ColumnStorage: Sendable, Equatable {
    /// Doubles, or narrower whole numbers (`NumberCells`).
    case number(NumberCells)
    /// Dictionary-encoded text: `codes[i]` indexes `dictionary`.
    case text(codes: [Int32], dictionary: [String])
    /// Days since 1970-01-01.
    case date([Int32])
    case bool([Bool])
    /// Cells of different types (a list literal mixing numbers and text, errors...).
    case mixed([Value])
}

/// A column: one type plus empties and error cells. Arithmetic and aggregates run as tight
/// loops over the typed array; `typedValidity` marks the cells that hold a value (nil
/// means all do) and `errors` holds the error value of each error cell (`#DIV/0!` where a
/// divisor was zero), so one bad cell never turns the column into boxed values.
public struct Column: Sendable, Equatable {
    /// The typed cells; an error cell is marked absent in `typedValidity` and listed in `errors`.
    public private(set) var typedStorage: ColumnStorage { didSet { memo = ColumnMemo(for: typedStorage) } }
    /// The cells that hold a value of the column's type (nil: all of them).
    public private(set) var typedValidity: Bitmap? { didSet { memo = ColumnMemo(for: typedStorage) } }
    /// Row -> error value, for the cells that hold one (empty for most columns).
    public private(set) var errors: [Int: ErrorValue]
    /// Display format of a number column.
    public var format: NumberFormat
    /// Facts about the cells kept for the next statement (a date column's day range).
    private(set) var memo: ColumnMemo?

    public init(storage: ColumnStorage, validity: Bitmap? = nil, format: NumberFormat = .plain) {
        self.typedStorage = storage
        self.typedValidity = validity
        self.errors = [:]
        self.format = format
        memo = ColumnMemo(for: storage)
    }

    /// A typed column with error cells: each row in `errors` is marked absent.
    public init(storage: ColumnStorage, validity: Bitmap?, errors: [Int: ErrorValue], format: NumberFormat = .plain) {
        self.init(storage: storage, validity: validity, format: format)
        guard !errors.isEmpty else { return }
        if case .mixed(var vs) = storage {
            for (i, e) in errors { vs[i] = .error(e) }
            typedStorage = .mixed(vs)
            return
        }
        var v = validity ?? Bitmap(count: count, value: true)
        for i in errors.keys { v[i] = false }
        typedValidity = v
        self.errors = errors
    }

    /// The cells in a form every reader understands: the typed storage, or, when the
    /// column holds error cells, every cell boxed (`.mixed`), so that a reader that does
    /// not know `errors` can never take an error cell for an empty one. Kernels read
    /// `typedStorage`, `typedValidity` and `errors` instead.
    public var storage: ColumnStorage {
        get { errors.isEmpty ? typedStorage : .mixed(values) }
        set { typedStorage = newValue; errors = [:] }
    }

    /// Which cells hold a value, for readers of `storage` (nil when it is boxed).
    public var validity: Bitmap? {
        get { errors.isEmpty ? typedValidity : nil }
        set { typedValidity = newValue; errors = [:] }
    }

    /// The first error cell, if any (aggregates propagate it).
    public var firstError: ErrorValue? { errors.min { $0.key < $1.key }?.value }

    /// The same column with each error cell given `span` where it has none.
    public func locatingErrors(_ span: SourceSpan) -> Column {
        guard errors.values.contains(where: { $0.span == nil }) else { return self }
        var c = self
        for (i, e) in errors where e.span == nil { c.errors[i]?.span = span }
        return c
    }

    public static func numbers(_ xs: [Double], format: NumberFormat = .plain) -> Column {
        Column(storage: .number(NumberCells(xs)), format: format)
    }

    /// The same column with its numbers kept as doubles, for a kernel that reads them in
    /// place (`NumberCells.stored`); any other column as it is.
    public func widened() -> Column {
        guard case .number(let cells) = typedStorage, cells.isNarrow else { return self }
        var c = self
        c.typedStorage = .number(NumberCells(cells.doubles))
        return c
    }

    /// Builds a column from cell values, picking the narrowest type that holds them all.
    public init(values: [Value]) {
        var kind: String?
        var format: NumberFormat?
        var uniform = true
        var errors: [Int: ErrorValue] = [:]
        for (i, v) in values.enumerated() {
            let k: String
            switch v {
            case .empty: continue
            case .error(let e): errors[i] = e; continue
            case .number(_, let f):
                k = "n"
                if format == nil { format = f } else if format != f { format = .plain }
            case .text: k = "t"
            case .date: k = "d"
            case .bool: k = "b"
            default: k = "x"
            }
            if kind == nil { kind = k } else if kind != k { uniform = false; break }
        }
        let count = values.count
        let hasEmpty = values.contains { $0.isEmpty || $0.isError }
        let validity: Bitmap? = hasEmpty ? Bitmap(values.map { !$0.isEmpty && !$0.isError }) : nil
        self.format = format ?? .plain
        self.errors = [:]
        self.typedValidity = validity
        guard uniform, kind != "x" else {
            typedStorage = .mixed(values)
            typedValidity = nil
            return
        }
        switch kind {
        case nil:
            typedStorage = .number(NumberCells(bytes: Array(repeating: 0, count: count)))
            typedValidity = Bitmap(count: count, value: false)
        case "n": typedStorage = .number(NumberCells(values.map { $0.numberValue ?? 0 }))
        case "d": typedStorage = .date(values.map { if case .date(let d) = $0 { return d.days } else { return 0 } })
        case "b": typedStorage = .bool(values.map { if case .bool(let b) = $0 { return b } else { return false } })
        default:
            var dict: [String] = []
            var index: [String: Int32] = [:]
            var codes: [Int32] = []
            codes.reserveCapacity(count)
            for v in values {
                guard case .text(let s) = v else { codes.append(0); continue }
                if let c = index[s] { codes.append(c) } else {
                    let c = Int32(dict.count); dict.append(s); index[s] = c; codes.append(c)
                }
            }
            typedStorage = .text(codes: codes, dictionary: dict)
        }
        self.errors = errors
        memo = ColumnMemo(for: typedStorage)
    }

    public var count: Int {
        switch typedStorage {
        case .number(let a): return a.count
        case .text(let c, _): return c.count
        case .date(let a): return a.count
        case .bool(let a): return a.count
        case .mixed(let a): return a.count
        }
    }

    /// The name of the column's type, for `describe` and messages.
    public var typeName: String {
        if !errors.isEmpty { return "mixed" }
        switch typedStorage {
        case .number: return "number"
        case .text: return "text"
        case .date: return "date"
        case .bool: return "boolean"
        case .mixed: return "mixed"
        }
    }

    /// How many cells are empty.
    public var emptyCount: Int {
        if case .mixed(let vs) = typedStorage { return vs.reduce(0) { $0 + ($1.isEmpty ? 1 : 0) } }
        return typedValidity.map { count - $0.nonzeroCount - errors.count } ?? 0
    }

    /// For readers of `storage`: false for an empty cell of a typed column (a boxed column
    /// holds its empties as values).
    @inlinable
    public func isValid(_ i: Int) -> Bool { errors.isEmpty ? typedValidity.map { $0[i] } ?? true : true }

    /// For kernels: true when the typed cell holds a value (not empty, not an error).
    @inlinable
    public func holdsValue(_ i: Int) -> Bool { typedValidity.map { $0[i] } ?? true }

    /// The cell at row `i` as a value.
    public subscript(i: Int) -> Value {
        guard holdsValue(i) else { return errors.isEmpty ? .empty : errors[i].map(Value.error) ?? .empty }
        switch typedStorage {
        case .number(let a): return .number(a.value(at: i), format)
        case .text(let c, let d): return .text(d[Int(c[i])])
        case .date(let a): return .date(TallyDate(days: a[i]))
        case .bool(let a): return .bool(a[i])
        case .mixed(let a): return a[i]
        }
    }

    /// Every cell as a value.
    public var values: [Value] { (0..<count).map { self[$0] } }

    /// The rows at `indices`, in that order.
    public func gather(_ indices: [Int]) -> Column {
        let v = typedValidity.map { bm in Bitmap(indices.map { bm[$0] }) }
        var out: Column
        switch typedStorage {
        case .number(let a): out = Column(storage: .number(a.gather(indices)), validity: v, format: format)
        case .text(let c, let d): out = Column(storage: .text(codes: indices.map { c[$0] }, dictionary: d), validity: v, format: format)
        case .date(let a): out = Column(storage: .date(indices.map { a[$0] }), validity: v, format: format)
        case .bool(let a): out = Column(storage: .bool(indices.map { a[$0] }), validity: v, format: format)
        case .mixed(let a): out = Column(storage: .mixed(indices.map { a[$0] }), validity: v, format: format)
        }
        guard !errors.isEmpty else { return out }
        for (k, i) in indices.enumerated() { if let e = errors[i] { out.errors[k] = e } }
        return out
    }
}
