import TallyCore

/// How cells are spelled in exported files: numbers in the shortest text that reads back
/// to the same value (no thousands separators; percent columns as fractions), dates as
/// ISO, booleans as `true`/`false`, empty cells as nothing.
enum CellText {
    /// `12.5`, `3`, `1e-07`; `NaN`, `inf`, `-inf` for values that are not finite.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : x < 0 ? "-inf" : "inf" }
        // Swift's description is the shortest text that round-trips.
        let s = x.description
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    /// The text of row `i` of `column`.
    static func cell(_ column: Column, _ i: Int) -> String {
        // The typed cells and the error cells, read in place: `storage` boxes every cell of a
        // column that holds an error, which per cell made an export quadratic (100k rows
        // with three #DIV/0! cells: four minutes).
        guard column.holdsValue(i) else { return column.errors[i].map { $0.kind.rawValue } ?? "" }
        switch column.typedStorage {
        case .number(let a): return number(a.value(at: i))
        case .text(let codes, let dictionary):
            let c = Int(codes[i])
            return c >= 0 && c < dictionary.count ? dictionary[c] : ""
        case .date(let a): return TallyDate(days: a[i]).iso
        case .bool(let a): return a[i] ? "true" : "false"
        case .mixed(let a): return value(a[i])
        }
    }

    static func value(_ v: Value) -> String {
        switch v {
        case .number(let x, _): return number(x)
        case .text(let s): return s
        case .date(let d): return d.iso
        case .bool(let b): return b ? "true" : "false"
        case .empty: return ""
        case .error(let e): return e.kind.rawValue
        case .list(let xs): return "[" + xs.map(value).joined(separator: ", ") + "]"
        case .record(let r): return "{" + r.fields.map { "\($0.name): \(value($0.value))" }.joined(separator: ", ") + "}"
        case .column(let c): return "[" + c.values.map(value).joined(separator: ", ") + "]"
        case .table(let t): return "<table \(t.rowCount)x\(t.columnCount)>"
        }
    }

    /// Whether the column's cells are numbers (right-aligned in Markdown).
    static func isNumeric(_ column: Column) -> Bool {
        if case .number = column.storage { return true }
        return false
    }
}
