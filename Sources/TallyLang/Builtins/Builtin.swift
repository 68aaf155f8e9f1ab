import TallyCore

/// One parameter of a built-in function.
public struct Parameter: Sendable {
    public enum Kind: Sendable {
        /// An ordinary value.
        case value
        /// A column of the table argument: a bare column name or a text (`customer: customer_id`).
        case column
    }

    public var name: String
    public var kind: Kind
    /// Nil for a required parameter.
    public var defaultValue: Value?
    public var isOptional: Bool
    /// Takes every remaining positional argument.
    public var isVariadic: Bool

    public static func required(_ name: String, _ kind: Kind = .value) -> Parameter {
        Parameter(name: name, kind: kind, defaultValue: nil, isOptional: false, isVariadic: false)
    }

    public static func optional(_ name: String, _ value: Value? = nil, _ kind: Kind = .value) -> Parameter {
        Parameter(name: name, kind: kind, defaultValue: value, isOptional: true, isVariadic: false)
    }

    public static func variadic(_ name: String) -> Parameter {
        Parameter(name: name, kind: .value, defaultValue: nil, isOptional: true, isVariadic: true)
    }
}

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
    public var implementation: @Sendable (Arguments) throws -> Value
    /// For functions that evaluate their own arguments (table functions); replaces the
    /// binding of `parameters`, which then only document the signature.
    public var special: (@Sendable (CallContext) throws -> Value)?
    /// Shown instead of the signature derived from `parameters`.
    public var usage: String?
    /// For a one-argument elementwise function: the whole column in a typed loop. Nil (or a
    /// nil result) takes the cell-by-cell path.
    public var columnKernel: (@Sendable (Column) -> Column?)?
    /// For an aggregate: the column reduced per group in one typed pass (`group(...)`).
    /// Nil (or a nil result) calls the function once per group.
    public var groupKernel: (@Sendable (Column, Grouping) -> Column?)?

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
        self.details = details
        self.example = example
        self.isElementwise = elementwise
        self.propagatesErrors = propagatesErrors
        self.implementation = implementation
    }

    /// A function that receives its arguments unevaluated.
    public init(_ name: String, aliases: [String] = [], category: Category, usage: String, summary: String,
                details: String = "", example: String, special: @escaping @Sendable (CallContext) throws -> Value) {
        self.init(name, aliases: aliases, category: category, parameters: [], summary: summary, details: details,
                  example: example, implementation: { _ in .empty })
        self.special = special
        self.usage = usage
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
        if let kernel = columnKernel {
            b.columnKernel = { c in kernel(c).map { $0.replacingNonFinite(with: error) } }
        }
        if let kernel = groupKernel {
            b.groupKernel = { c, g in kernel(c, g).map { $0.replacingNonFinite(with: error) } }
        }
        return b
    }

    /// `round(x, digits: 0)`.
    public var signature: String {
        if let usage { return usage }
        let ps = parameters.map { p -> String in
            if p.isVariadic { return "\(p.name)..." }
            if let d = p.defaultValue { return "\(p.name): \(Operators.display(d).isEmpty ? "\"\"" : literal(d))" }
            return p.isOptional ? "[\(p.name)]" : p.name
        }
        return "\(name)(\(ps.joined(separator: ", ")))"
    }

    private func literal(_ v: Value) -> String {
        if case .text(let s) = v { return "\"\(s)\"" }
        if case .number(let x, .percent) = v { return Operators.plainNumber(x * 100) + "%" }
        return Operators.display(v)
    }
}
