import TallyCore
import TallyLang

/// Compiles a table expression over a remote table (`o |> where(amount > 100) |> group(region,
/// total: sum(amount))`) into one SQL query with the same result as Tally's own operations.
/// Anything it cannot translate with the same meaning it declines (nil), and the caller
/// computes that step locally; it never guesses.
public struct SQLCompiler {
    /// The remote table a workspace name stands for, with its stand-in (nil: not remote).
    public var remoteTable: (String) -> (source: RemoteSource, standIn: Table)?
    /// The value of an expression that reads no column (a workspace name, `date("2026-01-01")`).
    public var constant: (Expr) throws(TallyError) -> Value

    public init(remoteTable: @escaping (String) -> (source: RemoteSource, standIn: Table)?,
                constant: @escaping (Expr) throws(TallyError) -> Value) {
        self.remoteTable = remoteTable
        self.constant = constant
    }

    /// The plan for `e`, or nil when `e` is not wholly a remote table operation.
    public func plan(_ e: Expr) throws(TallyError) -> RemotePlan? {
        switch e {
        case .name(let n, _):
            guard let (source, standIn) = remoteTable(n) else { return nil }
            return RemotePlan(source: source, query: SQLCompiler.baseQuery(source, standIn), result: .table, steps: [])
        case .call(let name, _, let args, let span):
            if name == "split" { return try split(args, span: span) }
            if let plan = try columnAggregate(name, args, span: span) { return plan }
            guard let first = args.first, first.label == nil, var plan = try self.plan(first.value),
                  case .table = plan.result else { return nil }
            let rest = Array(args.dropFirst())
            let q = plan.query
            let compiled: SQLQuery?
            switch name {
            case "where": compiled = try filter(q, rest)
            case "group": compiled = try group(q, rest)
            case "sort": compiled = sort(q, rest)
            case "top": compiled = try top(q, rest)
            case "head": compiled = try head(q, rest)
            case "select": compiled = select(q, rest)
            case "join": compiled = try join(q, server: plan.source.server, rest)
            case "pivot":
                guard let (query, request) = try pivot(q, rest) else { return nil }
                plan.query = query
                plan.result = .pivot(request)
                plan.steps.append(request.totals || request.share ? "pivot's cells and totals" : "pivot's cells")
                return plan
            case "count":
                guard rest.isEmpty else { return nil }
                var c = q.wrapped()
                c.select = ["count(*) AS \"count\""]
                c.columns = [("count", .number)]
                plan.query = c
                plan.result = .scalar
                plan.steps.append("count")
                return plan
            case "rfm":
                guard let (query, call) = try rfm(q, rest, span: span) else { return nil }
                plan.query = query
                plan.result = call
                plan.steps.append("rfm's per-customer totals")
                return plan
            case "abc":
                guard let (query, call) = try abc(q, rest, span: span) else { return nil }
                plan.query = query
                plan.result = call
                plan.steps.append("abc's per-key sums")
                return plan
            default: return nil
            }
            guard let compiled else { return nil }
            plan.query = compiled
            plan.steps.append(name)
            return plan
        default:
            return nil
        }
    }

    /// `sum(o.amount)`: an aggregate of one column of a remote table, one value computed by
    /// its server (as `group` computes it per group), not the column fetched and added here.
    private func columnAggregate(_ name: String, _ args: [Argument], span: SourceSpan) throws(TallyError) -> RemotePlan? {
        guard ["sum", "avg", "count", "count_distinct", "min", "max", "median"].contains(name), args.count == 1, args[0].label == nil,
              case .member(.name(let t, _), let field, let fieldSpan) = args[0].value, let (source, standIn) = remoteTable(t) else { return nil }
        let base = SQLCompiler.baseQuery(source, standIn)
        let call = Expr.call(name: name, nameSpan: span, arguments: [Argument(label: nil, labelSpan: nil, value: .name(field, fieldSpan))], span: span)
        guard let (sql, type) = try aggregate(call, base) else { return nil }
        var q = base.wrapped()
        q.select = [sql + " AS \"value\""]
        q.columns = [("value", type)]
        return RemotePlan(source: source, query: q, result: .scalar, steps: [name])
    }

    /// `SELECT * FROM "orders"` or `SELECT * FROM (select ...) AS q0`.
    public static func baseQuery(_ source: RemoteSource, _ standIn: Table) -> SQLQuery {
        let columns = zip(standIn.names, standIn.columns).map { (name: $0.0, type: SQLType(rawValue: $0.1.typeName) ?? .text) }
        switch source.relation {
        case .table(let n): return SQLQuery(from: SQLText.relation(n), columns: columns)
        case .query(let sql):
            var body = sql.trimmingCharacters(in: .whitespacesAndNewlines)
            while body.hasSuffix(";") { body.removeLast() }
            return SQLQuery(from: "(\(body)) AS q0", columns: columns)
        }
    }

    // MARK: operations

    private func filter(_ q: SQLQuery, _ args: [Argument]) throws(TallyError) -> SQLQuery? {
        guard args.count == 1, args[0].label == nil else { return nil }
        var out = q.groupBy.isEmpty && q.limit == nil && q.select == nil ? q : q.wrapped()
        guard let (cond, type) = try row(args[0].value, out), type == .boolean else { return nil }
        out.conditions.append(cond)
        return out
    }

    private func group(_ q: SQLQuery, _ args: [Argument]) throws(TallyError) -> SQLQuery? {
        var out = q.groupBy.isEmpty && q.limit == nil && q.select == nil ? q : q.wrapped()
        out.orderBy = []
        var select: [String] = [], keys: [String] = [], order: [String] = []
        var columns: [(name: String, type: SQLType)] = []
        for a in args {
            if let label = a.label {
                guard !columns.contains(where: { $0.name == label }), let (sql, type) = try aggregate(a.value, out) else { return nil }
                select.append("\(sql) AS \(SQLText.identifier(label))")
                columns.append((label, type))
            } else {
                guard case .name(let n, _) = a.value, let type = out.type(of: n), !columns.contains(where: { $0.name == n }) else { return nil }
                select.append(SQLText.identifier(n))
                keys.append(SQLText.identifier(n))
                order.append(SQLQuery.orderItem(n, type, descending: false))
                columns.append((n, type))
            }
        }
        guard !columns.isEmpty else { return nil }
        out.select = select
        out.groupBy = keys
        out.orderBy = order
        out.columns = columns
        return out
    }

    private func sort(_ q: SQLQuery, _ args: [Argument]) -> SQLQuery? {
        var out = q.groupBy.isEmpty && q.limit == nil && q.select == nil ? q : q.wrapped()
        var keys: [(String, SQLType, Bool)] = []
        for a in args {
            guard a.label == nil, case .name(let n, _) = a.value else { return nil }
            if let type = out.type(of: n) { keys.append((n, type, false)); continue }
            guard n == "desc" || n == "asc", !keys.isEmpty else { return nil }
            keys[keys.count - 1].2 = n == "desc"
        }
        guard !keys.isEmpty else { return nil }
        out.orderBy = keys.map { SQLQuery.orderItem($0.0, $0.1, descending: $0.2) } + tieBreak(q)
        return out
    }

    private func top(_ q: SQLQuery, _ args: [Argument]) throws(TallyError) -> SQLQuery? {
        guard let first = args.first, first.label == nil, let n = try count(first.value) else { return nil }
        var out = q.limit == nil ? q : q.wrapped()
        for a in args.dropFirst() {
            guard a.label == "by", case .name(let c, _) = a.value, let type = out.type(of: c) else { return nil }
            let before = out
            if !out.groupBy.isEmpty || out.select != nil { out = out.wrapped() }
            out.orderBy = [SQLQuery.orderItem(c, type, descending: true)] + tieBreak(before)
        }
        out.limit = n
        return out
    }

    private func head(_ q: SQLQuery, _ args: [Argument]) throws(TallyError) -> SQLQuery? {
        var n = 10
        if let first = args.first {
            guard args.count == 1, first.label == nil, let k = try count(first.value) else { return nil }
            n = k
        }
        var out = q.limit == nil ? q : q.wrapped()
        out.limit = n
        return out
    }

    private func select(_ q: SQLQuery, _ args: [Argument]) -> SQLQuery? {
        var out = q.select == nil && q.groupBy.isEmpty ? q : q.wrapped()
        var list: [String] = [], columns: [(name: String, type: SQLType)] = []
        for a in args {
            guard case .name(let n, _) = a.value, let type = out.type(of: n) else { return nil }
            let name = a.label ?? n
            guard !columns.contains(where: { $0.name == name }) else { return nil }
            list.append(SQLText.identifier(n) + (name == n ? "" : " AS " + SQLText.identifier(name)))
            columns.append((name, type))
        }
        guard !list.isEmpty else { return nil }
        out.select = list
        out.columns = columns
        return out
    }

    /// Tally's sort is stable: rows that tie keep their order. After `group` that order is
    /// the keys', which are columns of the result, so they break the ties on the server too.
    private func tieBreak(_ q: SQLQuery) -> [String] {
        q.groupBy.isEmpty || q.limit != nil ? [] : q.orderBy
    }

    /// A row count argument: a whole number from 0 up.
    private func count(_ e: Expr) throws(TallyError) -> Int? {
        guard !reads(e, columnsOf: nil), case .number(let x, _) = try constant(e), x >= 0, x == x.rounded(), x < 1e12 else { return nil }
        return Int(x)
    }
}
