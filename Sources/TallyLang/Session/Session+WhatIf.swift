import TallyCore

extension Session {
    /// `what if a = 1, b = 2: f1, f2`: base against what-if for each formula, as a table
    /// (formula, base, what-if, change, % change). Nothing in the workspace changes.
    func whatIf(_ overrides: [Override], targets: [NameRef]) throws(TallyError) -> [Event] {
        for t in targets where workspace[t.name] == nil { throw unknown(t) }
        let values = try overrideValues(overrides)
        let overridden = Set(values.keys)
        let wanted = targets.isEmpty ? nil : Set(targets.map(\.name))
        let order = trialOrder(overriding: overridden, targets: wanted)
        let trial = try runTrial(order, overrides: values)
        var names: [String]
        if targets.isEmpty {
            names = overrides.map(\.name.name) + order.filter { trial[$0] != workspace[$0]?.value }
        } else {
            names = targets.map(\.name)
        }
        var seen = Set<String>()
        names = names.filter { seen.insert($0).inserted }
        var table = comparisonTable(names, columns: [("what-if", trial)], withChange: true)
        var notes: [Note] = []
        let formulas = overriddenFormulas(overrides)
        if !formulas.isEmpty {
            notes.append(Note(formulas.count == 1 ? .whatIfFormula : .whatIfFormulas, [.list(formulas.map(NotePart.name))]))
        }
        if names.isEmpty { notes.append(Note(.whatIfNoDependents, [.list(overrides.map { .name($0.name.name) })])) }
        notes.append(Note(.whatIfNothingChanged))
        table.display.notes = notes
        lastValue = .table(table)
        return [.value(.table(table))]
    }

    /// formula | base | one column per trial (| change | % change for a single trial).
    /// A table-valued formula shows its headline total.
    func comparisonTable(_ names: [String], columns: [(String, [String: Value])], withChange: Bool) -> Table {
        var label: [Value] = [], base: [Value] = []
        var trials = Array(repeating: [Value](), count: columns.count)
        var change: [Value] = [], percent: [Value] = []
        for n in names {
            let b = workspace[n]?.value ?? .empty
            if let (what, h) = Session.headline(b, preferring: columns.compactMap { $0.1[n] }) {
                label.append(.text("\(n) (\(what))"))
                base.append(h)
                for (k, c) in columns.enumerated() {
                    let v = c.1[n] ?? b
                    trials[k].append(Session.headline(v, preferring: [b]).map { $0.label == what ? $0.value : .text("table") } ?? v)
                }
            } else {
                label.append(.text(n))
                base.append(b)
                for (k, c) in columns.enumerated() { trials[k].append(c.1[n] ?? b) }
            }
            if withChange, let t = trials.first?.last {
                let d = Session.difference(base.last ?? .empty, t)
                change.append(d.change)
                percent.append(d.percent)
            }
        }
        var headers = ["formula", "base"] + columns.map(\.0)
        var cols = [Column(values: label), Session.cells(base)] + trials.map { Session.cells($0) }
        if withChange {
            headers += ["change", "% change"]
            cols += [Session.cells(change), Column(values: percent)]
        }
        var t = Table(names: headers, columns: cols) ?? Table()
        t.display.generatedHeaders = true
        t.display.rowsDiffer = true
        return t
    }

    /// A column whose cells keep their own number formats (one row per formula).
    static func cells(_ values: [Value]) -> Column {
        let formats = Set(values.compactMap { v -> NumberFormat? in if case .number(_, let f) = v { return f } else { return nil } })
        return formats.count > 1 ? Column(storage: .mixed(values)) : Column(values: values)
    }

    /// `scenario best: a = 1, b = 2` stores (or replaces) a named set of overrides.
    func defineScenario(_ name: NameRef, _ overrides: [Override], text: String) throws(TallyError) -> [Event] {
        try checkName(name.name, name.span, what: "a scenario")
        _ = try overrideValues(overrides)
        var all = workspace.scenarios
        let scenario = Scenario(name: name.name, overrides: overrides)
        let replaced = all.firstIndex { $0.name == name.name }
        if let i = replaced { all[i] = scenario } else { all.append(scenario) }
        begin()
        setScenarios(all)
        let recalculated = try scenariosChanged()
        let notes = commit(text.trimmed)
        let formulas = overriddenFormulas(overrides)
        let msg = Note(replaced == nil ? .scenarioStored : .scenarioReplaced,
                       [.text(name.name), .counted(overrides.count, .nounOverride),
                        formulas.isEmpty ? .text("") : .phrase(.scenarioAsFormulas, [.list(formulas.map(NotePart.name))])])
        return [.message(msg)] + recalculated + notes
    }

    func dropScenario(_ name: NameRef) throws(TallyError) -> [Event] {
        guard workspace.scenario(name.name) != nil else { throw unknownScenario(name) }
        begin()
        setScenarios(workspace.scenarios.filter { $0.name != name.name })
        let recalculated = try scenariosChanged()
        let notes = commit("drop scenario \(Canonical.name(name.name))")
        return [.message(Note(.scenarioDropped, [.text(name.name)]))] + recalculated + notes
    }

    func unknownScenario(_ name: NameRef) -> TallyError {
        let names = workspace.scenarios.map(\.name)
        let hint = Suggestions.closest(to: name.name, among: names).map { "did you mean `\($0)`?" }
            ?? (names.isEmpty ? "no scenarios yet: scenario best: visitors = 15000" : "scenarios: " + names.joined(separator: ", "))
        return TallyError(.command("no scenario `\(name.name)`"), span: name.span, hint: hint)
    }

    /// `scenarios`: name and overrides of each.
    func listScenarios() -> Event {
        guard !workspace.scenarios.isEmpty else { return .message(Note(.noScenarios)) }
        var t = Table(names: ["scenario", "overrides"], columns: [
            Column(values: workspace.scenarios.map { .text($0.name) }),
            Column(values: workspace.scenarios.map { s in .text(s.overrides.map { "\($0.name.name) = \($0.text)" }.joined(separator: ", ")) }),
        ]) ?? Table()
        t.display.generatedHeaders = true
        return .value(.table(t))
    }

    /// `compare f1, f2`: one column per scenario beside the base.
    func compare(_ targets: [NameRef]) throws(TallyError) -> [Event] {
        guard !workspace.scenarios.isEmpty else {
            throw TallyError(.command("no scenarios to compare"), span: statementSpan, hint: "scenario best: visitors = 15000, conversion = 4%")
        }
        for t in targets where workspace[t.name] == nil { throw unknown(t) }
        let t = try compareTable(targets)
        lastValue = .table(t)
        return [.value(.table(t))]
    }

    /// formula | base | one column per scenario.
    func compareTable(_ targets: [NameRef]) throws(TallyError) -> Table {
        let wanted = targets.isEmpty ? nil : Set(targets.map(\.name))
        var columns: [(String, [String: Value])] = []
        var changed: Set<String> = []
        for s in workspace.scenarios {
            let values = try overrideValues(s.overrides)
            let order = trialOrder(overriding: Set(values.keys), targets: wanted)
            let trial = try runTrial(order, overrides: values)
            columns.append((s.name, trial))
            changed.formUnion(order.filter { trial[$0] != workspace[$0]?.value })
            changed.formUnion(values.keys)
        }
        let names = targets.isEmpty ? workspace.sorted(changed) : targets.map(\.name)
        var t = comparisonTable(names, columns: columns, withChange: false)
        t.display.notes = workspace.scenarios.map { s in
            Note(.scenarioOverrides, [.text(s.name), .joined(s.overrides.map { .text("\($0.name.name) = \($0.text)") }, ", ")])
        }
        t.display.generatedHeaders = true
        return t
    }

    /// The node that formulas calling `compare(...)` depend on, so that they recalculate
    /// when a scenario changes (`#` cannot start a name, so no cell can take it).
    static let scenariosNode = "#scenarios"

    /// `compare(revenue, profit)` inside a formula: the `compare` table as a value; with no
    /// scenarios, `#N/A`.
    func compareFunction(_ arguments: [Argument], span: SourceSpan) throws(TallyError) -> Value {
        var targets: [NameRef] = []
        for a in arguments {
            guard a.label == nil, case .name(let n, let span) = a.value else {
                throw TallyError(.arguments("compare takes the names of formulas: compare(revenue, profit)"), span: a.value.span)
            }
            targets.append(NameRef(n, span))
        }
        guard !workspace.scenarios.isEmpty else {
            return .error(ErrorValue(.notAvailable, "no scenarios to compare yet", span: span))
        }
        for t in targets where workspace[t.name] == nil { throw unknown(t) }
        return .table(try compareTable(targets))
    }

    /// Recalculates the formulas that call `compare` after the scenarios changed.
    func scenariosChanged() throws(TallyError) -> [Event] {
        guard workspace.dependents[Session.scenariosNode]?.isEmpty == false else { return [] }
        let changes = try recalculate(after: [Session.scenariosNode])
        return changes.isEmpty ? [] : [.changed(changes)]
    }

    /// `scenario apply best`: sets the scenario's overrides as inputs, one undoable step.
    func applyScenario(_ name: NameRef, text: String) throws(TallyError) -> [Event] {
        guard let s = workspace.scenario(name.name) else { throw unknownScenario(name) }
        let values = try overrideValues(s.overrides)
        begin()
        var changes: [Change] = []
        for o in s.overrides {
            guard let v = values[o.name.name] else { continue }
            changes += try setInput(o.name.name, to: v)
        }
        let notes = commit(text.trimmed)
        return [.message(Note(.scenarioApplied, [.text(s.name), .joined(s.overrides.map { .text("\($0.name.name) = \($0.text)") }, ", ")]))]
            + (changes.isEmpty ? [] : [.changed(Session.merged(changes))]) + notes
    }

    /// Defines `name` as the constant `v` (an input) inside the running statement and
    /// recalculates its dependents; returns the changes, the input's own first.
    func setInput(_ name: String, to v: Value) throws(TallyError) -> [Change] {
        guard let old = workspace[name] else { return [] }
        let definition = "\(Canonical.name(name)) = \(Canonical.literal(v))"
        let id = registerSource(definition, name: "<\(name)>", line: 1)
        guard case .define(_, _, let expr)? = try Parser.parseStatement(definition, source: id) else { return [] }
        var cell = Cell(name: name, origin: .formula, expr: expr, definition: definition, span: expr.span,
                        dependencies: [], value: v)
        cell.columnFormulas = old.columnFormulas
        cell = try computed(cell)
        put(cell)
        guard old.value != cell.value else { return [] }
        return [Change(name: name, old: old.value, new: cell.value)] + (try recalculate(after: [name]))
    }

    /// One change per name: the first old value and the last new one, in definition order.
    static func merged(_ changes: [Change]) -> [Change] {
        var out: [Change] = []
        var index: [String: Int] = [:]
        for c in changes {
            if let i = index[c.name] { out[i].new = c.new } else { index[c.name] = out.count; out.append(c) }
        }
        return out.filter { $0.old != $0.new }
    }
}
