/// The typed, contiguous storage of one column.
public enum ColumnStorage: Sendable, Equatable {
    case number([Double])
    /// Dictionary-encoded text: `codes[i]` indexes `dictionary`.
    case text(codes: [Int32], dictionary: [String])
    /// Days since 1970-01-01.
    case date([Int32])
    case bool([Bool])
    /// Cells of different types (a list literal mixing numbers and text, errors...).
    case mixed([Value])
}

/// A column: one type plus empties. Arithmetic and aggregates run as tight loops over
/// the typed array; `validity` marks the cells that hold a value (nil means all do).
public struct Column: Sendable, Equatable {
    public var storage: ColumnStorage
    public var validity: Bitmap?
    /// Display format of a number column.
    public var format: NumberFormat

    public init(storage: ColumnStorage, validity: Bitmap? = nil, format: NumberFormat = .plain) {
        self.storage = storage
        self.validity = validity
        self.format = format
    }

    public static func numbers(_ xs: [Double], format: NumberFormat = .plain) -> Column {
        Column(storage: .number(xs), format: format)
    }

    /// Builds a column from cell values, picking the narrowest type that holds them all.
    public init(values: [Value]) {
        var kind: String?
        var format: NumberFormat?
        var uniform = true
        for v in values {
            let k: String
            switch v {
            case .empty: continue
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
        let hasEmpty = values.contains { $0.isEmpty }
        let validity: Bitmap? = hasEmpty ? Bitmap(values.map { !$0.isEmpty }) : nil
        self.format = format ?? .plain
        self.validity = validity
        guard uniform, let kind, kind != "x" else {
            storage = kind == nil ? .number(Array(repeating: 0, count: count)) : .mixed(values)
            if kind == nil { self.validity = Bitmap(count: count, value: false) }
            if !uniform || kind == "x" { self.validity = nil }
            return
        }
        switch kind {
        case "n": storage = .number(values.map { $0.numberValue ?? 0 })
        case "d": storage = .date(values.map { if case .date(let d) = $0 { return d.days } else { return 0 } })
        case "b": storage = .bool(values.map { if case .bool(let b) = $0 { return b } else { return false } })
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
            storage = .text(codes: codes, dictionary: dict)
        }
    }

    public var count: Int {
        switch storage {
        case .number(let a): return a.count
        case .text(let c, _): return c.count
        case .date(let a): return a.count
        case .bool(let a): return a.count
        case .mixed(let a): return a.count
        }
    }

    /// The name of the column's type, for `describe` and messages.
    public var typeName: String {
        switch storage {
        case .number: return "number"
        case .text: return "text"
        case .date: return "date"
        case .bool: return "boolean"
        case .mixed: return "mixed"
        }
    }

    /// How many cells are empty.
    public var emptyCount: Int {
        if case .mixed(let vs) = storage { return vs.reduce(0) { $0 + ($1.isEmpty ? 1 : 0) } }
        return validity.map { count - $0.nonzeroCount } ?? 0
    }

    @inline(__always)
    public func isValid(_ i: Int) -> Bool { validity.map { $0[i] } ?? true }

    /// The cell at row `i` as a value.
    public subscript(i: Int) -> Value {
        guard isValid(i) else { return .empty }
        switch storage {
        case .number(let a): return .number(a[i], format)
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
        let v = validity.map { bm in Bitmap(indices.map { bm[$0] }) }
        switch storage {
        case .number(let a): return Column(storage: .number(indices.map { a[$0] }), validity: v, format: format)
        case .text(let c, let d): return Column(storage: .text(codes: indices.map { c[$0] }, dictionary: d), validity: v, format: format)
        case .date(let a): return Column(storage: .date(indices.map { a[$0] }), validity: v, format: format)
        case .bool(let a): return Column(storage: .bool(indices.map { a[$0] }), validity: v, format: format)
        case .mixed(let a): return Column(storage: .mixed(indices.map { a[$0] }), validity: v, format: format)
        }
    }
}
