import TallyCore

/// One dependent formula whose value a statement changed.
public struct Change: Sendable, Equatable {
    public var name: String
    public var old: Value
    public var new: Value
}

/// A cell as `list` shows it.
public struct CellSummary: Sendable {
    public var name: String
    public var definition: String
    public var value: Value
    public var isInput: Bool
}

/// What running a statement produced, in order. The REPL renders events; the language
/// never prints.
public enum Event: Sendable {
    /// `name = value` after a definition.
    case defined(name: String, value: Value)
    /// Dependent formulas whose value changed (`old -> new`), in definition order.
    case changed([Change])
    /// The value of an expression statement.
    case value(Value)
    /// The statement was refused; nothing changed.
    case error(TallyError)
    /// A line of information (`undid ...`, `dropped ...`).
    case message(Note)
    /// The workspace listing (`list`), or the part of it `scope` asked for.
    case cells([CellSummary], scope: ListScope)
    /// `describe t`: one row per column of a table of `rows` rows, and why columns have
    /// the types they have.
    case described(Table, rows: Int, notes: [String: Note])
    /// `goalseek` set an input (the changes follow in a `.changed` event).
    case goalSeek(GoalSeekReport)
}

/// What `goalseek` found and set, for the REPL to render with the settings in force.
public struct GoalSeekReport: Sendable {
    public var target: String
    public var goal: Value
    public var input: String
    public var from: Value
    public var to: Value
    /// The formula's value at the input found.
    public var reached: Value
    public var evaluations: Int
    /// The formula's value minus the goal.
    public var residual: Double
    /// The formula steps past the goal here: `to` is the first input that reaches it.
    public var atStep: Bool
}
