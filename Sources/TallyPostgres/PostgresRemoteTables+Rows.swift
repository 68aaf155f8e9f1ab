import TallyCore
import TallyLang
import TallySQL

/// A remote table read rather than computed on: all its rows or some columns, its first
/// rows with their count (its name typed alone), and `describe`'s summary.
extension PostgresRemoteTables {
    public func fetch(_ standIn: Table, source: RemoteSource, columns: [String]?, span: SourceSpan) throws(TallyError) -> Table {
        let base = SQLCompiler.baseQuery(source, standIn)
        let plan = RemotePlan(source: source, query: columns.map { base.selecting($0) } ?? base, result: .table, steps: [])
        let t = try fetchRows(plan, span: span)
        if let columns, columns.count == 1, let only = columns.first {
            notes.append(Note(.remoteFetchedColumn, [.counted(t.rowCount, .nounRow), .name(only)]))
        } else {
            notes.append(Note(.remoteFetchedAll, [.counted(t.rowCount, .nounRow)]))
        }
        return t
    }

    public func preview(_ standIn: Table, source: RemoteSource, rows: Int, span: SourceSpan) throws(TallyError) -> Table {
        let base = SQLCompiler.baseQuery(source, standIn)
        let counted = try fetchRows(RemotePlan(source: source, query: base.counted(), result: .scalar, steps: []), span: span)
        guard counted.rowCount == 1, case .number(let n, _) = counted.columns[0][0] else {
            throw TallyError(.command("postgres at \(source.server): count(*) gave no number"), span: span)
        }
        var t = try fetchRows(RemotePlan(source: source, query: base.limited(rows), result: .table, steps: []), span: span)
        let total = Int(n)
        if total > t.rowCount {
            t.display.metadata[Table.totalRowsKey] = .number(n, .plain)
            notes.append(Note(.remotePreview, [.counted(t.rowCount, .nounRow), .counted(total, .nounRow)]))
        }
        return t
    }

    public func describe(_ standIn: Table, source: RemoteSource, span: SourceSpan) throws(TallyError) -> (rows: Int, columns: [ColumnSummary]) {
        let query = SQLCompiler.baseQuery(source, standIn).described()
        let t = try fetchRows(RemotePlan(source: source, query: query, result: .table, steps: []), span: span)
        func cell(_ name: String) -> Value { t.column(named: name).map { $0.count == 1 ? $0[0] : .empty } ?? .empty }
        func whole(_ name: String) -> Int { if case .number(let x, _) = cell(name), x >= 0, x < 1e15 { return Int(x) } else { return 0 } }
        let columns = standIn.names.indices.map { i in
            ColumnSummary(count: whole("n_\(i)"), empty: whole("e_\(i)"), min: cell("lo_\(i)"), max: cell("hi_\(i)"),
                          mean: cell("mean_\(i)"), distinct: whole("d_\(i)"))
        }
        return (whole("rows"), columns)
    }
}
