/// The rule "never a silent infinity": a result that is not a finite number (an overflow
/// to ±infinity, a NaN from `inf - inf`) becomes the error value `#NUM!`, wherever it
/// sits: a number, a cell of a list or column, a table cell or total, a record field.
extension Value {
    /// This value with every non-finite number replaced by `.error(error)`; unchanged
    /// (and not copied) when every number is finite.
    public func replacingNonFinite(with error: ErrorValue) -> Value {
        switch self {
        case .number(let x, _):
            return x.isFinite ? self : .error(error)
        case .list(let xs):
            guard xs.contains(where: \.holdsNonFinite) else { return self }
            return .list(xs.map { $0.replacingNonFinite(with: error) })
        case .column(let c):
            return .column(c.replacingNonFinite(with: error))
        case .table(let t):
            return .table(t.replacingNonFinite(with: error))
        case .record(let r):
            guard r.fields.contains(where: { $0.value.holdsNonFinite }) else { return self }
            return .record(Record(r.fields.map { ($0.name, $0.value.replacingNonFinite(with: error)) }))
        case .text, .date, .bool, .empty, .error:
            return self
        }
    }

    /// True when a number anywhere inside is NaN or infinite.
    public var holdsNonFinite: Bool {
        switch self {
        case .number(let x, _): return !x.isFinite
        case .list(let xs): return xs.contains(where: \.holdsNonFinite)
        case .column(let c): return c.holdsNonFinite
        case .table(let t): return t.columns.contains(where: \.holdsNonFinite) || t.display.totals.values.contains(where: \.holdsNonFinite)
        case .record(let r): return r.fields.contains { $0.value.holdsNonFinite }
        case .text, .date, .bool, .empty, .error: return false
        }
    }
}

extension Column {
    /// True when a present cell holds a NaN or infinite number.
    public var holdsNonFinite: Bool {
        switch typedStorage {
        case .number(let cells):
            guard !cells.isNarrow else { return false }
            let xs = cells.doubles
            // One tight pass; the validity bitmap only matters when something is found.
            guard xs.contains(where: { !$0.isFinite }) else { return false }
            return xs.indices.contains { holdsValue($0) && !xs[$0].isFinite }
        case .mixed(let vs): return vs.contains(where: \.holdsNonFinite)
        case .text, .date, .bool: return false
        }
    }

    /// The column with each non-finite number replaced by `.error(error)` (an error cell
    /// beside the typed numbers); unchanged when every number is finite.
    public func replacingNonFinite(with error: ErrorValue) -> Column {
        guard holdsNonFinite else { return self }
        if case .number(let cells) = typedStorage {
            let xs = cells.doubles
            var errs = errors
            for i in xs.indices where !xs[i].isFinite && holdsValue(i) { errs[i] = error }
            return Column(storage: typedStorage, validity: typedValidity, errors: errs, format: format)
        }
        let cells = (0..<count).map { self[$0].replacingNonFinite(with: error) }
        return Column(storage: .mixed(cells), validity: nil, format: format)
    }
}
