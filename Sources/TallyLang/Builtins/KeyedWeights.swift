import TallyAnalytics
import TallyCore

/// `weight: {Q1: 20, Q2: 30, ...}` against a table's rows: each key names one row by its
/// label (`2026-Q1`) or, for periods, a short name (`Q1`; `Jan`, `January` or `M1` for a
/// month; `W9` for a week), ignoring case. A key that names no row or several, a row
/// named twice and a row with no key are refused, naming them.
struct KeyedWeights {
    let ctx: CallContext
    let record: Record
    /// The record as written, for the spans of its keys (nil when it came from a name).
    let fields: [RecordField]?
    let at: Expr

    init(ctx: CallContext, record: Record, at e: Expr) {
        self.ctx = ctx
        self.record = record
        if case .record(let fs, _) = e { fields = fs } else { fields = nil }
        at = e
    }

    /// One weight per row, in row order.
    func match(_ labels: [String], periods: Bool) throws -> [Value] {
        let noun = periods ? "period" : "row"
        var rowsByName: [String: [Int]] = [:]
        for (i, label) in labels.enumerated() {
            let names = periods ? Periods.aliases(of: label) : [label]
            for n in Set(names.map { $0.lowercased() }) { rowsByName[n, default: []].append(i) }
        }
        var byRow = [(key: String, value: Value)?](repeating: nil, count: labels.count)
        for (k, field) in record.fields.enumerated() {
            let span = span(of: k)
            let rows = rowsByName[field.name.lowercased()] ?? []
            guard let row = rows.first else {
                let known = labels.flatMap { periods ? Periods.aliases(of: $0) : [$0] }
                throw TallyError(.arguments("split: weight key `\(field.name)` matches no \(noun) of the table"), span: span,
                                 hint: Suggestions.closest(to: field.name, among: known).map { "did you mean `\($0)`?" }
                                    ?? "its \(noun)s: " + CascadeSplit.list(labels))
            }
            guard rows.count == 1 else {
                throw TallyError(.arguments("split: weight key `\(field.name)` matches \(rows.count) \(noun)s ("
                                            + CascadeSplit.list(rows.map { labels[$0] }) + ")"), span: span,
                                 hint: periods ? "write the full label, e.g. `\(labels[row])`" : "give one weight per row, or split by a column: by: column")
            }
            if let earlier = byRow[row] {
                throw TallyError(.arguments("split: \(labels[row]) has two weights, `\(earlier.key)` and `\(field.name)`"), span: span)
            }
            byRow[row] = (field.name, field.value)
        }
        if let missing = byRow.firstIndex(where: { $0 == nil }) {
            let short = periods ? Periods.aliases(of: labels[missing]).dropFirst().first ?? labels[missing] : labels[missing]
            throw TallyError(.arguments("split: no weight for \(labels[missing])"), span: at.span,
                             hint: "every \(noun) needs one: add `\(short): ...` to the record")
        }
        return byRow.map { $0?.value ?? .empty }
    }

    /// The span of the k-th key, or of the whole record.
    private func span(of k: Int) -> SourceSpan {
        guard let fs = fields, fs.indices.contains(k), fs[k].name == record.fields[k].name, let s = fs[k].nameSpan else { return at.span }
        return s
    }
}
