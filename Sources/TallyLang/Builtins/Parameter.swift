import TallyCore

/// One declared parameter of a built-in: the binder matches calls against these, and the
/// signature, `help`, completion and the argument checks all come from them.
public struct Parameter: Sendable {
    /// What an argument must be. The kind decides how the binder's typed accessors read it.
    public indirect enum Kind: Sendable, Equatable {
        /// Any value (evaluated in the caller's scope).
        case value
        case number
        /// A whole number (digits, months, a seed).
        case wholeNumber
        /// A whole number of rows, 0 or more.
        case rowCount
        case text
        case boolean
        /// A date, or a text that reads as one ("2026-07-01").
        case date
        /// A list of dates (or texts that read as dates).
        case dates
        case numbers
        /// A list (or column) of values.
        case list
        case record
        case table
        /// A column of the table parameter named here: a bare name or a text, checked against its columns.
        case column(of: String)
        /// One column of the table parameter, or a list of them (`on: [k1, k2]`).
        case columns(of: String)
        /// A sort key of the table: a column, optionally followed by `asc` or `desc`.
        case sortKey(of: String)
        /// An expression evaluated with the table's columns as bare names, once per row (vectorised).
        case rowExpression(of: String)
        /// A key column of the table, or `name: aggregate` computed per group.
        case aggregate(of: String)
        /// One word among these (given as a text).
        case choice([String])
        /// A share from 0 to 1 (80% or 0.8).
        case share
        /// Texts or lists described by the function itself (segment rules, periods...).
        case described(String)

        /// The parameter whose table this kind refers to (`column(of: "t")` -> "t").
        public var tableParameter: String? {
            switch self {
            case .column(let t), .columns(let t), .sortKey(let t), .rowExpression(let t), .aggregate(let t): return t
            default: return nil
            }
        }

        /// The placeholder shown in a signature for a parameter without a default.
        var placeholder: String {
            switch self {
            case .value: return "value"
            case .described(let what): return what
            case .number: return "number"
            case .wholeNumber, .rowCount: return "n"
            case .text: return "text"
            case .boolean: return "true"
            case .date: return "date"
            case .dates: return "[dates]"
            case .numbers: return "[...]"
            case .list: return "[values]"
            case .record: return "{...}"
            case .table: return "table"
            case .column, .sortKey: return "column"
            case .columns: return "[column, ...]"
            case .rowExpression: return "expr"
            case .aggregate: return "aggregate"
            case .choice(let words): return words.map { "\"\($0)\"" }.joined(separator: "|")
            case .share: return "80%"
            }
        }
    }

    /// How many arguments a parameter takes, and how.
    public enum Arity: Sendable, Equatable {
        case required
        case optional
        /// Every remaining argument; `labels` says whether they may (or must) carry a name chosen by the caller.
        case variadic(labels: Labels)
    }

    /// The labels of a variadic parameter's arguments: the caller's names (`table(amount: [1, 2])`).
    public enum Labels: Sendable, Equatable {
        case none, optional, required
    }

    public var name: String
    public var kind: Kind
    public var arity: Arity
    /// The value used when the argument is left out.
    public var defaultValue: Value?
    /// One line for `help`.
    public var help: String
    /// Only by label (`unit: 10`), never by position.
    public var isLabelOnly: Bool
    /// Shown in the signature line (rarely used options are left to the details).
    public var isShown: Bool

    public init(name: String, kind: Kind = .value, arity: Arity = .required, defaultValue: Value? = nil, help: String = "",
                labelOnly: Bool = false, shown: Bool = true) {
        self.name = name
        self.kind = kind
        self.arity = arity
        self.defaultValue = defaultValue
        self.help = help
        self.isLabelOnly = labelOnly
        self.isShown = shown
    }

    public var isOptional: Bool { arity != .required }
    public var isVariadic: Bool { if case .variadic = arity { return true } else { return false } }

    public static func required(_ name: String, _ kind: Kind = .value, help: String = "") -> Parameter {
        Parameter(name: name, kind: kind, arity: .required, help: help)
    }

    public static func optional(_ name: String, _ value: Value? = nil, _ kind: Kind = .value, help: String = "") -> Parameter {
        Parameter(name: name, kind: kind, arity: .optional, defaultValue: value, help: help)
    }

    /// An option given by label only (`seed: 1`).
    public static func option(_ name: String, _ kind: Kind, default value: Value? = nil, help: String = "", shown: Bool = true) -> Parameter {
        Parameter(name: name, kind: kind, arity: .optional, defaultValue: value, help: help, labelOnly: true, shown: shown)
    }

    /// A required argument given by label only (`on: customer_id`).
    public static func labelled(_ name: String, _ kind: Kind, help: String = "") -> Parameter {
        Parameter(name: name, kind: kind, arity: .required, help: help, labelOnly: true)
    }

    public static func variadic(_ name: String, _ kind: Kind = .value, labels: Labels = .none, help: String = "") -> Parameter {
        Parameter(name: name, kind: kind, arity: .variadic(labels: labels), help: help)
    }

    /// `name`, `[name]`, `name: 10`, `by: column`, `name, ...`, `name: value, ...`.
    var signature: String {
        switch arity {
        case .variadic(let labels):
            switch labels {
            case .none: return "\(name)..."
            case .optional: return "\(name), ..., new_name: \(kind.placeholder)"
            case .required: return "\(name): \(kind.placeholder), ..."
            }
        case .required:
            return isLabelOnly ? "\(name): \(kind.placeholder)" : name
        case .optional:
            if let d = defaultValue { return "\(name): \(Parameter.literal(d))" }
            return isLabelOnly ? "\(name): \(kind.placeholder)" : "[\(name)]"
        }
    }

    static func literal(_ v: Value) -> String {
        if case .text(let s) = v { return "\"\(s)\"" }
        if case .number(let x, .percent) = v { return Operators.plainNumber(x * 100) + "%" }
        let shown = Operators.display(v)
        return shown.isEmpty ? "\"\"" : shown
    }
}
