/// Named columns of equal length.
public struct Table: Sendable, Equatable {
    public private(set) var names: [String]
    public private(set) var columns: [Column]

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
        t.columns = columns.map { $0.gather(indices) }
        return t
    }
}
