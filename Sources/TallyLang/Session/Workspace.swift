import TallyCore

/// A named cell: a formula, an input (a formula without references) or a loaded table.
public struct Cell: Sendable {
    public enum Origin: Sendable, Equatable {
        /// Typed as `name = expr`.
        case formula
        /// Data that came from outside (a loaded file); `statement` replays it.
        case data(statement: String)
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
    /// The workspace cells it refers to.
    public var dependencies: Set<String>
    public var value: Value

    /// True for a formula that refers to no other cell.
    public var isInput: Bool { origin == .formula && dependencies.isEmpty && columnFormulas.isEmpty }
}

/// `t.col = expr`.
public struct ColumnFormula: Sendable {
    public var column: String
    public var expr: Expr
    public var definition: String
}

/// The cells and the reverse edges of their dependency graph. A value type: every
/// statement builds a new workspace and commits it only on success, and undo keeps the
/// earlier ones (the dictionaries are copy-on-write).
public struct Workspace: Sendable {
    public private(set) var cells: [String: Cell] = [:]
    /// Names in definition order.
    public private(set) var order: [String] = []
    /// name -> the cells that refer to it.
    public private(set) var dependents: [String: Set<String>] = [:]

    public init() {}

    public subscript(name: String) -> Cell? { cells[name] }

    /// Adds or replaces a cell, keeping the reverse edges in step.
    mutating func put(_ cell: Cell) {
        if let old = cells[cell.name] {
            for d in old.dependencies { dependents[d]?.remove(cell.name) }
        } else {
            order.append(cell.name)
        }
        for d in cell.dependencies { dependents[d, default: []].insert(cell.name) }
        cells[cell.name] = cell
    }

    mutating func setValue(_ v: Value, of name: String) { cells[name]?.value = v }

    mutating func remove(_ name: String) {
        guard let old = cells.removeValue(forKey: name) else { return }
        for d in old.dependencies { dependents[d]?.remove(name) }
        dependents[name] = nil
        order.removeAll { $0 == name }
    }

    /// The cells that refer to `name`, in definition order.
    public func directDependents(of name: String) -> [String] {
        let set = dependents[name] ?? []
        return order.filter { set.contains($0) }
    }
}
