/// A computed column as its own node of the recalculation graph, named `table.column`
/// (`t.net`). It depends on the workspace names its formula mentions, on its table's own
/// formula (the rows it extends) and on the earlier computed columns of the table that it
/// reads as bare names. A later column cannot feed it: columns are applied in order, so
/// when it runs a later column does not exist yet (or is still the loaded one).
struct ColumnNode: Sendable {
    var table: String
    /// Its place among the table's computed columns.
    var index: Int
    var formula: ColumnFormula
    /// The workspace cells its formula refers to.
    var dependencies: Set<String>
    /// The earlier computed columns of the same table it reads.
    var reads: [Int]

    /// `t.net`.
    var name: String { "\(table).\(formula.column)" }
}

extension Cell {
    /// Its computed columns as nodes, in the order they are applied.
    var columnNodes: [ColumnNode] {
        var nodes: [ColumnNode] = []
        var earlier: [String: Int] = [:]
        for (i, f) in columnFormulas.enumerated() {
            let names = f.expr.names
            nodes.append(ColumnNode(table: name, index: i, formula: f,
                                    dependencies: dependencies.intersection(names),
                                    reads: names.compactMap { earlier[$0] }.sorted()))
            earlier[f.column] = i
        }
        return nodes
    }

    /// The cells its own formula (or data) depends on: a change of any of them means the
    /// whole table, every computed column included, is computed again. A dependency that
    /// no computed column mentions counts here too, so that none is ever missed.
    var ownDependencies: Set<String> {
        let own = expr?.names ?? []
        var columns = Set<String>()
        for f in columnFormulas { columns.formUnion(f.expr.names) }
        return dependencies.filter { own.contains($0) || !columns.contains($0) }
    }
}

/// The work a change asks of one cell.
enum Recomputation {
    /// Nothing it reads changed.
    case none
    /// Its own formula or data: the whole value.
    case whole
    /// Only some computed columns, in order: those a changed cell feeds, and those reading
    /// an earlier column that turns out to have moved (known only while running).
    case columns

    /// What `cell` needs after the cells in `changed` changed value.
    static func of(_ cell: Cell, after changed: Set<String>) -> Recomputation {
        guard !cell.dependencies.isDisjoint(with: changed) else { return .none }
        guard !cell.columnFormulas.isEmpty, cell.ownDependencies.isDisjoint(with: changed) else { return .whole }
        return .columns
    }
}
