import TallyCore

extension Session {
    /// `undo`, `redo`, `list`, `drop a, b`.
    func command(_ word: String, tokens: [Token], span: SourceSpan) throws(TallyError) -> [Event] {
        if word != "drop", let extra = tokens.first, extra.kind != .end {
            throw TallyError(.syntax("`\(word)` takes no arguments"), span: extra.span)
        }
        var names: [(String, SourceSpan)] = []
        for t in tokens {
            switch t.kind {
            case .name(let n, _): names.append((n, t.span))
            case .symbol(","), .end: continue
            default: throw TallyError(.syntax("`drop` takes names separated by commas, found \(Parser(tokens: [t]).describe(t))"), span: t.span)
            }
        }
        switch word {
        case "undo", "redo", "list":
            if word == "list" { return [list()] }
            return word == "undo" ? undo(span) : redo(span)
        default:
            return try drop(names, span: span)
        }
    }

    func list() -> Event {
        .cells(workspace.order.compactMap { n in
            guard let c = workspace[n] else { return nil }
            let defs = [c.definition] + c.columnFormulas.map(\.definition)
            return CellSummary(name: n, definition: defs.joined(separator: "; "), value: c.value, isInput: c.isInput)
        })
    }

    func undo(_ span: SourceSpan) -> [Event] {
        guard let (previous, description) = popUndo() else {
            return [.error(TallyError(.command("nothing to undo"), span: span))]
        }
        let changes = switchTo(previous, pushing: description, onto: .redo)
        return [.message("undid: \(description)")] + (changes.isEmpty ? [] : [.changed(changes)])
    }

    func redo(_ span: SourceSpan) -> [Event] {
        guard let (next, description) = popRedo() else {
            return [.error(TallyError(.command("nothing to redo"), span: span))]
        }
        let changes = switchTo(next, pushing: description, onto: .undo)
        return [.message("redid: \(description)")] + (changes.isEmpty ? [] : [.changed(changes)])
    }

    func drop(_ names: [(String, SourceSpan)], span: SourceSpan) throws(TallyError) -> [Event] {
        guard !names.isEmpty else {
            throw TallyError(.syntax("`drop` needs the names to drop"), span: span, hint: "drop name1, name2")
        }
        let dropping = Set(names.map(\.0))
        for (n, s) in names {
            guard workspace[n] != nil else {
                let hint = Suggestions.closest(to: n, among: workspace.order).map { "did you mean `\($0)`?" }
                throw TallyError(.notDefined(n), span: s, hint: hint)
            }
            let others = workspace.directDependents(of: n).filter { !dropping.contains($0) }
            if !others.isEmpty {
                throw TallyError(.hasDependents(name: n, dependents: others), span: s,
                                 hint: "drop or redefine \(others.count == 1 ? "it" : "them") first")
            }
        }
        var ws = workspace
        for (n, _) in names { ws.remove(n) }
        let description = "drop " + names.map(\.0).joined(separator: ", ")
        recordChange(to: ws, description)
        return [.message("dropped " + names.map { "`\($0.0)`" }.joined(separator: ", "))]
    }
}
