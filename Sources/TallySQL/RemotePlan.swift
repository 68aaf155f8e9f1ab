import TallyCore
import TallyLang

/// What runs for a table expression over a remote table: one SQL query on the server,
/// then what the result becomes here.
public struct RemotePlan: Sendable {
    /// What Tally does with the rows the query returns.
    public enum Result: Sendable {
        /// The rows are the answer.
        case table
        /// One row, one column: a number (`count(o)`).
        case scalar
        /// A built-in runs here over the fetched rows (the scoring of `rfm`, the classes of
        /// `abc`): the call, whose first argument is `RemotePlan.fetchedName`.
        case local(name: String, arguments: [Argument], span: SourceSpan)
        /// `pivot`: the rows are its cells and totals, aggregated on the server; the grid is
        /// shaped here (PivotGrid, as `pivot` shapes its own).
        case pivot(PivotRequest)
        /// `split` over a table: the rows are the per-leaf weight sums with the count of rows
        /// each stands for (`SplitPushdown.rowsColumn`) and of rows whose weight `split` would
        /// refuse (`SplitPushdown.badColumn`); the allocation runs here. The call's table
        /// argument is `RemotePlan.fetchedName`; `rows` fetches the table's rows, for when split
        /// needs them (a weight it refuses, so it names the row; every row its own leaf).
        case split(arguments: [Argument], span: SourceSpan, rows: SQLQuery)
    }

    public var source: RemoteSource
    public var query: SQLQuery
    public var result: Result
    /// The operations sent to the server, in order (`where`, `group`).
    public var steps: [String]

    public init(source: RemoteSource, query: SQLQuery, result: Result, steps: [String]) {
        self.source = source
        self.query = query
        self.result = result
        self.steps = steps
    }

    /// The name the fetched rows go by in a `.local` call.
    public static let fetchedName = "\u{1}fetched"

    /// The lines `explain` shows.
    public var explanation: [String] {
        var lines = ["-- on \(source.server): " + (steps.isEmpty ? "the rows" : steps.joined(separator: ", ")), query.text + ";"]
        switch result {
        case .local(let name, _, _): lines.append("-- then here: `\(name)` over the rows it returns")
        case .pivot: lines.append("-- then here: `pivot` lays the cells out as a grid")
        case .split: lines.append("-- then here: `split` allocates the total over the leaves it returns")
        case .table, .scalar: break
        }
        return lines
    }
}

/// What `pivot` over a remote table shapes here from the server's cells and totals.
public struct PivotRequest: Sendable {
    /// The `rows:` and `cols:` columns.
    public var rows: String
    public var cols: String
    public var totals: Bool
    public var share: Bool
    /// "all", "row" or "col" (of which total a share is taken).
    public var of: String
    /// The `value:` aggregate and the `cols:` argument, for the spans of messages.
    public var value: Expr
    public var colsExpr: Expr

    /// Columns of the query: the row key, the column key, the value, and with totals
    /// `GROUPING(rows, cols)`: 0 a cell, 1 a row's total, 2 a column's total, 3 the grand total.
    public static let valueColumn = "tally_value", groupingColumn = "tally_grouping"
}

/// Names of the bookkeeping columns of a pushed-down `split`.
public enum SplitPushdown {
    public static let rowsColumn = "tally_rows", badColumn = "tally_bad"
}
