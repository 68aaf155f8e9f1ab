import TallyCore

extension Session {
    func checkName(_ name: String, _ span: SourceSpan?, what: String = "a formula") throws(TallyError) {
        if Session.commandWords.contains(name) {
            throw TallyError(.syntax("`\(name)` is a command and cannot name \(what)"), span: span,
                             hint: "choose another name, e.g. `\(name)_1`")
        }
        if name == "_" || name == "ans" {
            throw TallyError(.syntax("`\(name)` always holds the last value and cannot be defined"), span: span)
        }
    }

    /// `name = expr`.
    func define(_ name: String, nameSpan: SourceSpan, expr: Expr, text: String) throws(TallyError) -> [Event] {
        try checkName(name, nameSpan)
        let mentioned = expr.names
        var deps = mentioned.filter { workspace[$0] != nil || $0 == name }
        if expr.calls("compare") { deps.insert(Session.scenariosNode) }
        if let path = DependencyGraph.cycle(defining: name, dependencies: deps, in: workspace) {
            let current = workspace[name].map { " (\(name) is \(Operators.display($0.value)) now)" } ?? ""
            throw TallyError(.cycle(path), span: expr.span,
                             hint: path.count == 2 ? "a formula cannot refer to itself; to change an input, give its new value\(current)" : "nothing changed")
        }
        var captured: [String: Value] = [:]
        for n in ["_", "ans"] where mentioned.contains(n) && workspace[n] == nil {
            if let v = lastValue { captured[n] = v }
        }
        var cell = Cell(name: name, origin: .formula, expr: expr, definition: text.trimmed,
                        span: expr.span, captured: captured, dependencies: deps, value: .empty)
        // A redefined table keeps its computed columns while it stays a table.
        if let old = workspace[name], !old.columnFormulas.isEmpty {
            cell.columnFormulas = old.columnFormulas
            cell.dependencies.formUnion(old.columnFormulas.flatMap { $0.expr.names }.filter { workspace[$0] != nil && $0 != name })
        }
        begin()
        let before = workspace[name]?.value
        cell = try computed(cell)
        put(cell)
        // A redefinition that keeps the value recalculates nothing (early cutoff).
        let changes = before == cell.value ? [] : try recalculate(after: [name])
        let notes = commit(text.trimmed)
        if case .error = cell.value {} else { lastValue = cell.value }
        return [.defined(name: name, value: cell.value)] + (changes.isEmpty ? [] : [.changed(changes)]) + notes
    }

    /// `table.column = expr`.
    func defineColumn(table: String, column: String, nameSpan: SourceSpan, expr: Expr, text: String) throws(TallyError) -> [Event] {
        guard var cell = workspace[table] else {
            let hint = Suggestions.closest(to: table, among: workspace.order).map { "did you mean `\($0)`?" }
            throw TallyError(.unknownName(table), span: nameSpan, hint: hint)
        }
        guard case .table(let t) = cell.value else {
            throw TallyError(.arguments("`\(table)` is a \(cell.value.typeName), not a table"), span: nameSpan)
        }
        if RemoteSource(t) != nil {
            throw TallyError(.arguments("`\(table)` is a remote table; its columns live on the server"), span: nameSpan,
                             hint: "make a local copy first: \(table)_local = collect(\(table))")
        }
        let deps = expr.names.filter { workspace[$0] != nil && $0 != table }
        for d in deps {
            if let path = DependencyGraph.cycle(defining: table, dependencies: [d], in: workspace) {
                throw TallyError(.cycle(path), span: expr.span, hint: "nothing changed")
            }
        }
        let formula = ColumnFormula(column: column, expr: expr, definition: text.trimmed)
        var formulas = cell.columnFormulas
        if let i = formulas.firstIndex(where: { $0.column == column }) { formulas[i] = formula } else { formulas.append(formula) }
        if let path = DependencyGraph.columnCycle(formulas, table: table, changed: column) {
            throw TallyError(.cycle(path), span: expr.span,
                             hint: path.count == 2 ? "a computed column cannot refer to itself; define a new column, e.g. \(table).\(column)_2" : "nothing changed")
        }
        // Only the new column, and the later ones that read it, are computed.
        if cell.columnFormulas.isEmpty { cell.uncomputed = cell.value }
        let index = formulas.firstIndex { $0.column == column } ?? formulas.count
        cell.columnFormulas = formulas
        cell.dependencies.formUnion(deps)
        begin()
        let before = cell.value
        let r = try recomputeColumns(cell) { node, moved in node.index == index || node.reads.contains(where: moved.contains) }
        cell.value = r.value
        cell.uncomputed = r.uncomputed
        put(cell)
        let changes = before == cell.value ? [] : try recalculate(after: [table])
        let notes = commit(text.trimmed)
        var shape: [NotePart] = [.counted(0, .nounRow), .counted(0, .nounColumn)]
        if case .table(let t) = cell.value { shape = [.counted(t.rowCount, .nounRow), .counted(t.columnCount, .nounColumn)] }
        var events: [Event] = [.message(Note(.columnDefined, [.text(table), .text(column)] + shape))]
        if !changes.isEmpty { events.append(.changed(changes)) }
        return events + notes
    }

    /// Defines (or replaces) tables that came from outside and recalculates what depends
    /// on them; computed columns of an earlier table of that name are applied again.
    /// Refused, with nothing changed, when a name is taken by a formula or a computed
    /// column no longer fits.
    func defineData(_ data: LoadedData, spec: LoadSpec, description: String) throws(TallyError) -> [Event] {
        var events: [Event] = []
        begin()
        for (name, table) in data.tables {
            try checkName(name, spec.nameSpan, what: "a table")
            let old = workspace[name]
            if let old, old.origin == .formula {
                throw TallyError(.syntax("`\(name)` is a formula; loading a table under its name would replace it"), span: spec.nameSpan,
                                 hint: "drop it first, or load under another name")
            }
            var cell = Cell(name: name, origin: .loaded(spec), expr: nil, definition: spec.canonical,
                            span: spec.nameSpan, base: .table(table), dependencies: [], value: .table(table))
            cell.columnNotes = data.columnNotes[name] ?? [:]
            events += try putTable(cell)
        }
        events += data.report.map { .message($0) }
        return events + commit(description)
    }
}

extension Session {
    /// Puts a data cell in place of any earlier table of its name, keeping that table's
    /// computed columns, and recalculates what depends on it.
    private func putTable(_ new: Cell) throws(TallyError) -> [Event] {
        var cell = new
        if let old = workspace[cell.name] {
            cell.columnFormulas = old.columnFormulas
            cell.captured = old.captured
            cell.dependencies = Set(old.columnFormulas.flatMap { $0.expr.names }.filter { workspace[$0] != nil && $0 != cell.name })
        }
        let before = workspace[cell.name]?.value
        cell = try computed(cell)
        put(cell)
        let changes = before == cell.value ? [] : try recalculate(after: [cell.name])
        return [.defined(name: cell.name, value: cell.value)] + (changes.isEmpty ? [] : [.changed(changes)])
    }

    /// Defines a table handed in by the embedding program (tests, tools), as if loaded.
    @discardableResult
    public func defineTable(_ name: String, _ table: Table) -> [Event] {
        do {
            begin()
            try checkName(name, nil, what: "a table")
            let cell = Cell(name: name, origin: .given, expr: nil, definition: "# table \(name) given by the program",
                            span: nil, base: .table(table), dependencies: [], value: .table(table))
            return try putTable(cell) + commit("# table \(name)")
        } catch {
            rollback()
            return [.error(error)]
        }
    }
}
