import TallyCore

/// A built-in function: everything `help`, completion and the "every example runs"
/// test need, and the implementation.
public struct Builtin: Sendable {
    public enum Category: String, Sendable, CaseIterable {
        case math, aggregate, logic, text, date, table, analytics, kpi
    }

    public var name: String
    public var aliases: [String]
    public var category: Category
    public var parameters: [Parameter]
    /// One line: what it does.
    public var summary: String
    /// More detail for `help NAME` (may be empty).
    public var details: String
    /// A statement that runs on an empty workspace, shown by `help NAME`.
    public var example: String
    /// Applies to each element when an argument is a list or column.
    public var isElementwise: Bool
    /// Returns the first error argument unevaluated (false for `coalesce`, `is_empty`, `if`...).
    public var propagatesErrors: Bool
    /// Reads only the row count of a table argument (`count(t)`), so a table function
    /// giving that argument need gather no columns.
    public var readsRowCountOfTables = false
    public var implementation: @Sendable (Arguments) throws -> Value
    /// For functions that read their arguments through the binder's typed accessors (table
    /// functions evaluate conditions and new columns with the table's columns in scope).
    public var special: (@Sendable (CallContext) throws -> Value)?
    /// For an elementwise function over number columns: its typed loop. Every other
    /// column runs once per distinct value, so no elementwise call boxes each row.
    public var columnKernel: ColumnKernel?
    /// For an aggregate: the column reduced per group in one typed pass (`group(...)`).
    /// Nil (or a nil result) calls the function once per group.
    public var groupKernel: (@Sendable (Column, Grouping) -> Column?)?

    /// The same built-in with a typed loop over number columns.
    func looping(_ kernel: ColumnKernel) -> Builtin {
        var b = self
        b.columnKernel = kernel
        return b
    }

    /// The same built-in, reading only the row count of its table arguments.
    func countingRows() -> Builtin {
        var b = self
        b.readsRowCountOfTables = true
        return b
    }

    /// The same built-in reading its own arguments at the top level (to ask the interrupt
    /// flag, say); inside group the implementation still takes each group's values.
    func withSpecial(_ special: @escaping @Sendable (CallContext) throws -> Value) -> Builtin {
        var b = self
        b.special = special
        return b
    }

    /// The same built-in with a per-group kernel.
    func reducing(with kernel: @escaping @Sendable (Column, Grouping) -> Column?) -> Builtin {
        var b = self
        b.groupKernel = kernel
        return b
    }

    public init(_ name: String, aliases: [String] = [], category: Category, parameters: [Parameter],
                summary: String, details: String = "", example: String,
                elementwise: Bool = false, propagatesErrors: Bool = true,
                implementation: @escaping @Sendable (Arguments) throws -> Value) {
        self.name = name
        self.aliases = aliases
        self.category = category
        self.parameters = parameters
        self.summary = summary
        let help = Builtin.parameterHelp(parameters)
        self.details = help.isEmpty ? details : (details.isEmpty ? "" : details + "\n") + "parameters:\n" + help.joined(separator: "\n")
        self.example = example
        self.isElementwise = elementwise
        self.propagatesErrors = propagatesErrors
        self.implementation = implementation
    }

    /// A function that reads its bound arguments itself, as it needs them (`ctx.table("t")`,
    /// `ctx.column("by", in: t)`...); the binder has already refused unknown, repeated and
    /// missing arguments against `parameters`.
    public init(_ name: String, aliases: [String] = [], category: Category, parameters: [Parameter], summary: String,
                details: String = "", example: String, special: @escaping @Sendable (CallContext) throws -> Value) {
        self.init(name, aliases: aliases, category: category, parameters: parameters, summary: summary, details: details,
                  example: example, implementation: { _ in .empty })
        self.special = special
    }

    /// The same built-in with the rule "never a silent infinity" applied to whatever it
    /// returns: every number that is NaN or infinite, alone or in a list, column, table
    /// (cells and total row) or record, becomes `#NUM!`. One place for every function,
    /// its column kernel and its group kernel, instead of a check in each.
    func finiteResults() -> Builtin {
        var b = self
        let error = ErrorValue(.number, "\(name): the result is not a finite number")
        let implementation = self.implementation
        b.implementation = { a in try implementation(a).replacingNonFinite(with: error) }
        if let special {
            b.special = { ctx in try special(ctx).replacingNonFinite(with: error) }
        }
        if let kernel = groupKernel {
            b.groupKernel = { c, g in kernel(c, g).map { $0.replacingNonFinite(with: error) } }
        }
        return b
    }

    /// `round(x, digits: 0)`, made from the declarations.
    public var signature: String {
        Builtin.signature(name, parameters)
    }

    static func signature(_ name: String, _ parameters: [Parameter]) -> String {
        "\(name)(" + parameters.filter(\.isShown).map(\.signature).joined(separator: ", ") + ")"
    }

    /// The labels a call may use, for completion and did-you-mean.
    public var labels: [String] { parameters.filter { !$0.isVariadic }.map(\.name) }

    /// One line per parameter with help text, for `help NAME` (appended to the details).
    static func parameterHelp(_ parameters: [Parameter]) -> [String] {
        let documented = parameters.filter { !$0.help.isEmpty }
        let width = documented.map(\.name.count).max() ?? 0
        return documented.map { "  " + $0.name + String(repeating: " ", count: width - $0.name.count) + "  " + $0.help }
    }
}
