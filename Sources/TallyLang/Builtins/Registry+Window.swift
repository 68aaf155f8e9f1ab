import TallyCore

extension Registry {
    /// running_sum, running_count, row_number, lag, lead, rank, dense_rank, share, pct_change,
    /// moving_avg: window functions over the rows of the table in scope, in their current order.
    static let windowFunctions: [Builtin] = [
        window("running_sum", aliases: ["cumsum"], [x],
               "The total so far, row by row (restarting for each value of `by:`); an empty cell keeps the previous total.",
               "add(table(region: [\"N\", \"S\", \"N\"], amount: [5, 3, 2]), so_far: running_sum(amount, by: region))") { ctx, w in
            let (xs, valid, format) = try numbers(ctx, w.column)
            return .numbers(WindowKernels.runningSum(xs, valid, w.groups, w.groupCount), format: format)
        },
        window("running_count", [.optional("x", help: "count only the non-empty cells of x (without it, the rows)")],
               "How many rows so far (or non-empty cells of x), row by row, restarting for each value of `by:`.",
               "add(table(x: [5, 3, 2]), n: running_count())") { ctx, w in
            var valid: Bitmap?
            if ctx.argument("x") != nil { valid = nonEmpty(w.column) }
            return .numbers(WindowKernels.runningCount(w.rows, valid, w.groups, w.groupCount))
        },
        window("row_number", [], "1, 2, 3... in the rows' current order, restarting for each value of `by:`.",
               "add(table(x: [5, 3, 2]), n: row_number())") { _, w in
            .numbers(WindowKernels.runningCount(w.rows, nil, w.groups, w.groupCount))
        },
        window("lag", [x, offset], "The value n rows earlier in the same group (empty where there is no such row).",
               "lag([5, 3, 2])") { ctx, w in
            shift(w, by: try ctx.wholeNumber("n", upTo: CallContext.maxRows))
        },
        window("lead", [x, offset], "The value n rows later in the same group (empty where there is no such row).",
               "lead([5, 3, 2])") { ctx, w in
            shift(w, by: -(try ctx.wholeNumber("n", upTo: CallContext.maxRows)))
        },
        window("rank", [x, order], "The rank of each value in its group; ties share the lowest rank (1, 1, 3), as SQL's RANK.",
               "rank([30, 10, 30], desc)") { ctx, w in
            try ranked(ctx, w, dense: false)
        },
        window("dense_rank", [x, order], "The rank of each value in its group; ties share a rank and no rank is skipped (1, 1, 2).",
               "dense_rank([30, 10, 30], desc)") { ctx, w in
            try ranked(ctx, w, dense: true)
        },
        window("share", [x], "Each value over the total of its group (percent); #DIV/0! where that total is 0.",
               "share([1, 3])") { ctx, w in
            let (xs, valid, _) = try numbers(ctx, w.column)
            let totals = WindowKernels.totals(xs, valid, w.groups, w.groupCount)
            if !totals.contains(0) {
                return Column(storage: .number(NumberCells((0..<w.rows).map { xs[$0] / totals[Int(w.groups[$0])] })), validity: valid, format: .percent)
            }
            return Column(values: (0..<w.rows).map { i -> Value in
                guard valid?[i] ?? true else { return .empty }
                let t = totals[Int(w.groups[i])]
                return t == 0 ? .error(ErrorValue(.divisionByZero, "share: the total of the group is 0")) : .number(xs[i] / t, .percent)
            })
        },
        window("pct_change", [x], "The change from the previous row of the group, as a percent; empty for a group's first row, #DIV/0! after a 0.",
               "pct_change([100, 110, 99])") { ctx, w in
            let (xs, valid, _) = try numbers(ctx, w.column)
            let previous = WindowKernels.shifted(w.groups, w.groupCount, by: 1)
            var out = [Double](repeating: 0, count: w.rows)
            var ok = [Bool](repeating: false, count: w.rows)
            var zero: [Int] = []
            for i in 0..<w.rows {
                let p = previous[i]
                guard p >= 0, valid?[i] ?? true, valid?[p] ?? true else { continue }
                if xs[p] == 0 { zero.append(i); continue }
                out[i] = (xs[i] - xs[p]) / xs[p]
                ok[i] = true
            }
            if zero.isEmpty { return Column(storage: .number(NumberCells(out)), validity: ok.contains(false) ? Bitmap(ok) : nil, format: .percent) }
            var values = (0..<w.rows).map { ok[$0] ? Value.number(out[$0], .percent) : .empty }
            for i in zero { values[i] = .error(ErrorValue(.divisionByZero, "pct_change: the previous value is 0")) }
            return Column(values: values)
        },
        window("moving_avg", [x, .required("n", .wholeNumber, help: "how many rows the window holds: this one and the n - 1 before it")],
               "The average of the last n rows of the group, this one included (fewer at the start); empties are skipped.",
               "moving_avg([1, 2, 3, 4], 2)") { ctx, w in
            let width = try ctx.wholeNumber("n", upTo: CallContext.maxRows)
            guard width >= 1 else { throw ctx.fail("`n` must be 1 or more, got 0", at: ctx.argument("n")?.value) }
            let (xs, valid, format) = try numbers(ctx, w.column)
            let avg = WindowKernels.movingAverage(xs, valid, w.groups, w.groupCount, width: width)
            let ok = avg.map { $0 != nil }
            return Column(storage: .number(NumberCells(avg.map { $0 ?? 0 })), validity: ok.contains(false) ? Bitmap(ok) : nil, format: format)
        },
    ]

    private static let x = Parameter.required("x", help: "a column of the table in scope (or a list, or a row expression)")
    private static let offset = Parameter.optional("n", .num(1), .wholeNumber, help: "how many rows away (1 by default)")
    private static let order = Parameter.optional("order", .text("asc"), .choice(["asc", "desc"]),
                                                  help: "asc ranks the smallest 1; desc (a word, as in sort) the largest")

    /// The rows a window function works on: its argument as a column, and each row's group.
    struct Window {
        var column: Column
        var groups: [Int32]
        var groupCount: Int
        var rows: Int { groups.count }
    }

    /// A window function: `x` (when declared) and `by:` are evaluated in the caller's scope, so
    /// inside `add`, a computed column or `group` they see the table's columns (or the groups).
    private static func window(_ name: String, aliases: [String] = [], _ parameters: [Parameter], _ summary: String,
                               _ example: String, _ body: @escaping @Sendable (CallContext, Window) throws -> Column) -> Builtin {
        let by = Parameter.option("by", .described("column"), help: "a column or row expression (year(order_date)); the window restarts for each of its values")
        let details = "Works over the rows of the table in scope in their current order (sort first), inside add(...), "
            + "a computed column (t.c = \(name)(...)) or group(...); over a plain list, on the list."
        return Builtin(name, aliases: aliases, category: .analytics, parameters: parameters + [by], summary: summary,
                       details: details, example: example) { ctx in
            var isList = false
            var column: Column?
            if ctx.argument("x") != nil, let v = try ctx.value("x") {
                switch v {
                case .error(let e): throw e
                case .column(let c): column = c
                case .list(let xs): column = Column(values: xs); isList = true
                case .table: throw ctx.fail("`x` must be a column or a list, got a table", at: ctx.argument("x")?.value,
                                            hint: "add(t, so_far: \(name)(amount))")
                default:
                    if let n = ctx.rowsInScope { column = Column(values: Array(repeating: v, count: n)) }
                }
            }
            var keys: Column?
            if let a = ctx.argument("by") {
                let v = try ctx.evaluate(a.value)
                switch v {
                case .error(let e): throw e
                case .column(let c): keys = c
                case .list(let xs): keys = Column(values: xs)
                case .table: throw ctx.fail("`by:` must be a column or a row expression, got a table", at: a.value)
                default: break
                }
            }
            if column == nil, parameters.isEmpty || ctx.argument("x") == nil {
                if let n = keys?.count ?? ctx.rowsInScope {
                    column = .numbers([Double](repeating: 0, count: n))
                    isList = ctx.rowsInScope == nil
                }
            }
            guard let column else {
                throw ctx.fail("works over the rows of a table or a list", hint: "use it inside add(t, name: \(name)(...)) or on a list")
            }
            if let k = keys, k.count != column.count {
                throw ctx.fail("`by:` has \(k.count) \(Plural.noun(k.count, "value")), the rows \(column.count)", at: ctx.argument("by")?.value)
            }
            var groups = [Int32](repeating: 0, count: column.count), groupCount = 1
            if let k = keys {
                let g = try Grouping(keys: [k], rowCount: k.count, check: ctx.checkInterrupted)
                groups = g.groupOfRow
                groupCount = g.groupCount
            }
            let out = try body(ctx, Window(column: column, groups: groups, groupCount: groupCount))
            return isList ? .list(out.values) : .column(out)
        }
    }

    /// The numbers of a column; an error cell is the result, a text or other cell a #VALUE!.
    private static func numbers(_ ctx: CallContext, _ c: Column) throws -> ([Double], Bitmap?, NumberFormat) {
        switch c.storage {
        case .number(let xs): return (xs.doubles, c.validity, c.format)
        case .mixed(let vs):
            var xs = [Double](repeating: 0, count: vs.count)
            var valid = [Bool](repeating: true, count: vs.count)
            var format: NumberFormat?
            for (i, v) in vs.enumerated() {
                switch v {
                case .number(let x, let f): xs[i] = x; format = format ?? f
                case .empty: valid[i] = false
                case .error(let e): throw e
                default: throw ErrorValue(.value, "\(ctx.function): `x` must be numbers, row \(i + 1) is \(SplitSupport.article(v.typeName))")
                }
            }
            return (xs, Bitmap(valid), format ?? .plain)
        default:
            if c.emptyCount == c.count { return ([Double](repeating: 0, count: c.count), Bitmap(count: c.count, value: false), .plain) }
            // A whole column of another type is the wrong argument, not a bad cell: refused.
            throw ctx.fail("`x` must be numbers, got a \(c.typeName) column", at: ctx.argument("x")?.value)
        }
    }

    /// The non-empty cells of a column (nil: all), read from its validity without boxing a cell.
    private static func nonEmpty(_ c: Column) -> Bitmap? {
        if case .mixed(let vs) = c.storage { return Bitmap(vs.map { !$0.isEmpty }) }
        return c.validity
    }

    /// `lag` / `lead`: the value k rows earlier (later when negative), any type, empty where none.
    private static func shift(_ w: Window, by k: Int) -> Column {
        let source = WindowKernels.shifted(w.groups, w.groupCount, by: k)
        let gathered = w.column.gather(source.map { max($0, 0) })
        let valid = (0..<w.rows).map { source[$0] >= 0 && w.column.isValid(source[$0]) }
        if case .mixed = gathered.storage {
            return Column(values: (0..<w.rows).map { source[$0] >= 0 ? gathered[$0] : .empty })
        }
        return Column(storage: gathered.storage, validity: valid.contains(false) ? Bitmap(valid) : nil, format: gathered.format)
    }

    /// `rank` / `dense_rank` of numbers, dates or texts; `desc` may be a bare word, as in sort.
    private static func ranked(_ ctx: CallContext, _ w: Window, dense: Bool) throws -> Column {
        var descending = false
        if let a = ctx.argument("order") {
            if case .name(let word, _) = a.value, word == "asc" || word == "desc", (try? ctx.evaluate(a.value)) == nil {
                descending = word == "desc"
            } else {
                descending = try ctx.choice("order") == "desc"
            }
        }
        let c = w.column
        var keys: [Double]
        var valid: [Bool]
        switch c.storage {
        case .number(let xs): keys = xs.doubles; valid = (0..<c.count).map(c.isValid)
        case .date(let ds): keys = ds.map(Double.init); valid = (0..<c.count).map(c.isValid)
        default:
            if case .mixed(let vs) = c.storage, let e = vs.first(where: \.isError), case .error(let err) = e { throw err }
            keys = c.denseRanks().ranks.map(Double.init)
            valid = (0..<c.count).map(c.isValid)
            if case .mixed(let vs) = c.storage { valid = vs.map { !$0.isEmpty } }
        }
        let r = WindowKernels.ranks(keys, valid, w.groups, descending: descending, dense: dense)
        return Column(storage: .number(NumberCells(r)), validity: valid.contains(false) ? Bitmap(valid) : nil)
    }
}

extension CallContext {
    /// The rows of the table in scope (inside `add`, `where`, a computed column), or the groups
    /// inside `group`'s aggregates; nil outside a table.
    var rowsInScope: Int? {
        if let g = evaluator.group { return g.grouping.groupCount }
        return evaluator.columns?.rowCount
    }
}
