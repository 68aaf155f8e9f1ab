import TallyCore
import TallyLang

extension SQLCompiler {
    /// `rfm(o, customer:, date:, amount:, asof:, ...)` (`args`: those after the table): the per-customer last order, order
    /// count and total in one GROUP BY on the server; the scoring (`rfm_score`, which scores
    /// exactly as rfm does) runs here over one row per customer.
    ///
    /// Rows with an empty customer, date or amount are left out as rfm leaves them out; the
    /// default `asof` is the latest date of any row, as in rfm; money is summed as rfm sums
    /// it, to the cent (`round(amount, 2)` in numeric, never a float).
    func rfm(_ q: SQLQuery, _ args: [Argument], span: SourceSpan) throws(TallyError) -> (SQLQuery, RemotePlan.Result)? {
        func column(_ label: String) -> (String, SQLType)? {
            guard let a = args.first(where: { $0.label == label }), case .name(let n, _) = a.value, let t = q.type(of: n) else { return nil }
            return (n, t)
        }
        guard let (customer, customerType) = column("customer"), let (date, dateType) = column("date"),
              let (amount, amountType) = column("amount"), dateType == .date, amountType == .number,
              customerType == .text || customerType == .number,
              !["recency", "frequency", "monetary"].contains(customer) else { return nil }
        var asof = "max(max(\(SQLText.identifier(date)))) OVER ()"
        if let a = args.first(where: { $0.label == "asof" }) {
            guard !reads(a.value, columnsOf: q) else { return nil }
            guard case .date(let d) = try constant(a.value), let literal = SQLText.literal(.date(d)) else { return nil }
            asof = literal.0
        }
        let c = SQLText.identifier(customer), d = SQLText.identifier(date), m = SQLText.identifier(amount)
        let key = customerType == .text ? c : "(\(c))::text"
        var inner = q.groupBy.isEmpty && q.limit == nil && q.select == nil ? q : q.wrapped()
        inner.orderBy = []
        inner.select = [
            "\(key) AS \(c)",
            "(\(asof) - max(\(d)) FILTER (WHERE \(m) IS NOT NULL)) AS \"recency\"",
            "count(*) FILTER (WHERE \(d) IS NOT NULL AND \(m) IS NOT NULL) AS \"frequency\"",
            "COALESCE(sum(round(\(m)::numeric, 2)) FILTER (WHERE \(d) IS NOT NULL), 0) AS \"monetary\"",
        ]
        inner.groupBy = [key]
        inner.columns = [(customer, .text), ("recency", .number), ("frequency", .number), ("monetary", .number)]
        var out = inner.wrapped()
        out.conditions = ["\(c) IS NOT NULL", "\(c) <> ''", "\"frequency\" > 0"]
        out.orderBy = [SQLQuery.orderItem(customer, .text, descending: false)]
        let s = span
        func name(_ n: String) -> Expr { .name(n, s) }
        var call: [Argument] = [
            Argument(label: nil, labelSpan: nil, value: name(RemotePlan.fetchedName)),
            Argument(label: "recency", labelSpan: s, value: name("recency")),
            Argument(label: "frequency", labelSpan: s, value: name("frequency")),
            Argument(label: "monetary", labelSpan: s, value: name("monetary")),
            Argument(label: "customer", labelSpan: s, value: name(customer)),
        ]
        call += args.filter { !["customer", "date", "amount", "asof"].contains($0.label ?? "") }
        return (out, .local(name: "rfm_score", arguments: call, span: span))
    }

    /// `abc(o, value: v, by: k, ...)`: the per-key sums on the server, the ranking and the
    /// classes here (abc over one row per key gives what it gives over the rows). Each key
    /// also counts the rows it summed and those abc leaves out (an empty key or value), so
    /// abc's notes count rows as over the rows themselves (`SummedKeys`).
    func abc(_ q: SQLQuery, _ args: [Argument], span: SourceSpan) throws(TallyError) -> (SQLQuery, RemotePlan.Result)? {
        guard let v = args.first(where: { $0.label == "value" }), case .name(let value, _) = v.value, q.type(of: value) == .number,
              let b = args.first(where: { $0.label == "by" }), case .name(let key, _) = b.value, let keyType = q.type(of: key),
              key != value, ![SummedKeys.rowsColumn, SummedKeys.skippedColumn].contains(where: { $0 == key || $0 == value }) else { return nil }
        var out = q.groupBy.isEmpty && q.limit == nil && q.select == nil ? q : q.wrapped()
        let k = SQLText.identifier(key), x = SQLText.identifier(value)
        let used = "\(k) IS NOT NULL" + (keyType == .text ? " AND \(k) <> ''" : "") + " AND \(x) IS NOT NULL"
        out.select = [k, "COALESCE(sum(\(x)) FILTER (WHERE \(used)), 0) AS \(x)",
                      "count(*) FILTER (WHERE \(used)) AS \(SQLText.identifier(SummedKeys.rowsColumn))",
                      "count(*) FILTER (WHERE NOT (\(used))) AS \(SQLText.identifier(SummedKeys.skippedColumn))"]
        out.groupBy = [k]
        out.orderBy = [SQLQuery.orderItem(key, keyType, descending: false)]
        out.columns = [(key, keyType), (value, .number), (SummedKeys.rowsColumn, .number), (SummedKeys.skippedColumn, .number)]
        let call = [Argument(label: nil, labelSpan: nil, value: .name(RemotePlan.fetchedName, span))] + args
        return (out, .local(name: "abc", arguments: call, span: span))
    }
}
