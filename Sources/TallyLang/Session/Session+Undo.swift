import TallyCore

/// What the running statement has changed so far: each touched cell as it was (with its
/// value, for rollback) and which definitions changed (for undo).
struct Transaction {
    var before: [String: Cell?] = [:]
    var definitions: Set<String> = []
    var scenariosBefore: [Scenario]?
}

/// One undoable step: the definitions a statement changed, before and after. Values are
/// not kept (they are recomputed), so a step over a 10M-row table costs a few bytes,
/// unless it replaced loaded data, which undo must keep to give it back.
struct UndoStep {
    var description: String
    var before: [String: Cell?]
    var after: [String: Cell?]
    var scenariosBefore: [Scenario]?
    var scenariosAfter: [Scenario]?
    var bytes: Int
}

/// The undo and redo stacks, bounded by a step count and a memory budget.
struct UndoLog {
    var undo: [UndoStep] = []
    var redo: [UndoStep] = []
    var limit = 200
    var budget = 1 << 30
    /// Set once the budget has dropped steps, so the user is told only once.
    var warned = false

    var bytes: Int { undo.reduce(0) { $0 + $1.bytes } + redo.reduce(0) { $0 + $1.bytes } }

    /// Adds a step; returns how many old steps the limits dropped.
    mutating func push(_ step: UndoStep) -> Int {
        undo.append(step)
        redo.removeAll()
        var dropped = 0
        while undo.count > limit || (bytes > budget && undo.count > 1) {
            undo.removeFirst()
            dropped += 1
        }
        return dropped
    }
}

extension Session {
    /// Starts recording what a statement changes.
    func begin() {
        if transaction == nil { transaction = Transaction() }
    }

    /// Remembers `name` as it is now, the first time the statement touches it.
    private func touch(_ name: String, definition: Bool) {
        if transaction == nil { transaction = Transaction() }
        if transaction?.before[name] == nil { transaction?.before[name] = .some(workspace[name]) }
        if definition { transaction?.definitions.insert(name) }
    }

    /// Adds or replaces a cell's definition.
    func put(_ cell: Cell) {
        touch(cell.name, definition: true)
        workspace.put(cell)
    }

    /// Removes a cell.
    func remove(_ name: String) {
        touch(name, definition: true)
        workspace.remove(name)
    }

    /// Sets a recalculated value (no change of definition).
    func setValue(_ v: Value, uncomputed: Value?, of name: String) {
        touch(name, definition: false)
        workspace.setValue(v, uncomputed: uncomputed, of: name)
    }

    func setScenarios(_ s: [Scenario]) {
        if transaction == nil { transaction = Transaction() }
        if transaction?.scenariosBefore == nil { transaction?.scenariosBefore = workspace.scenarios }
        workspace.scenarios = s
    }

    /// Puts back everything the refused statement touched.
    func rollback() {
        guard let t = transaction else { return }
        transaction = nil
        for (name, cell) in t.before {
            if let cell { workspace.put(cell) } else { workspace.remove(name) }
        }
        if let s = t.scenariosBefore { workspace.scenarios = s }
    }

    /// Keeps what the statement changed: an undo step for its definitions, the journal
    /// entry, and the names not yet saved. Returns a notice when undo dropped old steps.
    @discardableResult
    func commit(_ description: String, undoable: Bool = true) -> [Event] {
        // Statements replayed by `open` or run in a batch commit together, as one step.
        if replaying > 0 {
            batchStatements?.append(description)
            return []
        }
        guard let t = transaction else { return [] }
        transaction = nil
        var events: [Event] = []
        if undoable, !t.definitions.isEmpty || t.scenariosBefore != nil {
            var before: [String: Cell?] = [:], after: [String: Cell?] = [:]
            var bytes = description.utf8.count
            for n in t.definitions {
                let old = t.before[n] ?? nil
                before[n] = .some(old?.image)
                after[n] = .some(workspace[n]?.image)
                if let b = old?.base { bytes += Self.estimatedBytes(b) }
            }
            let step = UndoStep(description: description, before: before, after: after,
                                scenariosBefore: t.scenariosBefore, scenariosAfter: t.scenariosBefore == nil ? nil : workspace.scenarios,
                                bytes: bytes)
            if undoLog.push(step) > 0, !undoLog.warned {
                undoLog.warned = true
                events.append(.message(Note(.undoDropped, [.count(undoLog.limit), .count(undoLog.budget >> 20)])))
            }
        }
        unsaved.formUnion(t.definitions)
        if t.scenariosBefore != nil { unsaved.insert("scenario") }
        onCommit?(description)
        return events
    }

    /// `undo` / `redo`: puts back the other side of the latest step and recomputes.
    func stepHistory(undo: Bool, span: SourceSpan) throws(TallyError) -> [Event] {
        guard replaying == 0 else {
            throw TallyError(.command("a script cannot \(undo ? "undo" : "redo")"), span: span, hint: "`undo` after the script takes all of it back")
        }
        guard let step = undo ? undoLog.undo.last : undoLog.redo.last else {
            throw TallyError(.command(undo ? "nothing to undo" : "nothing to redo"), span: span)
        }
        let images = undo ? step.before : step.after
        let oldValues = workspace.cells.mapValues(\.value)
        begin()
        for (name, image) in images {
            if let image { put(image) } else { remove(name) }
        }
        var restored = images.keys.filter { workspace[$0] != nil }
        if let s = undo ? step.scenariosBefore : step.scenariosAfter {
            setScenarios(s)
            restored.append(Session.scenariosNode)
        }
        _ = try recalculate(after: Array(restored), includingRoots: true)
        // The step moves between the stacks; nothing new is recorded.
        transaction = nil
        if undo {
            undoLog.redo.append(undoLog.undo.removeLast())
        } else {
            undoLog.undo.append(undoLog.redo.removeLast())
        }
        unsaved.formUnion(images.keys)
        if replaying == 0 { onCommit?(undo ? "undo" : "redo") }
        let changes = workspace.order.compactMap { n -> Change? in
            guard let old = oldValues[n], let new = workspace[n]?.value, old != new else { return nil }
            return Change(name: n, old: old, new: new)
        }
        return [.message(Note(undo ? .undid : .redid, [.text(step.description)]))] + (changes.isEmpty ? [] : [.changed(changes)])
    }

    /// A rough size of a value's storage, for the undo memory budget.
    static func estimatedBytes(_ v: Value) -> Int {
        switch v {
        case .table(let t): return t.columns.reduce(0) { $0 + estimatedBytes(.column($1)) }
        case .column(let c):
            switch c.storage {
            case .number(let xs): return xs.count * 8
            case .text(let codes, let dict): return codes.count * 4 + dict.reduce(0) { $0 + $1.utf8.count + 16 }
            case .date(let xs): return xs.count * 4
            case .bool(let xs): return xs.count
            case .mixed(let xs): return xs.count * 40
            }
        case .list(let xs): return xs.count * 40
        default: return 40
        }
    }
}

extension Session {
    /// Runs `body`'s statements (a script the front end reads with `run`) as one
    /// transaction: one undo step, journaled statement by statement only once all of them
    /// were accepted. When `body` returns false (a statement failed), everything it did is
    /// put back.
    public func batch(_ description: String, _ body: () -> Bool) -> (ok: Bool, notes: [Event]) {
        let last = lastValue
        begin()
        replaying += 1
        let outer = batchStatements
        batchStatements = []
        let ok = body()
        let statements = batchStatements ?? []
        batchStatements = outer
        replaying -= 1
        guard ok else {
            rollback()
            lastValue = last
            return (false, [])
        }
        if replaying > 0 {
            batchStatements?.append(contentsOf: statements)
            return (true, [])
        }
        // One undo step; the journal gets the statements themselves, not the file name.
        let hook = onCommit
        onCommit = nil
        let notes = commit(description)
        onCommit = hook
        for s in statements { onCommit?(s) }
        return (true, notes)
    }
}
