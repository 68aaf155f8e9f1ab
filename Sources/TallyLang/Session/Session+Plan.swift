import TallyCore

extension Session {
    /// The most cells a table may have to be embedded by `save ..., data: true`.
    public static let embedLimit = 200_000

    /// The workspace as a script that rebuilds it: settings, loads, inputs, formulas and
    /// computed columns in dependency order, then scenarios. With `embedData`, loaded
    /// tables up to `embedLimit` cells are written as `table(...)` literals so the plan
    /// travels as one file; larger ones keep their `load`.
    public func planScript(embedData: Bool, settings: [String]) -> String {
        var out = "# Tally plan: `tally FILE` runs it, `open \"FILE\"` restores it. Edit freely.\n"
        out += settings.map { $0 + "\n" }.joined()
        var loadsWritten: [LoadSpec] = []
        let order = DependencyGraph.definitionOrder(workspace)
        for name in order {
            guard let cell = workspace[name] else { continue }
            switch cell.origin {
            case .loaded(let spec):
                if embedData, case .table(let t)? = cell.base, t.rowCount * max(1, t.columnCount) <= Session.embedLimit {
                    out += "# from: \(spec.canonical)\n"
                    out += "\(Canonical.name(name)) = \(Canonical.literal(.table(t)))\n"
                } else if !loadsWritten.contains(spec) {
                    loadsWritten.append(spec)
                    if embedData, case .table(let t)? = cell.base {
                        out += "# \(Canonical.name(name)) has \(t.rowCount) rows x \(t.columnCount) columns, more than a plan embeds (\(Session.embedLimit) cells)\n"
                    }
                    out += spec.canonical + "\n"
                }
            case .given:
                out += "\(Canonical.name(name)) = \(Canonical.literal(cell.base ?? .empty))\n"
            case .formula:
                if cell.captured.isEmpty {
                    out += cell.definition + "\n"
                } else {
                    out += "# was: \(cell.definition.replacing("\n", with: " "))\n"
                    out += "\(Canonical.name(name)) = \(Canonical.literal(cell.value))\n"
                }
            }
            for f in cell.columnFormulas { out += f.definition + "\n" }
        }
        for s in workspace.scenarios { out += s.definition + "\n" }
        return out
    }

    /// `save "plan.tally", data: true`.
    func save(_ path: String, span: SourceSpan, options: [CommandOption]) throws(TallyError) -> [Event] {
        var embed = false
        for o in options {
            guard o.label.name == "data" else {
                throw TallyError(.syntax("`save` has no option `\(o.label.name)`"), span: o.label.span, hint: "data: true embeds loaded tables")
            }
            guard case .bool(let b) = try CommandParser.constant(o.value) else {
                throw TallyError(.syntax("`data` is true or false"), span: o.value.span)
            }
            embed = b
        }
        let host = try requireHost("save", span: span)
        let text = planScript(embedData: embed, settings: host.planSettings())
        try host.writePlan(path: path, text: text, span: span)
        unsaved = []
        let formulas = workspace.cells.values.filter { $0.origin == .formula }.count
        let tables = workspace.cells.count - formulas
        var parts: [NotePart] = [.counted(formulas, .nounFormula)]
        if tables > 0 { parts.append(embed ? .phrase(.savedEmbedded, [.counted(tables, .nounTable)]) : .counted(tables, .nounTable)) }
        if !workspace.scenarios.isEmpty { parts.append(.counted(workspace.scenarios.count, .nounScenario)) }
        return [.message(Note(.saved, [.text(path), .list(parts)]))]
    }

    /// `open "plan.tally"`: replaces the workspace with the plan's; one `undo` brings the
    /// old one back. A plan that fails anywhere changes nothing and names file:line:col.
    func open(_ path: String, span: SourceSpan, text: String) throws(TallyError) -> [Event] {
        guard replaying == 0 else { throw TallyError(.command("a plan cannot open another plan"), span: span) }
        let host = try requireHost("open", span: span)
        let script = try host.readPlan(path: path, span: span)
        if let line = ScriptSplitter.unfinished(script) {
            // Point at the statement that never closes, on its own line of the plan.
            let lineText = String(ScriptSplitter.lines(script)[line - 1])
            let id = registerSource(lineText, name: path, line: line)
            let column = lineText.unicodeScalars.prefix { $0 == " " || $0 == "\t" }.count
            throw TallyError(.syntax("the plan ends inside an open bracket or text"), span: SourceSpan(source: id, start: column, end: column + 1))
        }
        begin()
        replaying += 1
        defer { replaying -= 1 }
        for name in workspace.order { remove(name) }
        setScenarios([])
        let last = lastValue
        for stmt in ScriptSplitter.statements(script) {
            if case .command(let c)? = try? Parser.parseStatement(stmt.text, source: -1), c == .undo || c == .redo {
                throw TallyError(.command("\(path):\(stmt.line): a plan cannot undo or redo"), span: span)
            }
            let id = registerSource(stmt.text, name: path, line: stmt.line, context: stmt.context)
            let events = try execute(stmt.text, source: id)
            if case .error(let e)? = events.first(where: { if case .error = $0 { return true } else { return false } }) { throw e }
        }
        lastValue = last
        replaying -= 1
        let notes = commit(text.trimmed)
        replaying += 1
        unsaved = []
        let n = workspace.cells.count
        return [.message(Note(.opened, [.text(path), .counted(n, .nounName), .counted(workspace.scenarios.count, .nounScenario)]))] + notes
    }
}
