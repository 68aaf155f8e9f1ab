import TallyCore

extension Registry {
    /// table, where, sort, top, head, tail, select, add, rows, columns, sample, distinct.
    /// (group, join and pivot are in Registry+Grouping.)
    static let tableFunctions: [Builtin] = [
        Builtin("table", category: .table, parameters: [.variadic("name", .list, labels: .required, help: "name: [values], one list per column")],
                summary: "Makes a table from named lists of equal length.",
                example: "table(channel: [\"Tmall\", \"JD\"], weight: [50, 30])") { ctx in
            var names: [String] = [], cols: [Column] = []
            for a in ctx.rest {
                let label = a.label ?? ""
                let v = try ctx.evaluate(a.value)
                guard let xs = v.elements else { throw ctx.fail("column `\(label)` must be a list, got a \(v.typeName)", at: a.value) }
                if let n = cols.first?.count, n != xs.count {
                    throw ctx.fail("column `\(label)` has \(xs.count) \(Plural.noun(xs.count, "value")), the others \(n)", at: a.value)
                }
                names.append(label)
                if case .column(let c) = v { cols.append(c) } else { cols.append(Column(values: xs)) }
            }
            guard let t = Table(names: names, columns: cols) else { throw ctx.fail("the columns do not form a table") }
            return .table(t)
        },
        Builtin("where", category: .table,
                parameters: [.required("t", .table), .required("condition", .rowExpression(of: "t"), help: "true or false per row; bare names are the table's columns")],
                summary: "The rows of a table for which the condition is true (bare names are its columns).",
                example: "where(table(x: [1, 5, 9]), x > 3)") { ctx in
            let t = try ctx.table("t")
            guard let (v, cond) = try ctx.rowValue("condition", of: t) else {
                throw ctx.fail("needs one condition, as in where(t, amount > 100)")
            }
            return .table(t.projected(to: ctx.demand).filtered(try mask(v, rows: t.rowCount, ctx: ctx, at: cond)))
        },
        Builtin("sort", category: .table,
                parameters: [.required("t", .table), .variadic("column", .sortKey(of: "t"),
                                                             help: "a column or a row expression (month(order_date)), each optionally followed by asc or desc")],
                summary: "Sorts by one or more columns or row expressions, each ascending or followed by `desc`; stable, empty cells last.",
                example: "sort(table(d: [date(\"2026-03-05\"), date(\"2026-01-09\"), date(\"2026-03-01\")], x: [1, 2, 3]), month(d), x, desc)") { ctx in
            let t = try ctx.table("t")
            var keys: [(column: Column, descending: Bool)] = []
            for a in ctx.rest {
                if case .name(let w, _) = a.value, w == "desc" || w == "asc", t.column(named: w) == nil {
                    guard !keys.isEmpty else { throw ctx.fail("`\(w)` must follow a column", at: a.value) }
                    keys[keys.count - 1].descending = w == "desc"
                    continue
                }
                // `dsc` after a key is a misspelt direction, not a missing column (desc first: asc is the default).
                if case .name(let w, _) = a.value, !keys.isEmpty, t.column(named: w) == nil,
                   Suggestions.closest(to: w, among: t.names) == nil, let near = Suggestions.closest(to: w, among: ["desc"]) ?? Suggestions.closest(to: w, among: ["asc"]) {
                    throw ctx.fail("`\(w)` is neither a column of the table nor asc or desc", at: a.value, hint: "did you mean `\(near)`?")
                }
                keys.append((try sortKey(a.value, of: t, ctx: ctx), false))
            }
            guard !keys.isEmpty else { throw ctx.fail("needs a column to sort by", hint: "sort(t, amount, desc)") }
            return .table(try t.gather(try t.sortedRows(by: keys, check: ctx.checkInterrupted), check: ctx.checkInterrupted))
        },
        Builtin("top", category: .table,
                parameters: [.required("t", .table), .required("n", .rowCount), .option("by", .column(of: "t"), help: "the column whose largest values come first"),
                             .option("per", .column(of: "t"), help: "n rows for each value of this column (groups in ascending order)")],
                summary: "The first n rows; with `by:`, the n rows with the largest values of that column; with `per:`, n rows per group.",
                details: "top(orders, 3, by: amount, per: region) keeps the 3 largest orders of each region: the groups\nin ascending order of region, each largest first (ties in table order).",
                example: "top(table(g: [\"a\", \"b\", \"a\", \"a\"], x: [3, 1, 2, 5]), 2, by: x, per: g)") { ctx in
            let t = try ctx.table("t")
            let n = try ctx.rowCount("n")
            var keys: [(column: Column, descending: Bool)] = []
            var groups: Column?
            if let name = try ctx.column("per", in: t), let c = t.column(named: name) {
                keys.append((c, false))
                groups = c
            }
            if let name = try ctx.column("by", in: t) { keys.append((t.column(named: name) ?? .numbers([]), true)) }
            let ordered = keys.isEmpty ? Array(0..<t.rowCount) : try t.sortedRows(by: keys, check: ctx.checkInterrupted)
            guard let groups else { return .table(t.gather(Array(ordered.prefix(n)))) }
            let g = try Grouping(keys: [groups], rowCount: t.rowCount, check: ctx.checkInterrupted)
            var taken = [Int](repeating: 0, count: g.groupCount)
            var rows: [Int] = []
            for i in ordered where taken[Int(g.groupOfRow[i])] < n {
                taken[Int(g.groupOfRow[i])] += 1
                rows.append(i)
            }
            return .table(t.gather(rows))
        },
        Builtin("head", category: .table, parameters: [.required("t", .table), .optional("n", .num(10), .rowCount)], summary: "The first n rows (10 by default).",
                example: "head(table(x: [1, 2, 3]), 2)") { ctx in
            let t = try ctx.table("t"), n = try ctx.rowCount("n")
            return .table(t.gather(Array(0..<min(n, t.rowCount))))
        },
        Builtin("tail", category: .table, parameters: [.required("t", .table), .optional("n", .num(10), .rowCount)], summary: "The last n rows (10 by default).",
                example: "tail(table(x: [1, 2, 3]), 2)") { ctx in
            let t = try ctx.table("t"), n = try ctx.rowCount("n")
            return .table(t.gather(Array(max(0, t.rowCount - n)..<t.rowCount)))
        },
        Builtin("select", category: .table,
                parameters: [.required("t", .table), .variadic("column", .column(of: "t"), labels: .optional, help: "a column to keep; new_name: column keeps it renamed")],
                summary: "Keeps the named columns in the given order; `new: old` keeps one under a new name.",
                example: "select(table(a: [1], b: [2], c: [3]), c, a)") { ctx in
            let t = try ctx.table("t")
            var names: [String] = [], cols: [Column] = []
            for a in ctx.rest {
                let name = try ctx.columnName(a.value, in: t)
                let out = a.label ?? name
                guard !names.contains(out) else { throw ctx.fail("column `\(out)` is selected twice", at: a.value) }
                names.append(out)
                cols.append(t.column(named: name) ?? .numbers([]))
            }
            guard !names.isEmpty else { throw ctx.fail("needs the columns to keep", hint: "select(t, customer_id, amount)") }
            guard let r = Table(names: names, columns: cols) else { throw ctx.fail("the columns do not form a table") }
            return .table(r)
        },
        Builtin("add", category: .table,
                parameters: [.required("t", .table), .variadic("name", .rowExpression(of: "t"), labels: .required, help: "name: expr; the expression sees the table's columns")],
                summary: "Adds computed columns (or replaces same-named ones); each expression sees the table's columns.",
                example: "add(table(price: [10, 20], qty: [3, 1]), total: price * qty)") { ctx in
            var t = try ctx.table("t")
            for a in ctx.rest {
                let label = a.label ?? ""
                let v = try ctx.evaluate(a.value, columnsOf: t)
                guard let next = t.setting(label, to: try column(v, rows: t.rowCount, ctx: ctx, at: a.value)) else {
                    throw ctx.fail("column `\(label)` has the wrong number of rows", at: a.value)
                }
                t = next
            }
            return .table(t)
        },
        Builtin("rows", category: .table, parameters: [.required("t", .table)], summary: "The number of rows of a table.",
                example: "rows(table(x: [1, 2, 3]))") { ctx in
            let t = try ctx.table("t")
            return .num(Double(t.rowCount))
        },
        Builtin("columns", category: .table, parameters: [.required("t", .table)], summary: "The names of a table's columns, as a list.",
                example: "columns(table(a: [1], b: [2]))") { ctx in
            let t = try ctx.table("t")
            return .list(t.names.map { .text($0) })
        },
        Builtin("sample", category: .table,
                parameters: [.required("t", .table), .required("n", .rowCount), .option("seed", .wholeNumber, default: .num(1), help: "the same seed picks the same rows")],
                summary: "n rows picked at random (the same rows for the same seed), kept in table order.",
                example: "sample(table(x: [1, 2, 3, 4, 5]), 2)") { ctx in
            let t = try ctx.table("t")
            let n = min(try ctx.rowCount("n"), t.rowCount)
            // Any whole number a Double holds exactly.
            var seed = UInt64(try ctx.wholeNumber("seed", upTo: Double(Int.saturationLimit)))
            var idx = Array(0..<t.rowCount)
            for i in 0..<n {
                seed &+= 0x9E3779B97F4A7C15
                var z = seed
                z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
                z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
                z ^= z >> 31
                let j = i + Int(z % UInt64(t.rowCount - i))
                idx.swapAt(i, j)
            }
            return .table(t.gather(idx.prefix(n).sorted()))
        },
    ]

    /// A sort key: a column named by a bare name or a text, or a row expression evaluated with
    /// the table's columns in scope (`month(order_date)`), one value per row.
    static func sortKey(_ e: Expr, of t: Table, ctx: CallContext) throws(TallyError) -> Column {
        switch e {
        case .name, .text:
            return t.column(named: try ctx.columnName(e, in: t)) ?? .numbers([])
        default:
            let v = try ctx.evaluate(e, columnsOf: t)
            switch v {
            case .column(let c) where c.count == t.rowCount: return c
            case .list(let xs) where xs.count == t.rowCount: return Column(values: xs)
            case .error(let err): throw TallyError(.evaluation(err), span: err.span ?? e.span)
            default:
                throw ctx.fail("a sort key must be a column or a row expression giving one value per row, got \(SplitSupport.article(v.typeName))",
                               at: e, hint: "sort(t, month(order_date), amount, desc)")
            }
        }
    }

    /// A condition's value as one true/false per row.
    static func mask(_ v: Value, rows: Int, ctx: CallContext, at e: Expr) throws(TallyError) -> [Bool] {
        switch v {
        case .bool(let b): return Array(repeating: b, count: rows)
        case .error(let err): throw TallyError(.evaluation(err), span: err.span ?? e.span)
        case .column(let c):
            guard c.count == rows else { throw ctx.fail("the condition has \(c.count) \(Plural.noun(c.count, "row")), the table \(rows)", at: e) }
            if c.errors.isEmpty, case .bool(let bs) = c.typedStorage {
                guard let valid = c.typedValidity?.bools() else { return bs }
                return (0..<rows).map { valid[$0] && bs[$0] }
            }
            return try mask(.list(c.values), rows: rows, ctx: ctx, at: e)
        case .list(let xs):
            guard xs.count == rows else { throw ctx.fail("the condition has \(xs.count) \(Plural.noun(xs.count, "value")), the table \(rows) \(Plural.noun(rows, "row"))", at: e) }
            var out = [Bool](repeating: false, count: rows)
            for (i, x) in xs.enumerated() {
                switch x {
                case .bool(let b): out[i] = b
                case .empty: out[i] = false
                case .error(let err): throw TallyError(.evaluation(err), span: err.span ?? e.span, hint: "on row \(i + 1)")
                default: throw ctx.fail("the condition must be true or false, row \(i + 1) is a \(x.typeName)", at: e)
                }
            }
            return out
        default:
            throw ctx.fail("the condition must be true or false, got a \(v.typeName)", at: e)
        }
    }

    /// A new column's value: a column or list of the table's length, or one value repeated.
    static func column(_ v: Value, rows: Int, ctx: CallContext, at e: Expr) throws(TallyError) -> Column {
        switch v {
        case .column(let c):
            guard c.count == rows else { throw ctx.fail("the new column has \(c.count) \(Plural.noun(c.count, "row")), the table \(rows)", at: e) }
            return c
        case .list(let xs):
            guard xs.count == rows else { throw ctx.fail("the new column has \(xs.count) \(Plural.noun(xs.count, "value")), the table \(rows) \(Plural.noun(rows, "row"))", at: e) }
            return Column(values: xs)
        case .table: throw ctx.fail("a column cannot hold a table", at: e)
        default: return Column(values: Array(repeating: v, count: rows))
        }
    }
}
