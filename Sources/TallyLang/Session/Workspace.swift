import TallyCore

/// A named cell: a formula, an input (a formula without references) or a loaded table.
public struct Cell: Sendable {
    public enum Origin: Sendable, Equatable {
        /// Typed as `name = expr`.
        case formula
        /// Data that came from outside; the spec replays it (`load "orders.csv" as orders`).
        case loaded(LoadSpec)
        /// Handed in by the program that embeds the language (`Session.defineTable`).
        case given
    }

    public var name: String
    public var origin: Origin
    /// The formula; nil for data cells.
    public var expr: Expr?
    /// The definition as the user typed it (`revenue = visitors * conversion * aov`).
    public var definition: String
    /// Where it was defined, for errors found later.
    public var span: SourceSpan?
    /// Computed columns (`t.col = expr`), applied in order after the table is evaluated.
    public var columnFormulas: [ColumnFormula] = []
    /// Values captured at definition time (`_`, `ans`).
    public var captured: [String: Value] = [:]
    /// The raw value before computed columns (data cells keep their table here).
    public var base: Value?
    /// The computed table before its computed columns, kept beside `value` so that one
    /// column can be computed again alone; not part of the definition (undo drops it).
    var uncomputed: Value?
    /// What loading said about each column (`describe` shows it).
    public var columnNotes: [String: Note] = [:]
    /// The workspace cells it refers to.
    public var dependencies: Set<String>
    public var value: Value
    /// Definition order: a redefinition keeps its place, `undo` of a `drop` restores it.
    public var seq = 0

    /// True for a formula that refers to no other cell.
    public var isInput: Bool { origin == .formula && dependencies.isEmpty && columnFormulas.isEmpty }

    /// The cell without its computed value: what undo keeps (values are recomputed).
    var image: Cell {
        var c = self
        c.value = .empty
        c.uncomputed = nil
        return c
    }
}

/// `t.col = expr`.
public struct ColumnFormula: Sendable {
    public var column: String
    public var expr: Expr
    public var definition: String
}

/// A named set of overrides (`scenario best: visitors = 15000, conversion = 4%`).
public struct Scenario: Sendable {
    public var name: String
    public var overrides: [Override]
    /// `scenario best: visitors = 15000, conversion = 4%`.
    public var definition: String {
        "scenario \(Canonical.name(name)): " + overrides.map { "\(Canonical.name($0.name.name)) = \($0.text)" }.joined(separator: ", ")
    }
}

/// The cells, the reverse edges of their dependency graph and the scenarios. Changed in
/// place by the session, which records what each statement changed (for rollback and
/// undo) instead of copying the whole workspace.
public struct Workspace: Sendable {
    public private(set) var cells: [String: Cell] = [:]
    /// name -> the cells that refer to it.
    public private(set) var dependents: [String: Set<String>] = [:]
    public internal(set) var scenarios: [Scenario] = []
    private var nextSeq = 0

    public init() {}

    public subscript(name: String) -> Cell? { cells[name] }

    /// Names in definition order.
    public var order: [String] { sorted(cells.keys) }

    /// `names` in definition order.
    public func sorted(_ names: some Sequence<String>) -> [String] {
        names.compactMap { n in cells[n].map { ($0.seq, n) } }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    public func scenario(_ name: String) -> Scenario? { scenarios.first { $0.name == name } }

    /// Adds or replaces a cell, keeping the reverse edges in step. A new cell goes last
    /// unless it carries a place (`seq`) from an earlier life.
    mutating func put(_ cell: Cell) {
        var cell = cell
        if let old = cells[cell.name] {
            for d in old.dependencies where !cell.dependencies.contains(d) { dependents[d]?.remove(cell.name) }
            cell.seq = old.seq
        } else if cell.seq == 0 {
            nextSeq += 1
            cell.seq = nextSeq
        }
        nextSeq = max(nextSeq, cell.seq)
        for d in cell.dependencies { dependents[d, default: []].insert(cell.name) }
        cells[cell.name] = cell
    }

    mutating func setValue(_ v: Value, uncomputed: Value?, of name: String) {
        cells[name]?.value = v
        cells[name]?.uncomputed = uncomputed
    }

    mutating func remove(_ name: String) {
        guard let old = cells.removeValue(forKey: name) else { return }
        for d in old.dependencies { dependents[d]?.remove(name) }
    }

    /// The cells that refer to `name`, in definition order.
    public func directDependents(of name: String) -> [String] {
        sorted((dependents[name] ?? []).filter { cells[$0] != nil })
    }
}
