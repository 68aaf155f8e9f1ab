import TallyCore

/// The type of a remote column, as Tally will hold it.
public enum SQLType: String, Sendable, Equatable {
    case number, text, date, boolean
}

/// One SELECT being built: each table operation either adds its clause to it or, when the
/// clause would change what earlier clauses mean, wraps it as a subquery.
public struct SQLQuery: Sendable, Equatable {
    /// The columns the query gives, in order, with their types.
    public var columns: [(name: String, type: SQLType)]
    /// `"orders"` or `(select ...) AS q1`.
    var from: String
    /// nil: `*`.
    var select: [String]?
    var conditions: [String] = []
    var groupBy: [String] = []
    var orderBy: [String] = []
    var limit: Int?
    /// Subqueries made so far, to name each one.
    var depth = 0

    /// The base query over a relation with the given columns.
    public init(from: String, columns: [(name: String, type: SQLType)]) {
        self.from = from
        self.columns = columns
    }

    public static func == (a: SQLQuery, b: SQLQuery) -> Bool { a.text == b.text }

    /// The SQL text.
    public var text: String {
        var s = "SELECT " + (select?.joined(separator: ", ") ?? "*") + " FROM " + from
        if !conditions.isEmpty { s += " WHERE " + conditions.map { conditions.count > 1 ? "(\($0))" : $0 }.joined(separator: " AND ") }
        if !groupBy.isEmpty { s += " GROUP BY " + groupBy.joined(separator: ", ") }
        if !orderBy.isEmpty { s += " ORDER BY " + orderBy.joined(separator: ", ") }
        if let limit { s += " LIMIT \(limit)" }
        return s
    }

    /// True when only the FROM is set: the relation itself.
    var isPlain: Bool { select == nil && conditions.isEmpty && groupBy.isEmpty && orderBy.isEmpty && limit == nil }

    /// This query as the FROM of a new one (kept as is when it is the plain relation).
    public func wrapped() -> SQLQuery {
        if isPlain { return self }
        var q = SQLQuery(from: "(\(text)) AS q\(depth + 1)", columns: columns)
        q.depth = depth + 1
        return q
    }

    /// The first n rows of this query, in the server's order.
    public func limited(_ n: Int) -> SQLQuery {
        var q = limit == nil ? self : wrapped()
        q.limit = n
        return q
    }

    /// Only the named columns of this query, in its order of rows.
    public func selecting(_ names: [String]) -> SQLQuery {
        var q = select == nil && groupBy.isEmpty && limit == nil ? self : wrapped()
        q.select = names.map(SQLText.identifier)
        q.columns = names.map { n in (name: n, type: type(of: n) ?? .text) }
        return q
    }

    /// One row: `rows` (count(*)), then for column i `n_i` (values held), `e_i` (empty),
    /// `lo_i` and `hi_i` (least and greatest: text in code-point order, NULL for booleans),
    /// `mean_i` (numbers only) and `d_i` (different values): what `describe` shows.
    public func described() -> SQLQuery {
        var select = ["count(*) AS \"rows\""]
        var out: [(name: String, type: SQLType)] = [(name: "rows", type: .number)]
        for (i, c) in columns.enumerated() {
            let id = SQLText.identifier(c.name), ordered = id + (c.type == .text ? " COLLATE \"C\"" : "")
            let ranged = c.type != .boolean
            select += ["count(\(id)) AS \"n_\(i)\"", "count(*) - count(\(id)) AS \"e_\(i)\"",
                       (ranged ? "min(\(ordered))" : "NULL::boolean") + " AS \"lo_\(i)\"",
                       (ranged ? "max(\(ordered))" : "NULL::boolean") + " AS \"hi_\(i)\"",
                       (c.type == .number ? "avg(\(id))" : "NULL::numeric") + " AS \"mean_\(i)\"",
                       "count(DISTINCT \(id)) AS \"d_\(i)\""]
            out += [(name: "n_\(i)", type: .number), (name: "e_\(i)", type: .number), (name: "lo_\(i)", type: c.type),
                    (name: "hi_\(i)", type: c.type), (name: "mean_\(i)", type: .number), (name: "d_\(i)", type: .number)]
        }
        var q = SQLQuery(from: isPlain ? from : "(\(text)) AS q\(depth + 1)", columns: out)
        q.select = select
        return q
    }

    /// One row, one column `n`: how many rows this query gives.
    public func counted() -> SQLQuery {
        var q = SQLQuery(from: isPlain ? from : "(\(text)) AS q\(depth + 1)", columns: [(name: "n", type: .number)])
        q.select = ["count(*) AS \"n\""]
        return q
    }

    /// The type of a column, nil when the query has no such column.
    func type(of name: String) -> SQLType? { columns.first { $0.name == name }?.type }

    /// The ORDER BY item for a column: text in code-point order (as Tally sorts), empty cells last.
    static func orderItem(_ column: String, _ type: SQLType, descending: Bool) -> String {
        SQLText.identifier(column) + (type == .text ? " COLLATE \"C\"" : "") + (descending ? " DESC" : "") + " NULLS LAST"
    }
}

/// Quoting of names and constants.
public enum SQLText {
    /// `"name"`, doubling inner quotes.
    public static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `public.orders` -> `"public"."orders"`; a name with a dot inside quotes stays one part.
    public static func relation(_ name: String) -> String {
        if name.hasPrefix("\"") { return name }
        return name.split(separator: ".", omittingEmptySubsequences: false).map { identifier(String($0)) }.joined(separator: ".")
    }

    /// `'text'`, doubling inner quotes.
    public static func string(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A constant as SQL, with its type; nil for values SQL cannot take as one constant.
    public static func literal(_ v: Value) -> (String, SQLType)? {
        switch v {
        case .number(let x, _):
            guard x.isFinite else { return nil }
            if x == x.rounded(), abs(x) < 1e15 { return (String(Int64(x)), .number) }
            return ("\(x)", .number)
        case .text(let s): return (string(s), .text)
        case .date(let d):
            let c = d.components
            func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
            return ("DATE '\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))'", .date)
        case .bool(let b): return (b ? "TRUE" : "FALSE", .boolean)
        default: return nil
        }
    }
}
