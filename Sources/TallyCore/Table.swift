/// How a result table wants to be shown beyond its rows: a total row, and notes printed
/// under it (the thresholds in force, warnings). Derived tables (filtered, sorted, new
/// columns) drop it, since their totals would no longer hold.
public struct TableDisplay: Sendable, Equatable {
    /// Column name -> the value of the total row in that column.
    public var totals: [String: Value] = [:]
    /// Shown in the first column of the total row.
    public var totalLabel = "total"
    /// Lines under the table, as typed notes the REPL renders with the settings in force.
    public var notes: [Note] = []
    /// The column names were made by a built-in (split, rfm, abc...), so the REPL may show
    /// them in the interface language; the names themselves never change.
    public var generatedHeaders = false
    /// Each row is a different quantity (one per formula, as in `what if` and `compare`), so
    /// a column's cells keep their own decimals instead of sharing one number of them.
    public var rowsDiffer = false
    /// Columns compared with whole numbers beside them (the means in `why`): shown as note
    /// thresholds are, with enough decimals never to read as a whole number they are not.
    public var thresholdColumns: Set<String> = []
    /// Columns whose cells are words a built-in wrote (`why`'s measure and level: `recency`,
    /// `high`): the REPL shows them in the interface language; the values stay English.
    public var labelColumns: Set<String> = []
    /// Typed facts about how the table was made that later steps read (the base value of a
    /// sensitivity table, the options an RFM result was scored with), never re-parsed
    /// from the notes.
    public var metadata: [String: Value] = [:]

    public init(totals: [String: Value] = [:], totalLabel: String = "total", notes: [Note] = []) {
        self.totals = totals
        self.totalLabel = totalLabel
        self.notes = notes
    }
}

/// Named columns of equal length.
public struct Table: Sendable, Equatable {
    /// `display.metadata` key: the table shown is the first rows of one this many rows long
    /// (a remote table's preview).
    public static let totalRowsKey = "rows.total"

    /// The rows of the table this one shows: `totalRowsKey` when it is the first rows of a
    /// longer one, else its own.
    public var rowsInAll: Int {
        if case .number(let total, _)? = display.metadata[Self.totalRowsKey], total > Double(rowCount), total < 1e15 { return Int(total) }
        return rowCount
    }

    public private(set) var names: [String]
    public private(set) var columns: [Column]
    public var display = TableDisplay()

    /// An empty table with no columns.
    public init() { names = []; columns = [] }

    /// Nil when the columns differ in length or two share a name.
    public init?(names: [String], columns: [Column]) {
        guard names.count == columns.count, Set(names).count == names.count else { return nil }
        if let n = columns.first?.count, columns.contains(where: { $0.count != n }) { return nil }
        self.names = names
        self.columns = columns
    }

    public var rowCount: Int { columns.first?.count ?? 0 }
    public var columnCount: Int { columns.count }

    public func column(named name: String) -> Column? {
        names.firstIndex(of: name).map { columns[$0] }
    }

    /// Adds a column, or replaces the one of that name. Nil when the length differs.
    public func setting(_ name: String, to column: Column) -> Table? {
        if !columns.isEmpty, column.count != rowCount { return nil }
        var t = self
        t.display = TableDisplay()
        if let i = names.firstIndex(of: name) { t.columns[i] = column } else {
            t.names.append(name); t.columns.append(column)
        }
        return t
    }

    /// Row `i` as a record.
    public func row(_ i: Int) -> Record {
        Record(zip(names, columns).map { ($0, $1[i]) })
    }

    /// The rows at `indices`, in that order.
    public func gather(_ indices: [Int]) -> Table {
        var t = self
        t.display = TableDisplay()
        t.columns = columns.map { $0.gather(indices) }
        return t
    }

    /// `gather(_:)`, calling `check` before each column (a column of 10M rows takes about
    /// 0.1 s), so that a caller can stop it (Ctrl-C) by throwing from `check`.
    public func gather<E: Error>(_ indices: [Int], check: () throws(E) -> Void) throws(E) -> Table {
        var t = self
        t.display = TableDisplay()
        t.columns = []
        for c in columns {
            try check()
            t.columns.append(c.gather(indices))
        }
        return t
    }
}

extension Table {
    /// The table with each non-finite number, in its cells and its total row, replaced by
    /// `.error(error)`; the notes stay.
    public func replacingNonFinite(with error: ErrorValue) -> Table {
        guard columns.contains(where: \.holdsNonFinite) || display.totals.values.contains(where: \.holdsNonFinite) else { return self }
        var t = self
        t.columns = columns.map { $0.replacingNonFinite(with: error) }
        t.display.totals = display.totals.mapValues { $0.replacingNonFinite(with: error) }
        return t
    }
}
