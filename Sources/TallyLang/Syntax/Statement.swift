import TallyCore

/// One statement of the language: a definition, an expression, or a command. Every
/// statement that changes the workspace is typed data, so the journal and `save` can
/// write it back canonically and `open` can replay it.
public enum Statement: Sendable, Equatable {
    /// `name = expr`.
    case define(name: String, nameSpan: SourceSpan, expr: Expr)
    /// `table.column = expr`: a computed column.
    case defineColumn(table: String, column: String, nameSpan: SourceSpan, expr: Expr)
    /// An expression to evaluate and print.
    case evaluate(Expr)
    /// A command word at the start of the line (`load`, `what if`, `goalseek`, ...).
    case command(Command)
}

/// A name as written, with where it was written (for carets).
public struct NameRef: Sendable, Equatable {
    public var name: String
    public var span: SourceSpan

    public init(_ name: String, _ span: SourceSpan) {
        self.name = name
        self.span = span
    }
}

/// `a = expr` inside `what if`, `scenario`: a temporary or stored replacement of a formula.
public struct Override: Sendable, Equatable {
    public var name: NameRef
    public var expr: Expr
    /// The expression as typed, for listing and saving.
    public var text: String
}

/// `label: value` after a command, as typed.
public struct CommandOption: Sendable, Equatable {
    public var label: NameRef
    public var value: Expr
    public var text: String
}

/// What `load` reads: a file with its options, or the bundled demo tables.
public struct LoadSpec: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case file(path: String)
        /// `load demo`: the sample tables `--demo` starts with.
        case demo
        /// `load postgres "postgresql://..." table "orders"`: a remote table. The URL may
        /// hold a password; `canonical` (journal, plans) never does.
        case postgres(url: String, relation: RemoteRelation)
    }

    public var source: Source
    /// The table's name (nil for `load demo`, which names its own tables).
    public var name: String?
    /// Options as constants (`delimiter: ";"`, `types: {order_date: "date"}`), in the
    /// order typed, with the span of each value for errors.
    public var options: [(label: String, value: Value, span: SourceSpan, labelSpan: SourceSpan)]
    public var pathSpan: SourceSpan?
    public var nameSpan: SourceSpan?

    public init(source: Source, name: String?, options: [(label: String, value: Value, span: SourceSpan, labelSpan: SourceSpan)] = [],
                pathSpan: SourceSpan? = nil, nameSpan: SourceSpan? = nil) {
        self.source = source
        self.name = name
        self.options = options
        self.pathSpan = pathSpan
        self.nameSpan = nameSpan
    }

    /// The option's value and span.
    public func option(_ label: String) -> (Value, SourceSpan)? {
        options.first { $0.label == label }.map { ($0.value, $0.span) }
    }

    /// The statement that replays it: `load "orders.csv" as orders, delimiter: ";"`.
    public var canonical: String {
        switch source {
        case .demo: return "load demo"
        case .file(let path):
            var s = "load \(Canonical.text(path)) as \(Canonical.name(name ?? "t"))"
            for o in options { s += ", \(o.label): \(Canonical.literal(o.value))" }
            return s
        case .postgres(let url, let relation):
            var s = "load postgres \(Canonical.text(RemoteSource.redacting(url))) "
            switch relation {
            case .table(let t): s += "table \(Canonical.text(t))"
            case .query(let q): s += "query \(Canonical.text(q))"
            }
            return s + " as \(Canonical.name(name ?? "t"))"
        }
    }

    public static func == (a: LoadSpec, b: LoadSpec) -> Bool { a.canonical == b.canonical }

    /// A file or a remote table (`reload` reads it again); the demo comes back with `load demo`.
    public var isReloadable: Bool {
        if case .demo = source { return false }
        return true
    }
}

/// The values one input of a data table takes: `10000..20000 step 2500` or `[1, 2, 3]`.
public struct Axis: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case range(from: Expr, to: Expr, step: Expr?)
        case list(Expr)
    }

    public var input: NameRef
    public var values: Values
    public var span: SourceSpan
}

/// Which cells `list` shows.
public enum ListScope: Sendable, Equatable {
    case all
    /// Cells whose value is a table.
    case tables
    /// Cells computed from others (not inputs, not tables).
    case formulas
    /// Cells that depend on nothing (constants), tables excluded.
    case inputs
    /// The named cells, in the order given.
    case names([NameRef])

    /// The words `list` takes instead of names.
    public static let words = ["tables", "formulas", "inputs"]
}

/// A command: the workspace-changing ones are journaled and saved.
public enum Command: Sendable, Equatable {
    case load(LoadSpec)
    case reload(NameRef)
    case drop([NameRef])
    case dropScenario(NameRef)
    case rename(from: NameRef, to: NameRef)
    case undo
    case redo
    /// `list`, `list tables`, `list formulas`, `list inputs`, `list a, b`.
    case list(ListScope)
    /// `what if a = 1, b = 2: f1, f2` (targets empty: every formula the overrides change).
    case whatIf(overrides: [Override], targets: [NameRef])
    /// `scenario best: a = 1, b = 2`.
    case scenario(name: NameRef, overrides: [Override])
    case scenarioApply(NameRef)
    /// `scenarios`: the stored scenarios and their overrides.
    case scenarios
    /// `compare f1, f2` (empty: every formula any scenario changes).
    case compare([NameRef])
    /// `goalseek f = value by input, range: [lo, hi]`.
    case goalseek(target: NameRef, value: Expr, input: NameRef, options: [CommandOption])
    /// `datatable f1, f2 by x in 1..5 step 1, y in [1, 2]`.
    case datatable(targets: [NameRef], axes: [Axis])
    /// `sensitivity f, by: 20%, visitors: [10000, 16000]`.
    case sensitivity(target: NameRef, options: [CommandOption])
    /// `save "plan.tally", data: true`.
    case save(path: String, pathSpan: SourceSpan, options: [CommandOption])
    /// `open "plan.tally"`.
    case open(path: String, pathSpan: SourceSpan)
    /// `export EXPR to "f.csv", force: true`: any table expression, written by the host.
    case export(source: Expr, path: String, pathSpan: SourceSpan, options: [CommandOption])
    /// `describe t`: per column its type, counts, range, mean and distinct values.
    case describe(NameRef)
    /// `set decimals 3`: a setting the host keeps (and a saved plan restores).
    case set(key: NameRef, value: String, valueSpan: SourceSpan)
    /// `explain o |> group(...)`: the SQL a remote table expression would run.
    case explain(Expr)

    /// True for commands that change the workspace (and so are journaled and undoable).
    public var changesWorkspace: Bool {
        switch self {
        case .load, .reload, .drop, .dropScenario, .rename, .undo, .redo, .scenario, .scenarioApply, .goalseek, .open, .set:
            return true
        case .list, .whatIf, .scenarios, .compare, .datatable, .sensitivity, .save, .export, .describe, .explain:
            return false
        }
    }
}
