import TallyCore

/// The entry point of the language: `run(statement) -> [Event]`. Owns the workspace, the
/// source map and the undo log. Every statement is a transaction: it changes the
/// workspace in place, recording the cells it touches, and a refused statement puts
/// them back, so nothing changes.
public final class Session {
    public internal(set) var workspace = Workspace()
    public internal(set) var sources = SourceMap()
    public let registry: Registry
    /// Files, plans and settings come through the host (the REPL); nil in plain tests.
    public weak var host: SessionHost?
    /// The value `_` and `ans` refer to.
    public internal(set) var lastValue: Value?
    /// Polled during evaluation (Ctrl-C); true aborts the statement with nothing changed.
    public var isInterrupted: () -> Bool = { false }
    /// The most rows a join (and, divided by ten, cells a pivot) may make (`set max_rows`).
    public var maxRows = Evaluator.defaultMaxRows
    /// Rows a remote table's name typed alone shows (read from the server with their
    /// count); nil: it is fetched whole, as any other use of it (CSV output, scripts' pipes).
    public var remotePreviewRows: Int? = Session.previewRows
    /// Called with each accepted statement that changed the workspace, before its events
    /// are returned (the REPL's journal writes it to disk there).
    public var onCommit: ((String) -> Void)?
    /// Called with each node evaluated (`b`, `t.net`): tests count recalculation with it.
    var nodeEvaluated: ((String) -> Void)?

    /// The source id of the statement `run` last registered (errors point into it).
    public private(set) var lastSource = 0
    var transaction: Transaction?
    var undoLog = UndoLog()
    /// Names whose definition changed since the last `save` or `open`.
    public internal(set) var unsaved: Set<String> = []
    /// Nesting of `open` and batches: statements replayed from a file are not journaled or
    /// undone one by one.
    var replaying = 0
    /// The statements of the running batch, journaled when it succeeds.
    var batchStatements: [String]?

    /// Every reserved command word, including the REPL's.
    public static let commandWords: [String] = Parser.commandWords.sorted()
        + ["export", "run", "show", "describe", "chart", "help", "quit", "exit"]

    public init(registry: Registry = .standard) { self.registry = registry }

    /// How many steps `undo` can go back (the memory budget may keep fewer).
    public var undoLimit: Int {
        get { undoLog.limit }
        set { undoLog.limit = newValue }
    }

    /// Bytes of replaced data that undo may keep before dropping its oldest steps.
    public var undoMemory: Int {
        get { undoLog.budget }
        set { undoLog.budget = newValue }
    }

    /// Runs one statement. `name` and `line` place it in a script; REPL inputs are `<input:N>`.
    /// `context` is the rest of its line when it shares one (`a = 1; b = 2`), for carets.
    public func run(_ text: String, name: String? = nil, line: Int = 1, context: LineContext = .none) -> [Event] {
        let id = registerSource(text, name: name, line: line, context: context)
        lastSource = id
        do {
            return try execute(text, source: id)
        } catch {
            // Inside a batch the whole batch is put back when it ends.
            if replaying == 0 { rollback() }
            return [.error(withHabitHints(error, text: text, source: id))]
        }
    }

    /// Registers text that a front end reports on (a REPL command) and returns its id.
    public func registerSource(_ text: String, name: String?, line: Int, context: LineContext = .none) -> Int {
        name.map { sources.add(name: $0, text: text, firstLine: line, context: context) } ?? sources.addInput(text, context: context)
    }

    func execute(_ text: String, source: Int) throws(TallyError) -> [Event] {
        guard let statement = try Parser.parseStatement(text, source: source) else { return [] }
        switch statement {
        case .define(let name, let nameSpan, let expr):
            return try define(name, nameSpan: nameSpan, expr: expr, text: text)
        case .defineColumn(let table, let column, let nameSpan, let expr):
            return try defineColumn(table: table, column: column, nameSpan: nameSpan, expr: expr, text: text)
        case .evaluate(let expr):
            if let preview = try remotePreview(expr) { return [.value(preview)] }
            let v = try evaluator(for: nil).evaluate(expr)
            if case .error = v {} else { lastValue = v }
            return [.value(v)]
        case .command(let c):
            return try command(c, text: text)
        }
    }

    // MARK: evaluation

    /// An evaluator over the live workspace; `overlay` values win (trial evaluation).
    func evaluator(for cell: Cell?, overlay: [String: Value] = [:]) -> Evaluator {
        let captured = cell?.captured ?? [:]
        var ev = Evaluator(
            registry: registry,
            lookup: { [unowned self] n in
                if let v = captured[n] { return v }
                if let v = overlay[n] { return v }
                if let c = self.workspace[n] { return c.value }
                if n == "_" || n == "ans" { return self.lastValue }
                return nil
            },
            namesInScope: { [unowned self] in self.workspace.order },
            isInterrupted: isInterrupted)
        ev.workspaceFunction = { [unowned self] name, args, span in
            name == "compare" ? try self.compareFunction(args, span: span) : nil
        }
        ev.maxRows = maxRows
        ev.remote = host?.remoteTables
        return ev
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

extension Value {
    /// Lists, records, columns and tables: values that cannot be one cell of a column.
    var isContainer: Bool {
        switch self {
        case .list, .record, .column, .table: return true
        default: return false
        }
    }
}
