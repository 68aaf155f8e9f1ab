import TallyCore
import TallyLang

extension SQLCompiler {
    /// `join(a, b, on: k, kind: "left")` with `b` on the same server: one SQL JOIN, named as
    /// Tally's join names (the key once, `a`'s columns, then `b`'s others, a name `a` has
    /// taking `_2`). An empty key matches nothing on either side (NULL = NULL is not true),
    /// as in Tally. Keys of different types, or `b` elsewhere, decline (joined here).
    func join(_ a: SQLQuery, server: String, _ args: [Argument]) throws(TallyError) -> SQLQuery? {
        guard let bArg = args.first, bArg.label == nil, let bPlan = try plan(bArg.value), case .table = bPlan.result,
              bPlan.source.server == server else { return nil }
        var keys: [String] = [], kind = "inner"
        for x in args.dropFirst() {
            switch x.label {
            case "on":
                switch x.value {
                case .name(let n, _): keys = [n]
                case .list(let items, _):
                    for item in items {
                        guard case .name(let n, _) = item else { return nil }
                        keys.append(n)
                    }
                default: return nil
                }
            case "kind":
                guard !reads(x.value, columnsOf: nil), case .text(let k) = try constant(x.value), k == "inner" || k == "left" else { return nil }
                kind = k
            default: return nil
            }
        }
        let b = bPlan.query
        guard !keys.isEmpty, Set(keys).count == keys.count else { return nil }
        for k in keys {
            guard let t = a.type(of: k), b.type(of: k) == t else { return nil }
        }
        var select: [String] = [], columns: [(name: String, type: SQLType)] = []
        for (n, t) in a.columns {
            select.append("j1." + SQLText.identifier(n))
            columns.append((n, t))
        }
        for (n, t) in b.columns where !keys.contains(n) {
            let name = a.type(of: n) == nil ? n : n + "_2"
            select.append("j2." + SQLText.identifier(n) + (name == n ? "" : " AS " + SQLText.identifier(name)))
            columns.append((name, t))
        }
        guard Set(columns.map(\.name)).count == columns.count else { return nil }
        let on = keys.map { "j1.\(SQLText.identifier($0)) = j2.\(SQLText.identifier($0))" }.joined(separator: " AND ")
        let from = side(a, "j1") + (kind == "left" ? " LEFT JOIN " : " JOIN ") + side(b, "j2") + " ON " + on
        var out = SQLQuery(from: from, columns: columns)
        out.select = select
        out.depth = max(a.depth, b.depth)
        return out
    }

    /// One side of a JOIN under `alias`: the relation itself, or the query as a subquery.
    private func side(_ q: SQLQuery, _ alias: String) -> String {
        if q.isPlain, !q.from.hasPrefix("(") { return q.from + " AS " + alias }
        return "(\(q.text)) AS \(alias)"
    }

    /// `pivot(o, rows: r, cols: c, value: agg, totals:, as:, of:)`: the cells in one GROUP BY
    /// on the server; with totals or shares, GROUPING SETS add each row's, each column's and
    /// the grand total, each the aggregate over the rows it covers (so an average's or a
    /// median's total is exact, as Tally's). The grid is laid out here.
    func pivot(_ q: SQLQuery, _ args: [Argument]) throws(TallyError) -> (SQLQuery, PivotRequest)? {
        var rows: String?, cols: String?, value: Expr?, colsExpr: Expr?, totals = false, share = false, of: String?
        func name(_ e: Expr) -> String? {
            guard case .name(let n, _) = e, q.type(of: n) != nil else { return nil }
            return n
        }
        func text(_ e: Expr, _ allowed: [String]) throws(TallyError) -> String? {
            guard !reads(e, columnsOf: nil), case .text(let s) = try constant(e), allowed.contains(s) else { return nil }
            return s
        }
        for a in args {
            switch a.label {
            case "rows": rows = name(a.value)
            case "cols": cols = name(a.value); colsExpr = a.value
            case "value": value = a.value
            case "totals":
                guard !reads(a.value, columnsOf: nil), case .bool(let b) = try constant(a.value) else { return nil }
                totals = b
            case "as":
                guard let s = try text(a.value, ["value", "share"]) else { return nil }
                share = s == "share"
            case "of":
                guard let s = try text(a.value, ["all", "row", "col"]) else { return nil }
                of = s
            default: return nil
            }
        }
        // `of:` without shares is refused by pivot itself, here.
        guard let rows, let cols, let value, let colsExpr, rows != cols, of == nil || share,
              ![PivotRequest.valueColumn, PivotRequest.groupingColumn].contains(rows),
              ![PivotRequest.valueColumn, PivotRequest.groupingColumn].contains(cols) else { return nil }
        var out = q.groupBy.isEmpty && q.limit == nil && q.select == nil ? q : q.wrapped()
        out.orderBy = []
        guard let (aggregate, type) = try aggregate(value, out), let rowType = out.type(of: rows), let colType = out.type(of: cols) else { return nil }
        let r = SQLText.identifier(rows), c = SQLText.identifier(cols)
        var select = [r, c, "\(aggregate) AS \(SQLText.identifier(PivotRequest.valueColumn))"]
        out.columns = [(rows, rowType), (cols, colType), (PivotRequest.valueColumn, type)]
        if totals || share {
            select.append("GROUPING(\(r), \(c)) AS \(SQLText.identifier(PivotRequest.groupingColumn))")
            out.columns.append((PivotRequest.groupingColumn, .number))
            out.groupBy = ["GROUPING SETS ((\(r), \(c)), (\(r)), (\(c)), ())"]
        } else {
            out.groupBy = [r, c]
        }
        out.select = select
        return (out, PivotRequest(rows: rows, cols: cols, totals: totals, share: share, of: of ?? "all", value: value, colsExpr: colsExpr))
    }

    /// `split(total, o, by: [level, ...], weight: w)` (a goal tree over a remote table): one
    /// row per leaf (a combination of the levels) with its weight columns summed on the
    /// server, the rows it stands for and those whose weight split would refuse (empty,
    /// negative, not finite: then the rows are fetched, so split names the row). Only bare
    /// columns: a weight expression need not add up over a leaf's rows.
    func split(_ args: [Argument], span: SourceSpan) throws(TallyError) -> RemotePlan? {
        guard args.count >= 2, args[0].label == nil, args[1].label == nil, var plan = try plan(args[1].value),
              case .table = plan.result,
              let by = args.first(where: { $0.label == "by" }), let w = args.first(where: { $0.label == "weight" }),
              args.dropFirst(2).allSatisfy({ ["by", "weight", "unit", "audit", "as"].contains($0.label ?? "") }) else { return nil }
        var q = plan.query
        let rows = q
        func names(_ e: Expr) -> [String]? {
            switch e {
            case .name(let n, _): return [n]
            case .list(let items, _):
                var out: [String] = []
                for item in items {
                    guard case .name(let n, _) = item else { return nil }
                    out.append(n)
                }
                return out
            default: return nil
            }
        }
        guard let levels = names(by.value), !levels.isEmpty, Set(levels).count == levels.count,
              levels.allSatisfy({ q.type(of: $0) != nil }), let weights = names(w.value), !weights.isEmpty,
              weights.allSatisfy({ q.type(of: $0) == .number && !levels.contains($0) }) else { return nil }
        if case .list = w.value, weights.count != levels.count || levels.count < 2 { return nil }
        var summed: [String] = []
        for x in weights where !summed.contains(x) { summed.append(x) }
        guard ![SplitPushdown.rowsColumn, SplitPushdown.badColumn].contains(where: { levels.contains($0) || summed.contains($0) }) else { return nil }
        if !(q.groupBy.isEmpty && q.limit == nil && q.select == nil) { q = q.wrapped() }
        // Split lists leaves of equal amounts in the order of their first rows: over a table
        // (filtered or not) that is the order of its rows on disk, `min(ctid)`; a query's
        // rows have none, so its leaves come in key order.
        let inTableOrder = !q.from.hasPrefix("(")
        let keys = levels.map(SQLText.identifier)
        let bad = summed.map { x in
            let c = SQLText.identifier(x)
            return "\(c) IS NULL OR NOT (\(c)::float8 >= 0 AND \(c)::float8 < 'Infinity'::float8)"
        }.joined(separator: " OR ")
        q.select = keys + summed.map { "COALESCE(sum(\(SQLText.identifier($0))), 0) AS \(SQLText.identifier($0))" }
            + ["count(*) AS \(SQLText.identifier(SplitPushdown.rowsColumn))",
               "count(*) FILTER (WHERE \(bad)) AS \(SQLText.identifier(SplitPushdown.badColumn))"]
        q.groupBy = keys
        q.orderBy = inTableOrder ? ["min(ctid)"] : levels.compactMap { l in q.type(of: l).map { SQLQuery.orderItem(l, $0, descending: false) } }
        q.columns = levels.compactMap { l in q.type(of: l).map { (l, $0) } } + summed.map { ($0, SQLType.number) }
            + [(SplitPushdown.rowsColumn, .number), (SplitPushdown.badColumn, .number)]
        var call = args
        call[1] = Argument(label: nil, labelSpan: nil, value: .name(RemotePlan.fetchedName, args[1].value.span))
        plan.query = q
        plan.result = .split(arguments: call, span: span, rows: rows)
        plan.steps.append("split's per-leaf weight sums")
        return plan
    }
}
