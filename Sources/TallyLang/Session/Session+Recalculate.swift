import TallyCore

/// A cell's value as computed, with the table before its computed columns (kept so that
/// one column can be computed again alone).
struct Computed {
    var value: Value
    var uncomputed: Value?
}

/// Recalculation over the node graph: a cell's own formula is one node, each computed
/// column `t.col` another. A change recomputes only the nodes it reaches, and a node whose
/// value comes out unchanged stops the change there (early cutoff).
extension Session {
    /// `cell` with its value (and the table before its computed columns) computed.
    func computed(_ cell: Cell) throws(TallyError) -> Cell {
        var c = cell
        let r = try computeWhole(cell)
        c.value = r.value
        c.uncomputed = r.uncomputed
        return c
    }

    /// Evaluates the cell's own formula (or takes its data), then every computed column in
    /// order.
    func computeWhole(_ cell: Cell, overlay: [String: Value] = [:]) throws(TallyError) -> Computed {
        var v: Value
        if let expr = cell.expr {
            nodeEvaluated?(cell.name)
            v = try evaluator(for: cell, overlay: overlay).evaluate(expr)
        } else {
            v = cell.base ?? .empty
        }
        // Only a table that has computed columns needs its uncomputed self kept.
        let uncomputed: Value? = cell.columnFormulas.isEmpty ? nil : v
        for f in cell.columnFormulas {
            guard case .table(let t) = v else { break }
            v = try applyColumn(f, to: t, cell: cell, overlay: overlay)
        }
        if case .table? = uncomputed, case .table = v { return Computed(value: v, uncomputed: uncomputed) }
        return Computed(value: v, uncomputed: nil)
    }

    func applyColumn(_ f: ColumnFormula, to t: Table, cell: Cell, overlay: [String: Value] = [:]) throws(TallyError) -> Value {
        nodeEvaluated?("\(cell.name).\(f.column)")
        var ev = evaluator(for: cell, overlay: overlay)
        ev.columns = t
        let result = try ev.evaluate(f.expr)
        let column: Column
        switch result {
        case .column(let c) where c.count == t.rowCount: column = c
        case .list(let xs) where xs.count == t.rowCount && !xs.contains(where: \.isContainer): column = Column(values: xs)
        case .column, .table:
            throw TallyError(.arguments("the new column must have \(t.rowCount) \(Plural.noun(t.rowCount, "row"))"), span: f.expr.span)
        case .list(let xs) where xs.count != t.rowCount:
            throw TallyError(.arguments("the new column must have \(t.rowCount) \(Plural.noun(t.rowCount, "row")), the list has \(xs.count)"), span: f.expr.span)
        case .record, .list:
            throw TallyError(.arguments("a column cell cannot hold a \(result.typeName) of values"), span: f.expr.span,
                             hint: "a computed column holds one number, text, date or boolean per row")
        default: column = Column(values: Array(repeating: result, count: t.rowCount))
        }
        guard let out = t.setting(f.column, to: column) else {
            throw TallyError(.arguments("the new column must have \(t.rowCount) \(Plural.noun(t.rowCount, "row"))"), span: f.expr.span)
        }
        return .table(out)
    }

    /// The cell computed again after the cells in `changed` changed value, or nil when
    /// nothing it reads did. Columns left alone keep the workspace's values, which hold in
    /// a trial too: a node a trial skips has the same inputs there.
    func recompute(_ cell: Cell, after changed: Set<String>, overlay: [String: Value] = [:]) throws(TallyError) -> Computed? {
        switch Recomputation.of(cell, after: changed) {
        case .none:
            return nil
        case .whole:
            return try computeWhole(cell, overlay: overlay)
        case .columns:
            return try recomputeColumns(cell, overlay: overlay) { node, moved in
                !node.dependencies.isDisjoint(with: changed) || node.reads.contains(where: moved.contains)
            }
        }
    }

    /// The cell with the computed columns that `dirty` picks (given the columns that moved
    /// so far) computed again, in order, each against the table as it saw it; the others
    /// keep their values. The whole cell when it has no computed table to start from.
    func recomputeColumns(_ cell: Cell, overlay: [String: Value] = [:],
                          dirty: (ColumnNode, Set<Int>) -> Bool) throws(TallyError) -> Computed {
        guard case .table(var table) = cell.value, case .table(let uncomputed)? = cell.uncomputed else {
            return try computeWhole(cell, overlay: overlay)
        }
        var moved = Set<Int>()
        for node in cell.columnNodes where dirty(node, moved) {
            guard let stage = Session.stage(before: node.index, of: cell.columnFormulas, uncomputed: uncomputed, computed: table),
                  case .table(let out) = try applyColumn(node.formula, to: stage, cell: cell, overlay: overlay),
                  let column = out.column(named: node.formula.column) else {
                return try computeWhole(cell, overlay: overlay)
            }
            guard column != table.column(named: node.formula.column) else { continue }
            guard let next = table.setting(node.formula.column, to: column) else { return try computeWhole(cell, overlay: overlay) }
            moved.insert(node.index)
            table = next
        }
        return Computed(value: .table(table), uncomputed: cell.uncomputed)
    }

    /// The table before computed column `index` is applied: the uncomputed table with the
    /// earlier computed columns taken from `computed`. Nil when one is missing.
    static func stage(before index: Int, of formulas: [ColumnFormula], uncomputed: Table, computed: Table) -> Table? {
        var t = uncomputed
        for f in formulas.prefix(index) {
            guard let c = computed.column(named: f.column), let next = t.setting(f.column, to: c) else { return nil }
            t = next
        }
        return t
    }

    /// Recalculates what depends on `roots` in dependency order and returns the changes.
    /// Each root counts as changed; a recomputed cell or column whose value comes out the
    /// same does not pass the change on. With `includingRoots`, the roots are computed
    /// again in full too (after `undo` restored them) and reported by the caller.
    func recalculate(after roots: [String], includingRoots: Bool = false) throws(TallyError) -> [Change] {
        var changes: [Change] = []
        var changed = Set(roots)
        let order = DependencyGraph.recalculationOrder(after: roots, in: workspace, includingRoots: includingRoots)
        for name in order {
            guard let cell = workspace[name] else { continue }
            let isRoot = includingRoots && roots.contains(name)
            let result: Computed
            do {
                let r = isRoot ? try computeWhole(cell) : try recompute(cell, after: changed)
                guard let r else { continue }
                result = r
            } catch let e where e.kind == .interrupted {
                throw e
            } catch {
                result = Computed(value: .error(ErrorValue(.reference, error.message, span: error.span ?? cell.span)))
            }
            if result.value != cell.value, !isRoot {
                changes.append(Change(name: name, old: cell.value, new: result.value))
                changed.insert(name)
            }
            setValue(result.value, uncomputed: result.uncomputed, of: name)
        }
        return changes
    }
}
