import TallyCore

extension Registry {
    /// group, pivot (Registry+Pivot), distinct, join.
    static let groupingFunctions: [Builtin] = [
        Builtin("group", category: .table,
                parameters: [.required("t", .table),
                             .variadic("key", .aggregate(of: "t"), labels: .optional,
                                       help: "a key column; name: aggregate (sum(x), count()...) or name: expr, a computed key")],
                summary: "One row per combination of the keys, with named aggregates (sum, avg, count(), ...) per group.",
                details: "Groups come out in ascending key order. Inside the aggregates, bare names are the table's\ncolumns; `count()` counts the rows of each group; `sum(amount) / count()` works per group.\nAn explicit `table.column` is the whole column, not the group's rows, so\ngroup(orders, channel, share: sum(amount) / sum(orders.amount)) gives each channel's share.\nA named expression without an aggregate is a computed key: group(orders, month: month(order_date), revenue: sum(amount)).",
                example: "group(table(ch: [\"JD\", \"JD\", \"Tmall\"], x: [1, 2, 5]), ch, total: sum(x), orders: count())") { ctx in
            var t = try ctx.table("t")
            var keyNames: [String] = []
            var aggregates: [Argument] = []
            for a in ctx.rest {
                if let label = a.label, !mentionsAggregate(a.value, ctx.registry), !isRenamedColumn(a.value, label) {
                    // A named expression without an aggregate is a computed key: `month: month(order_date)`.
                    var sameColumn = false
                    if case .name(let n, _) = a.value, n == label { sameColumn = true }
                    guard !keyNames.contains(label), t.column(named: label) == nil || sameColumn else {
                        throw ctx.fail("key `\(label)` clashes with a column of the table", at: a.value, hint: "choose another name")
                    }
                    let v = try ctx.evaluate(a.value, columnsOf: t)
                    guard let next = t.setting(label, to: try column(v, rows: t.rowCount, ctx: ctx, at: a.value)) else {
                        throw ctx.fail("key `\(label)` has the wrong number of rows", at: a.value)
                    }
                    t = next
                    keyNames.append(label)
                } else if a.label == nil {
                    let k = try ctx.columnName(a.value, in: t)
                    guard !keyNames.contains(k) else { throw ctx.fail("key `\(k)` is given twice", at: a.value) }
                    keyNames.append(k)
                } else {
                    aggregates.append(a)
                }
            }
            let g = try GroupContext(table: t, keyNames: keyNames, check: ctx.checkInterrupted)
            var names = keyNames
            var cols = keyNames.compactMap { g.keys[$0] }
            for a in aggregates {
                let label = a.label ?? ""
                guard !names.contains(label) else { throw ctx.fail("column `\(label)` is named twice", at: a.value) }
                let v = try ctx.evaluate(a.value, grouped: g)
                names.append(label)
                cols.append(try groupColumn(v, groups: g.grouping.groupCount, ctx: ctx, at: a.value))
            }
            guard let out = Table(names: names, columns: cols) else { throw ctx.fail("the groups do not form a table") }
            return .table(out)
        },
        pivotFunction,
        Builtin("distinct", category: .table,
                parameters: [.required("t", .table), .variadic("column", .column(of: "t"), help: "the columns to combine (all when none)")],
                summary: "The different combinations of the given columns (all columns when none are given), sorted.",
                example: "distinct(table(ch: [\"JD\", \"Tmall\", \"JD\"]), ch)") { ctx in
            let t = try ctx.table("t")
            var names: [String] = []
            for a in ctx.rest { names.append(try ctx.columnName(a.value, in: t)) }
            if names.isEmpty { names = t.names }
            let keys = names.compactMap { t.column(named: $0) }
            let g = try Grouping(keys: keys, rowCount: t.rowCount, check: ctx.checkInterrupted)
            guard let out = Table(names: names, columns: keys.map { $0.gather(g.firstRow) }) else { throw ctx.fail("no columns") }
            return .table(out)
        },
        Builtin("join", category: .table,
                parameters: [.required("a", .table), .required("b", .table),
                             .labelled("on", .columns(of: "a"), help: "the key column, or [k1, k2] for several; both tables have it"),
                             .option("kind", .choice(["inner", "left"]), default: .text("inner"), help: "\"left\" keeps every row of a")],
                summary: "Rows of `a` matched with rows of `b` on equal key columns (`on: [k1, k2]` for several); kind \"inner\" or \"left\".",
                details: "Columns of `b` whose names clash with `a`'s get the suffix _2. A row of `a` that matches\nseveral rows of `b` appears once for each.",
                example: "join(table(k: [1, 2], a: [\"x\", \"y\"]), table(k: [2, 3], b: [true, false]), on: k, kind: \"left\")") { ctx in
            let a = try ctx.table("a"), b = try ctx.table("b")
            guard let on = ctx.argument("on"), let keys = try ctx.columns("on", in: a) else {
                throw ctx.fail("needs the key column: on: customer_id")
            }
            for k in keys where b.column(named: k) == nil {
                throw ctx.fail("the second table has no column `\(k)`", at: on.value,
                               hint: Suggestions.closest(to: k, among: b.names).map { "did you mean `\($0)`?" })
            }
            let kind = try ctx.choice("kind")
            let aKeys = keys.compactMap { a.column(named: $0) }, bKeys = keys.compactMap { b.column(named: $0) }
            // Rows match on equal codes; the rows of `b` listed by code (CSR), in row order.
            let codes = try JoinKeys(left: aKeys, right: bKeys, leftRows: a.rowCount, rightRows: b.rowCount,
                                      check: ctx.checkInterrupted)
            let (offsets, rowsOfB) = codes.rightRowsByCode()
            let left = kind == "left"
            // Count the rows before making them: per row of `a`, its matches (or 1 kept when left).
            var total = 0, oneEach = true
            for (i, c) in codes.left.enumerated() {
                if i & 0xFFFF == 0 { try ctx.checkInterrupted() }
                let m = c < 0 ? 0 : offsets[Int(c) + 1] - offsets[Int(c)]
                if m != 1 { oneEach = false }
                let (sum, overflow) = total.addingReportingOverflow(m == 0 ? (left ? 1 : 0) : m)
                total = overflow ? Int.max : sum
            }
            try ctx.checkSize(total, limit: ctx.rowLimit, at: on.value,
                              hint: "group one of the tables first (one row per key), or join on a more selective key")
            // Only the columns the consumer reads are made (none for count(join(...))).
            let bNames = zip(b.names, b.columns).filter { !keys.contains($0.0) }
                .map { (name: a.names.contains($0.0) ? $0.0 + "_2" : $0.0, column: $0.1) }
            // A name neither table has is left for the reader to report, with every column in view.
            let wanted = ctx.demand.flatMap { d in d.allSatisfy { n in a.names.contains(n) || bNames.contains { $0.name == n } } ? d : nil }
            var keptA = a.names.indices.filter { wanted?.contains(a.names[$0]) ?? true }
            let keptB = bNames.filter { wanted?.contains($0.name) ?? true }
            if keptA.isEmpty && keptB.isEmpty, let narrowest = a.projected(to: []).names.first, let k = a.names.firstIndex(of: narrowest) {
                keptA = [k]
            }
            var bi = [Int](repeating: 0, count: keptB.isEmpty && oneEach ? 0 : total)
            var ai: [Int] = []
            var unmatched = false
            if oneEach {
                // Every row of `a` once, in order: its columns stay as they are.
                if !keptB.isEmpty {
                    for (i, c) in codes.left.enumerated() {
                        if i & 0xFFFF == 0 { try ctx.checkInterrupted() }
                        bi[i] = rowsOfB[offsets[Int(c)]]
                    }
                }
            } else {
                ai = [Int](repeating: 0, count: total)
                var k = 0
                for (i, c) in codes.left.enumerated() {
                    if i & 0xFFFF == 0 { try ctx.checkInterrupted() }
                    let lo = c < 0 ? 0 : offsets[Int(c)], hi = c < 0 ? 0 : offsets[Int(c) + 1]
                    if lo == hi {
                        if left { ai[k] = i; bi[k] = -1; k += 1; unmatched = true }
                        continue
                    }
                    for p in lo..<hi {
                        if k & 0xFFFF == 0 { try ctx.checkInterrupted() }
                        ai[k] = i; bi[k] = rowsOfB[p]; k += 1
                    }
                }
            }
            var names: [String] = []
            var cols: [Column] = []
            for j in keptA {
                try ctx.checkInterrupted()
                names.append(a.names[j])
                cols.append(oneEach ? a.columns[j] : a.columns[j].gather(ai))
            }
            for (n, c) in keptB {
                try ctx.checkInterrupted()
                names.append(n)
                cols.append(unmatched ? c.gatherPadded(bi) : c.gather(bi))
            }
            guard let out = Table(names: names, columns: cols) else { throw ctx.fail("the joined columns clash") }
            return .table(out)
        },
    ]

    /// `x: amount`, a bare column under another name: most likely a forgotten aggregate, so it
    /// is not taken as a computed key (the group then says to aggregate it).
    static func isRenamedColumn(_ e: Expr, _ label: String) -> Bool {
        if case .name(let n, _) = e { return n != label }
        return false
    }

    /// True when the expression calls an aggregate (`sum`, `count`...), so it is computed per group.
    static func mentionsAggregate(_ e: Expr, _ registry: Registry) -> Bool {
        switch e {
        case .call(let name, _, let args, _):
            if registry.lookup(name)?.category == .aggregate { return true }
            return args.contains { mentionsAggregate($0.value, registry) }
        case .unary(_, let x, _), .member(let x, _, _), .format(let x, _, _): return mentionsAggregate(x, registry)
        case .binary(_, let a, let b, _): return mentionsAggregate(a, registry) || mentionsAggregate(b, registry)
        case .chain(let a, let links, _):
            return mentionsAggregate(a, registry) || links.contains { mentionsAggregate($0.operand, registry) }
        case .list(let xs, _): return xs.contains { mentionsAggregate($0, registry) }
        case .record(let fs, _): return fs.contains { mentionsAggregate($0.value, registry) }
        default: return false
        }
    }

    /// An aggregate's value as one cell per group.
    static func groupColumn(_ v: Value, groups: Int, ctx: CallContext, at e: Expr) throws(TallyError) -> Column {
        switch v {
        case .column(let c) where c.count == groups: return c
        case .list(let xs) where xs.count == groups: return Column(values: xs)
        case .column, .list:
            throw ctx.fail("this does not give one value per group", at: e, hint: "aggregate the columns: sum(amount), count(), avg(price)")
        case .table: throw ctx.fail("an aggregate cannot be a table", at: e)
        default: return Column(values: Array(repeating: v, count: groups))
        }
    }
}
