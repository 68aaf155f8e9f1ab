import TallyCore

/// What a remote table reads on its server: a named table or the rows of a query.
public enum RemoteRelation: Sendable, Equatable {
    case table(String)
    case query(String)
}

/// A table that lives on a database server. The workspace keeps a stand-in: a table with
/// the remote columns (typed, no rows) that carries this in its display metadata, so a
/// derived table (which drops the display) is never mistaken for the remote one.
public struct RemoteSource: Sendable, Equatable {
    /// The server as shown and saved: the URL without its password.
    public var server: String
    public var relation: RemoteRelation
    /// Counts loads, so a `reload` is a change that recalculates dependent formulas.
    public var generation: Int

    public init(server: String, relation: RemoteRelation, generation: Int) {
        self.server = server
        self.relation = relation
        self.generation = generation
    }

    static let key = "remote"

    /// The remote source a stand-in table carries, or nil for a local table.
    public init?(_ table: Table) {
        guard case .record(let r)? = table.display.metadata[RemoteSource.key],
              case .text(let server)? = r["server"], case .text(let kind)? = r["kind"],
              case .text(let text)? = r["relation"], case .number(let g, _)? = r["generation"] else { return nil }
        self.init(server: server, relation: kind == "query" ? .query(text) : .table(text), generation: Int(g))
    }

    /// `schema` (the remote columns, no rows) marked as this remote table.
    public func standIn(_ schema: Table) -> Table {
        var t = schema
        var r = Record()
        r["server"] = .text(server)
        switch relation {
        case .table(let n): r["kind"] = .text("table"); r["relation"] = .text(n)
        case .query(let q): r["kind"] = .text("query"); r["relation"] = .text(q)
        }
        r["generation"] = .num(Double(generation))
        t.display.metadata[RemoteSource.key] = .record(r)
        return t
    }

    /// `postgresql://user:secret@host/db?password=x` without the password (user, host,
    /// port, database and other parameters stay), for display, journal, history and plans.
    public static func redacting(_ url: String) -> String {
        var s = url
        if let scheme = s.range(of: "://") {
            let rest = s[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@"),
               let colon = rest[..<at].firstIndex(of: ":") {
                s.removeSubrange(colon..<at)
            }
        }
        guard let q = s.firstIndex(of: "?") else { return s }
        let params = s[s.index(after: q)...].split(separator: "&").filter { !$0.lowercased().hasPrefix("password=") }
        return String(s[..<q]) + (params.isEmpty ? "" : "?" + params.joined(separator: "&"))
    }
}

/// The host's side of remote tables: it runs table operations over them on their server
/// (as SQL) and fetches rows. The language only asks; the REPL provides one.
public protocol RemoteTables: AnyObject {
    /// `e`, a call whose table argument reads a remote table, with as much as possible run
    /// on the server; nil when `e` reads no remote table (the evaluator then goes on as usual).
    func evaluate(_ e: Expr, evaluator: Evaluator) throws(TallyError) -> Value?
    /// Every row of the remote table behind `standIn`, for a step computed here: all its
    /// columns, or only `columns` (`o.amount` reads one).
    func fetch(_ standIn: Table, source: RemoteSource, columns: [String]?, span: SourceSpan) throws(TallyError) -> Table
    /// The first `rows` rows of the remote table behind `standIn` (in the server's order),
    /// with how many it has in `display.metadata[Table.totalRowsKey]`: what typing its
    /// name shows, without fetching ten million rows to show twenty.
    func preview(_ standIn: Table, source: RemoteSource, rows: Int, span: SourceSpan) throws(TallyError) -> Table
    /// The lines `explain e` prints: the SQL that would run and the steps done here.
    func explain(_ e: Expr, evaluator: Evaluator) throws(TallyError) -> [String]
    /// What `describe` shows of the remote table behind `standIn`, computed on its server:
    /// one summary per column, in order, and the number of rows.
    func describe(_ standIn: Table, source: RemoteSource, span: SourceSpan) throws(TallyError) -> (rows: Int, columns: [ColumnSummary])
    /// The rows of `e` read from the server a batch at a time, for `export` to write as they
    /// come; nil when `e` is not rows the server computes whole (a remote table, or where,
    /// sort, group... over one), which `export` then evaluates as usual.
    func batches(_ e: Expr, evaluator: Evaluator) throws(TallyError) -> RemoteBatches?
}

/// Rows read from a server in batches: `export` of a remote table writes ten million rows
/// without ever holding them.
public struct RemoteBatches {
    /// The columns' names, for a header written before the first batch.
    public var names: [String]
    /// Hands each batch to `body` in order (all of the batches' columns have the types the
    /// rows have on the server); returns the number of rows. An error from `body` or the
    /// server, or Ctrl-C, stops it at once.
    public var forEach: (_ body: (Table) throws(TallyError) -> Void) throws(TallyError) -> Int

    public init(names: [String], forEach: @escaping (_ body: (Table) throws(TallyError) -> Void) throws(TallyError) -> Int) {
        self.names = names
        self.forEach = forEach
    }
}

/// One row of `describe`: a column's values held and empty, its least and greatest value,
/// its mean (numbers only) and its number of different values.
public struct ColumnSummary: Sendable, Equatable {
    public var count: Int, empty: Int
    public var min: Value, max: Value, mean: Value
    public var distinct: Int

    public init(count: Int, empty: Int, min: Value, max: Value, mean: Value, distinct: Int) {
        self.count = count
        self.empty = empty
        self.min = min
        self.max = max
        self.mean = mean
        self.distinct = distinct
    }
}

/// A table of goal-tree leaves summed elsewhere (a remote table's, on its server): `split`
/// takes each row as one leaf, standing for the number of rows under `metadataKey`.
public enum SummedLeaves {
    public static let metadataKey = "split.summedRows"
}

/// Per-key sums made elsewhere (abc's `by:` over a remote table, on its server): the table
/// has one row per key, and its metadata the rows summed and those left out (an empty key
/// or value), so that abc's notes count the rows as over the rows themselves.
public enum SummedKeys {
    /// Columns of the server's answer: each key's rows summed and rows left out.
    public static let rowsColumn = "tally_rows", skippedColumn = "tally_skipped"
    /// Metadata keys of the table abc receives.
    public static let rowsKey = "abc.summedRows", skippedKey = "abc.skippedRows"
}
