import TallyCore

/// The entry point of the language: `run(statement) -> [Event]`. Owns the workspace, the
/// source map and the undo history. Every statement is a transaction: it is evaluated
/// into a new workspace that replaces the current one only when nothing was refused.
public final class Session {
    public private(set) var workspace = Workspace()
    public private(set) var sources = SourceMap()
    public let registry: Registry
    /// The value `_` and `ans` refer to.
    public private(set) var lastValue: Value?
    /// Polled during evaluation (Ctrl-C); true aborts the statement with nothing changed.
    public var isInterrupted: () -> Bool = { false }

    private var undoStack: [(Workspace, String)] = []
    private var redoStack: [(Workspace, String)] = []
    /// How many workspace states `undo` can go back.
    public var undoLimit = 200

    /// Words that start a command and so cannot name a cell.
    public static let sessionCommands = ["undo", "redo", "list", "drop"]
    /// Every reserved command word, including the REPL's (SPEC section 2).
    public static let commandWords = ["load", "export", "save", "open", "run", "show", "describe", "list", "drop",
                                      "rename", "undo", "redo", "set", "what", "scenario", "compare", "goalseek",
                                      "datatable", "chart", "help", "quit", "exit", "reload"]

    public init(registry: Registry = .standard) { self.registry = registry }

    /// Runs one statement. `name` and `line` place it in a script; REPL inputs are `<input:N>`.
    public func run(_ text: String, name: String? = nil, line: Int = 1) -> [Event] {
        let id = registerSource(text, name: name, line: line)
        do {
            return try execute(text, source: id)
        } catch {
            return [.error(error)]
        }
    }

    /// Registers text that a front end reports on (a REPL command) and returns its id.
    public func registerSource(_ text: String, name: String?, line: Int) -> Int {
        name.map { sources.add(name: $0, text: text, firstLine: line) } ?? sources.addInput(text)
    }

    private func execute(_ text: String, source: Int) throws(TallyError) -> [Event] {
        var lexer = Lexer(text, source: source)
        let tokens = try lexer.tokenize()
        if tokens[0].kind == .end { return [] }
        if case .name(let word, quoted: false) = tokens[0].kind, Session.sessionCommands.contains(word),
           !(tokens.count > 1 && tokens[1].isSymbol("=")) {
            return try command(word, tokens: Array(tokens.dropFirst()), span: tokens[0].span)
        }
        var parser = Parser(tokens: tokens)
        switch try parser.statement() {
        case .define(let name, let nameSpan, let expr):
            return try define(name, nameSpan: nameSpan, expr: expr, text: text)
        case .defineColumn(let table, let column, let nameSpan, let expr):
            return try defineColumn(table: table, column: column, nameSpan: nameSpan, expr: expr, text: text)
        case .evaluate(let expr):
            let v = try evaluator(for: nil, in: workspace).evaluate(expr)
            if case .error = v {} else { lastValue = v }
            return [.value(v)]
        }
    }

    // MARK: evaluation

    func evaluator(for cell: Cell?, in ws: Workspace) -> Evaluator {
        let last = lastValue
        let captured = cell?.captured ?? [:]
        return Evaluator(
            registry: registry,
            lookup: { n in
                if let v = captured[n] { return v }
                if let c = ws[n] { return c.value }
                if n == "_" || n == "ans" { return last }
                return nil
            },
            namesInScope: { ws.order },
            isInterrupted: isInterrupted)
    }

    /// Evaluates a cell's formula and its computed columns against `ws`.
    func compute(_ cell: Cell, in ws: Workspace) throws(TallyError) -> Value {
        var v: Value
        if let expr = cell.expr {
            v = try evaluator(for: cell, in: ws).evaluate(expr)
        } else {
            v = cell.base ?? .empty
        }
        for f in cell.columnFormulas {
            guard case .table(let t) = v else { break }
            v = try applyColumn(f, to: t, cell: cell, in: ws)
        }
        return v
    }

    func applyColumn(_ f: ColumnFormula, to t: Table, cell: Cell, in ws: Workspace) throws(TallyError) -> Value {
        var ev = evaluator(for: cell, in: ws)
        ev.columns = t
        let result = try ev.evaluate(f.expr)
        let column: Column
        switch result {
        case .column(let c) where c.count == t.rowCount: column = c
        case .list(let xs) where xs.count == t.rowCount: column = Column(values: xs)
        case .column, .list, .table:
            throw TallyError(.arguments("the new column must have \(t.rowCount) rows"), span: f.expr.span)
        default: column = Column(values: Array(repeating: result, count: t.rowCount))
        }
        guard let out = t.setting(f.column, to: column) else {
            throw TallyError(.arguments("the new column must have \(t.rowCount) rows"), span: f.expr.span)
        }
        return .table(out)
    }

    // MARK: definitions

    private func checkName(_ name: String, _ span: SourceSpan) throws(TallyError) {
        if Session.commandWords.contains(name) {
            throw TallyError(.syntax("`\(name)` is a command and cannot name a formula"), span: span,
                             hint: "choose another name, e.g. `\(name)_1`")
        }
        if name == "_" || name == "ans" {
            throw TallyError(.syntax("`\(name)` always holds the last value and cannot be defined"), span: span)
        }
    }

    private func define(_ name: String, nameSpan: SourceSpan, expr: Expr, text: String) throws(TallyError) -> [Event] {
        try checkName(name, nameSpan)
        let mentioned = expr.names
        let deps = mentioned.filter { workspace[$0] != nil || $0 == name }
        if let path = DependencyGraph.cycle(defining: name, dependencies: deps, in: workspace) {
            let current = workspace[name].map { " (\(name) is \(Operators.display($0.value)) now)" } ?? ""
            throw TallyError(.cycle(path), span: expr.span,
                             hint: path.count == 2 ? "a formula cannot refer to itself; to change an input, give its new value\(current)" : "nothing changed")
        }
        var captured: [String: Value] = [:]
        for n in ["_", "ans"] where mentioned.contains(n) && workspace[n] == nil {
            if let v = lastValue { captured[n] = v }
        }
        let old = workspace[name]
        var cell = Cell(name: name, origin: .formula, expr: expr, definition: text.trimmed,
                        span: expr.span, captured: captured, dependencies: deps, value: .empty)
        // A redefined table keeps its computed columns while it stays a table.
        if let old, !old.columnFormulas.isEmpty { cell.columnFormulas = old.columnFormulas
            cell.dependencies.formUnion(old.columnFormulas.flatMap { $0.expr.names }.filter { workspace[$0] != nil && $0 != name })
        }
        var ws = workspace
        cell.value = try compute(cell, in: ws)
        ws.put(cell)
        let changes = try recalculate(after: [name], in: &ws)
        commit(ws, "\(text.trimmed)")
        if case .error = cell.value {} else { lastValue = cell.value }
        return [.defined(name: name, value: cell.value)] + (changes.isEmpty ? [] : [.changed(changes)])
    }

    private func defineColumn(table: String, column: String, nameSpan: SourceSpan, expr: Expr,
                              text: String) throws(TallyError) -> [Event] {
        guard var cell = workspace[table] else {
            let hint = Suggestions.closest(to: table, among: workspace.order).map { "did you mean `\($0)`?" }
            throw TallyError(.unknownName(table), span: nameSpan, hint: hint)
        }
        guard case .table = cell.value else {
            throw TallyError(.arguments("`\(table)` is a \(cell.value.typeName), not a table"), span: nameSpan)
        }
        let deps = expr.names.filter { workspace[$0] != nil && $0 != table }
        for d in deps {
            if let path = DependencyGraph.cycle(defining: table, dependencies: [d], in: workspace) {
                throw TallyError(.cycle(path), span: expr.span, hint: "nothing changed")
            }
        }
        let formula = ColumnFormula(column: column, expr: expr, definition: text.trimmed)
        if let i = cell.columnFormulas.firstIndex(where: { $0.column == column }) {
            cell.columnFormulas[i] = formula
        } else {
            cell.columnFormulas.append(formula)
        }
        cell.dependencies.formUnion(deps)
        var ws = workspace
        cell.value = try compute(cell, in: ws)
        ws.put(cell)
        let changes = try recalculate(after: [table], in: &ws)
        commit(ws, text.trimmed)
        var events: [Event] = [.message("\(table).\(column) defined (\(table) has \(tableShape(cell.value)))")]
        if !changes.isEmpty { events.append(.changed(changes)) }
        return events
    }

    private func tableShape(_ v: Value) -> String {
        guard case .table(let t) = v else { return v.typeName }
        return "\(t.rowCount) rows, \(t.columnCount) columns"
    }

    /// Recalculates every dependent of `roots` in dependency order and returns the changes.
    func recalculate(after roots: [String], in ws: inout Workspace) throws(TallyError) -> [Change] {
        var changes: [Change] = []
        for name in DependencyGraph.recalculationOrder(after: roots, in: ws) {
            guard let cell = ws[name] else { continue }
            let new: Value
            do {
                new = try compute(cell, in: ws)
            } catch let e where e.kind == .interrupted {
                throw e
            } catch {
                new = .error(ErrorValue(.reference, error.message, span: error.span ?? cell.span))
            }
            if new != cell.value {
                changes.append(Change(name: name, old: cell.value, new: new))
            }
            ws.setValue(new, of: name)
        }
        let position = Dictionary(uniqueKeysWithValues: ws.order.enumerated().map { ($1, $0) })
        return changes.sorted { (position[$0.name] ?? 0) < (position[$1.name] ?? 0) }
    }

    private func commit(_ ws: Workspace, _ description: String) { recordChange(to: ws, description) }

    /// Makes `ws` current and remembers the previous state for `undo`.
    func recordChange(to ws: Workspace, _ description: String) {
        undoStack.append((workspace, description))
        if undoStack.count > undoLimit { undoStack.removeFirst() }
        redoStack.removeAll()
        workspace = ws
    }

    enum Stack { case undo, redo }

    func popUndo() -> (Workspace, String)? { undoStack.popLast() }
    func popRedo() -> (Workspace, String)? { redoStack.popLast() }

    /// Moves to a stored state and lists the cells whose values differ.
    func switchTo(_ ws: Workspace, pushing description: String, onto stack: Stack) -> [Change] {
        switch stack {
        case .undo: undoStack.append((workspace, description))
        case .redo: redoStack.append((workspace, description))
        }
        let before = workspace
        workspace = ws
        return ws.order.compactMap { n -> Change? in
            guard let old = before[n]?.value, let new = ws[n]?.value, old != new else { return nil }
            return Change(name: n, old: old, new: new)
        }
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
