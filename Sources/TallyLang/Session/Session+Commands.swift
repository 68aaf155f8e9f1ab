import TallyCore

extension Session {
    /// Runs a parsed command.
    func command(_ c: Command, text: String) throws(TallyError) -> [Event] {
        switch c {
        case .undo: return try stepHistory(undo: true, span: statementSpan)
        case .redo: return try stepHistory(undo: false, span: statementSpan)
        case .list(let scope): return [try list(scope)]
        case .drop(let names): return try drop(names)
        case .dropScenario(let n): return try dropScenario(n)
        case .rename(let from, let to): return try rename(from, to: to, text: text)
        case .load(let spec): return try load(spec, text: text)
        case .reload(let n): return try reload(n)
        case .set(let key, let value, let span):
            let host = try requireHost("set", span: key.span)
            let shown = try host.applySetting(key: key, value: value, valueSpan: span)
            if replaying == 0 { onCommit?(text.trimmed) } else { batchStatements?.append(text.trimmed) }
            return [.message(shown)]
        case .whatIf(let overrides, let targets): return try whatIf(overrides, targets: targets)
        case .scenario(let name, let overrides): return try defineScenario(name, overrides, text: text)
        case .scenarioApply(let name): return try applyScenario(name, text: text)
        case .scenarios: return [listScenarios()]
        case .compare(let targets): return try compare(targets)
        case .goalseek(let target, let value, let input, let options):
            return try goalseek(target, value: value, by: input, options: options, text: text)
        case .datatable(let targets, let axes): return try datatable(targets, axes: axes)
        case .sensitivity(let target, let options): return try sensitivity(target, options: options)
        case .save(let path, let span, let options): return try save(path, span: span, options: options)
        case .open(let path, let span): return try open(path, span: span, text: text)
        case .export(let source, let path, let span, let options): return try export(source, path: path, span: span, options: options)
        case .describe(let n): return try describe(n)
        case .explain(let e): return try explain(e)
        }
    }

    /// The span of the latest registered source's first word (for errors of bare commands).
    var statementSpan: SourceSpan {
        let id = sources.sources.count - 1
        let n = sources.source(id)?.text.prefix { !$0.isWhitespace }.unicodeScalars.count ?? 1
        return SourceSpan(source: id, start: 0, end: max(1, n))
    }

    func requireHost(_ what: String, span: SourceSpan) throws(TallyError) -> SessionHost {
        guard let host else { throw TallyError(.command("`\(what)` needs files and settings, which this session has no access to"), span: span) }
        return host
    }

    func unknown(_ n: NameRef, _ what: String = "name") -> TallyError {
        let hint = Suggestions.closest(to: n.name, among: workspace.order).map { "did you mean `\($0)`?" }
        return TallyError(what == "name" ? .notDefined(n.name) : .command("no \(what) `\(n.name)`"), span: n.span, hint: hint)
    }

    /// The `.cells` event for a plain `list`: every cell.
    func list() -> Event { (try? list(.all)) ?? .cells([], scope: .all) }

    /// The `.cells` event for `list`: every cell, one kind of cell, or the named ones.
    func list(_ scope: ListScope) throws(TallyError) -> Event {
        func summary(_ n: String) -> CellSummary? {
            guard let c = workspace[n] else { return nil }
            let defs = [c.definition] + c.columnFormulas.map(\.definition)
            return CellSummary(name: n, definition: defs.joined(separator: "; "), value: c.value, isInput: c.isInput)
        }
        func isTable(_ c: Cell) -> Bool { if case .table = c.value { true } else { false } }
        switch scope {
        case .names(let names):
            var out: [CellSummary] = []
            for n in names {
                guard let s = summary(n.name) else { throw unknown(n) }
                out.append(s)
            }
            return .cells(out, scope: scope)
        case .all, .tables, .formulas, .inputs:
            let shown = workspace.order.filter { n in
                guard let c = workspace[n] else { return false }
                switch scope {
                case .tables: return isTable(c)
                case .inputs: return c.isInput && !isTable(c)
                case .formulas: return !c.isInput && !isTable(c)
                default: return true
                }
            }
            return .cells(shown.compactMap(summary), scope: scope)
        }
    }

    func drop(_ names: [NameRef]) throws(TallyError) -> [Event] {
        let dropping = Set(names.map(\.name))
        for n in names {
            guard workspace[n.name] != nil else { throw unknown(n) }
            let others = workspace.directDependents(of: n.name).filter { !dropping.contains($0) }
            if !others.isEmpty {
                throw TallyError(.hasDependents(name: n.name, dependents: others), span: n.span,
                                 hint: "drop or redefine \(others.count == 1 ? "it" : "them") first")
            }
        }
        begin()
        for n in names { remove(n.name) }
        let notes = commit("drop " + names.map(\.name).joined(separator: ", "))
        return [.message(Note(.dropped, [.list(names.map { .name($0.name) })]))] + notes
    }

    /// `rename a to b`: the cell and every definition that refers to it.
    func rename(_ from: NameRef, to: NameRef, text: String) throws(TallyError) -> [Event] {
        guard let cell = workspace[from.name] else { throw unknown(from) }
        try checkName(to.name, to.span, what: "a formula or table")
        if workspace[to.name] != nil {
            throw TallyError(.command("`\(to.name)` is already defined"), span: to.span, hint: "drop it first, or choose another name")
        }
        begin()
        var renamed = cell
        renamed.name = to.name
        if let expr = cell.expr {
            let def = Rename.definition(cell.definition, from: from.name, to: to.name, defining: true)
            renamed.definition = def
            renamed.expr = try reparse(def, fallback: expr)
        }
        renamed.columnFormulas = cell.columnFormulas.map { f in
            var g = f
            g.definition = Rename.definition(f.definition, from: from.name, to: to.name, defining: true)
            return g
        }
        remove(from.name)
        put(renamed)
        for name in workspace.order where name != to.name {
            guard var c = workspace[name], c.dependencies.contains(from.name) else { continue }
            c.definition = Rename.definition(c.definition, from: from.name, to: to.name, defining: false)
            if c.expr != nil, case .define(_, _, let e)? = try reparsed(c.definition) { c.expr = e }
            var formulas: [ColumnFormula] = []
            for f in c.columnFormulas {
                var g = f
                g.definition = Rename.definition(f.definition, from: from.name, to: to.name, defining: false)
                if case .defineColumn(_, _, _, let e)? = try reparsed(g.definition) { g.expr = e }
                formulas.append(g)
            }
            c.columnFormulas = formulas
            c.dependencies.remove(from.name)
            c.dependencies.insert(to.name)
            put(c)
        }
        for (i, s) in workspace.scenarios.enumerated() where s.overrides.contains(where: { $0.name.name == from.name || $0.expr.names.contains(from.name) }) {
            var all = workspace.scenarios
            all[i].overrides = s.overrides.map { o in
                var p = o
                if p.name.name == from.name { p.name.name = to.name }
                p.text = Rename.definition(p.text, from: from.name, to: to.name, defining: false)
                return p
            }
            setScenarios(all)
        }
        _ = try recalculate(after: [to.name], includingRoots: true)
        let notes = commit(text.trimmed)
        let users = workspace.directDependents(of: to.name)
        let said: NotePart = users.isEmpty ? .text("") : .phrase(.renamedSaid, [.counted(users.count, .nounDefinition)])
        return [.message(Note(.renamed, [.name(from.name), .name(to.name), said]))] + notes
    }

    private func reparse(_ definition: String, fallback: Expr) throws(TallyError) -> Expr {
        if case .define(_, _, let e)? = try reparsed(definition) { return e }
        return fallback
    }

    /// A rewritten definition parsed again (registered so later errors can point at it).
    private func reparsed(_ definition: String) throws(TallyError) -> Statement? {
        try Parser.parseStatement(definition, source: registerSource(definition, name: "<rename>", line: 1))
    }

    func load(_ spec: LoadSpec, text: String) throws(TallyError) -> [Event] {
        let host = try requireHost("load", span: spec.pathSpan ?? statementSpan)
        if let n = spec.name { try checkName(n, spec.nameSpan, what: "a table") }
        let data = try host.load(spec)
        return try defineData(data, spec: spec, description: spec.canonical)
    }

    /// `reload t`: the table's load statement again.
    func reload(_ n: NameRef) throws(TallyError) -> [Event] {
        guard let cell = workspace[n.name], case .loaded(var spec) = cell.origin, spec.isReloadable else {
            // Suggest only tables read from a file; a demo table comes back with `load demo`.
            let files = workspace.order.filter { if case .loaded(let s)? = workspace[$0]?.origin, s.isReloadable { true } else { false } }
            var hint = Suggestions.closest(to: n.name, among: files).map { "did you mean `\($0)`?" }
            if case .loaded(let s)? = workspace[n.name]?.origin, s.source == .demo { hint = "`load demo` loads the sample tables again" }
            throw TallyError(.command("`\(n.name)` is not a loaded table"), span: n.span, hint: hint)
        }
        spec.nameSpan = n.span
        spec.pathSpan = n.span
        let host = try requireHost("reload", span: n.span)
        return try defineData(try host.load(spec), spec: spec, description: "reload \(Canonical.name(n.name))")
    }
}
