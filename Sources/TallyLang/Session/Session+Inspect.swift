import TallyCore

extension Session {
    /// `export EXPR to "f.csv", force: true`.
    func export(_ source: Expr, path: String, span: SourceSpan, options: [CommandOption]) throws(TallyError) -> [Event] {
        var force = false
        for o in options {
            guard o.label.name == "force" else {
                let hint = Suggestions.closest(to: o.label.name, among: ["force"]).map { "did you mean `\($0)`?" } ?? "options: force"
                throw TallyError(.syntax("`export` has no option `\(o.label.name)`"), span: o.label.span, hint: hint)
            }
            guard case .bool(let b) = try CommandParser.constant(o.value) else {
                throw TallyError(.syntax("`force` is true or false"), span: o.value.span)
            }
            force = b
        }
        var name = "Sheet1"
        if case .name(let n, _) = source { name = n }
        // Rows the server computes whole are written as they come, never all held here.
        if let remote = host?.remoteTables, let batches = try remote.batches(source, evaluator: evaluator(for: nil)),
           let notes = try requireHost("export", span: span).export(batches, name: name, path: path, force: force, span: span) {
            return notes.map { .message($0) }
        }
        let v = try evaluator(for: nil).evaluate(source)
        guard case .table(let t) = v else {
            if case .error(let e) = v { throw TallyError(.evaluation(e), span: source.span) }
            throw TallyError(.command("`\(sources.text(of: source.span))` is a \(v.typeName), not a table"), span: source.span,
                             hint: "export writes tables; make one with table(...), group(...) or select(...)")
        }
        let host = try requireHost("export", span: span)
        return try host.export(t, name: name, path: path, force: force, span: span).map { .message($0) }
    }

    /// `describe t`: per column its type, counts, range, mean and distinct values.
    func describe(_ n: NameRef) throws(TallyError) -> [Event] {
        guard let cell = workspace[n.name] else {
            let hint = Suggestions.closest(to: n.name, among: workspace.order).map { "did you mean `\($0)`?" }
            throw TallyError(.unknownName(n.name), span: n.span, hint: hint)
        }
        guard case .table(let t) = cell.value else {
            throw TallyError(.command("`\(n.name)` is a \(cell.value.typeName), not a table"), span: n.span)
        }
        let count: Int, summaries: [ColumnSummary]
        if let source = RemoteSource(t), let remote = host?.remoteTables {
            // A remote table is described by its server: one query, no row fetched.
            (count, summaries) = try remote.describe(t, source: source, span: n.span)
        } else {
            var local: [ColumnSummary] = []
            for c in t.columns {
                try interruptCheck(n.span)
                local.append(Self.summary(c))
            }
            (count, summaries) = (t.rowCount, local)
        }
        var rows: [[Value]] = Array(repeating: [], count: 8)
        for (c, s) in zip(t.columns.indices, summaries) {
            let row: [Value] = [.text(t.names[c]), .text(t.columns[c].typeName), .num(Double(s.count)), .num(Double(s.empty)),
                                s.min, s.max, s.mean, .num(Double(s.distinct))]
            for (k, v) in row.enumerated() { rows[k].append(v) }
        }
        let headers = ["column", "type", "count", "empty", "min", "max", "mean", "distinct"]
        let table = Table(names: headers, columns: rows.map { Column(storage: .mixed($0)) }) ?? Table()
        return [.described(table, rows: count, notes: cell.columnNotes)]
    }

    /// What `describe` shows of one column held here.
    static func summary(_ c: Column) -> ColumnSummary {
        let empties = c.emptyCount
        var lo = Value.empty, hi = Value.empty, mean = Value.empty
        switch c.storage {
        case .number(let cells):
            let xs = cells.doubles
            var s = CompensatedSum()
            var mn = Double.infinity, mx = -Double.infinity
            for i in 0..<xs.count where c.isValid(i) { s.add(xs[i]); mn = min(mn, xs[i]); mx = max(mx, xs[i]) }
            if c.count > empties {
                lo = .number(mn, c.format)
                hi = .number(mx, c.format)
                mean = .number(s.value / Double(c.count - empties), c.format)
            }
        case .date(let ds):
            var mn = Int32.max, mx = Int32.min
            for i in 0..<ds.count where c.isValid(i) { mn = min(mn, ds[i]); mx = max(mx, ds[i]) }
            if mn <= mx { lo = .date(TallyDate(days: mn)); hi = .date(TallyDate(days: mx)) }
        case .text(_, let dict):
            let used = c.usedCodes()
            let texts = dict.indices.filter { used[$0] }.map { dict[$0] }
            if let a = texts.min(), let b = texts.max() { lo = .text(a); hi = .text(b) }
        default: break
        }
        return ColumnSummary(count: c.count - empties, empty: empties, min: lo, max: hi, mean: mean, distinct: c.distinctCount())
    }

    private func interruptCheck(_ span: SourceSpan) throws(TallyError) {
        if isInterrupted() { throw TallyError(.interrupted, span: span) }
    }
}
