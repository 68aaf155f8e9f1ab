import TallyCore

extension Session {
    /// Defines (or replaces) a table that came from outside, such as a loaded file, and
    /// recalculates everything that depends on it. `statement` is what replays it
    /// (`load "orders.csv" as orders`); computed columns of an earlier table of that name
    /// are applied again. Refused, with nothing changed, when the name is taken by a formula
    /// or a computed column no longer fits.
    public func defineData(_ name: String, table: Table, statement: String, span: SourceSpan?) -> [Event] {
        do {
            return try defineDataThrowing(name, table: table, statement: statement, span: span)
        } catch {
            return [.error(error)]
        }
    }

    private func defineDataThrowing(_ name: String, table: Table, statement: String, span: SourceSpan?) throws(TallyError) -> [Event] {
        if Session.commandWords.contains(name) || name == "_" || name == "ans" {
            throw TallyError(.syntax("`\(name)` cannot name a table"), span: span, hint: "choose another name")
        }
        let old = workspace[name]
        if let old, old.origin == .formula {
            throw TallyError(.syntax("`\(name)` is a formula; loading a table under its name would replace it"), span: span,
                             hint: "drop it first, or load under another name")
        }
        var cell = Cell(name: name, origin: .data(statement: statement), expr: nil, definition: statement,
                        span: span, base: .table(table), dependencies: [], value: .table(table))
        if let old {
            cell.columnFormulas = old.columnFormulas
            cell.captured = old.captured
            cell.dependencies = Set(old.columnFormulas.flatMap { $0.expr.names }.filter { workspace[$0] != nil && $0 != name })
        }
        var ws = workspace
        cell.value = try compute(cell, in: ws)
        ws.put(cell)
        let changes = try recalculate(after: [name], in: &ws)
        recordChange(to: ws, statement)
        return [.defined(name: name, value: cell.value)] + (changes.isEmpty ? [] : [.changed(changes)])
    }
}
