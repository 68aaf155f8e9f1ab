import TallyCore

extension Registry {
    /// The most columns a pivot makes (the most a loaded file may have).
    public static let maxPivotColumns = 16_384

    /// The label of the total row and the name of the total column (Excel says "Grand
    /// Total"; one word keeps `p.Total` a plain name).
    static let pivotTotalLabel = "Total"

    /// `pivot(t, rows:, cols:, value:, totals:, as:, of:)`: a cross-table, with Excel's
    /// grand totals and "% of row / column / grand total" views.
    static let pivotFunction = Builtin(
        "pivot", category: .table,
        parameters: [.required("t", .table), .labelled("rows", .column(of: "t"), help: "one row per value of this column"),
                     .labelled("cols", .column(of: "t"), help: "one column per value of this column"),
                     .labelled("value", .aggregate(of: "t"), help: "the aggregate in each cell: sum(amount), count()..."),
                     .option("totals", .boolean, default: .bool(false), help: "true adds a Total column and a Total row"),
                     .option("as", .choice(["value", "share"]), default: .text("value"),
                             help: "\"share\" shows each cell as a percent of a total (see of:)"),
                     .option("of", .choice(["all", "row", "col"]), default: .text("all"),
                             help: "with as: \"share\": of the grand total, its row's total or its column's total")],
        summary: "A cross-table: one row per value of `rows`, one column per value of `cols`, cells aggregated.",
        details: """
            Rows and columns come out in ascending key order. `totals: true` adds a `Total` column and a
            total row, each the aggregate over all the rows it covers (as Excel's grand totals: an avg
            total is the average of the rows, not of the cells). `as: "share"` shows each cell as a percent
            of the grand total (`of: "all"`, the default), of its row's total (`of: "row"`) or of its
            column's total (`of: "col"`); with totals the shares of a row or column add up to 100%.
            A cell with no rows stays empty; a share of a zero total is #DIV/0!.
            """,
        example: "pivot(table(r: [\"N\", \"N\", \"S\"], c: [\"JD\", \"Tmall\", \"JD\"], x: [1, 3, 4]), rows: r, cols: c, value: sum(x), totals: true, as: \"share\")"
    ) { ctx in
        let t = try ctx.table("t")
        guard let rowName = try ctx.column("rows", in: t), let colName = try ctx.column("cols", in: t), let v = ctx.argument("value"),
              let c = ctx.argument("cols") else {
            throw ctx.fail("needs rows:, cols: and value:", hint: "pivot(orders, rows: region, cols: channel, value: sum(amount))")
        }
        let totals = try ctx.boolean("totals")
        let asShare = try ctx.choice("as") == "share"
        let of = try ctx.choice("of")
        if !asShare, let o = ctx.argument("of") {
            throw ctx.fail("`of:` applies to shares", at: o.value, hint: "add as: \"share\", or leave out of:")
        }
        // Count the cells before making them: distinct row keys times distinct column keys.
        let rowKeys = try t.column(named: rowName)?.denseRanks(check: ctx.checkInterrupted).count ?? 0
        let colKeys = try t.column(named: colName)?.denseRanks(check: ctx.checkInterrupted).count ?? 0
        try ctx.checkInterrupted()
        if colKeys > maxPivotColumns {
            throw ctx.fail("`\(colName)` has \(CallContext.grouped(colKeys)) different values, too many columns (at most \(CallContext.grouped(maxPivotColumns)))",
                           at: c.value, hint: "put the column with fewer values in cols:, or group first")
        }
        let (cellCount, overflow) = rowKeys.multipliedReportingOverflow(by: colKeys)
        try ctx.checkSize(overflow ? Int.max : cellCount, limit: max(1, ctx.rowLimit / 10), unit: "cells", at: c.value,
                          hint: "\(CallContext.grouped(rowKeys)) rows x \(CallContext.grouped(colKeys)) columns: group first, or pivot on keys with fewer values")
        let g = try GroupContext(table: t, keyNames: [rowName, colName], check: ctx.checkInterrupted)
        let cells = try groupColumn(try ctx.evaluate(v.value, grouped: g), groups: g.grouping.groupCount, ctx: ctx, at: v.value)
        guard let rk = g.keys[rowName], let ck = g.keys[colName] else { throw ctx.fail("missing keys") }
        let grid = try PivotGrid(rowKeys: rk, colKeys: ck, cells: (0..<cells.count).map { cells[$0] }, check: ctx.checkInterrupted)

        // Totals are the aggregate over the rows they cover, grouped by one key or none, so
        // their groups come out in the same ascending order as the grid's.
        var rowTotals: [Value] = [], colTotals: [Value] = [], grand = Value.empty
        if totals || asShare {
            func aggregate(by keys: [String], count: Int) throws(TallyError) -> [Value] {
                let h = try GroupContext(table: t, keyNames: keys, check: ctx.checkInterrupted)
                let col = try groupColumn(try ctx.evaluate(v.value, grouped: h), groups: h.grouping.groupCount, ctx: ctx, at: v.value)
                return col.count == count ? (0..<count).map { col[$0] } : Array(repeating: .empty, count: count)
            }
            rowTotals = try aggregate(by: [rowName], count: grid.rowCount)
            colTotals = try aggregate(by: [colName], count: grid.columnCount)
            grand = t.rowCount > 0 ? (try aggregate(by: [], count: 1)).first ?? .empty : .empty
        }
        let out = try grid.table(rowName: rowName, rowTotals: rowTotals, colTotals: colTotals, grand: grand, totals: totals,
                                 share: asShare, of: of, value: v.value, check: ctx.checkInterrupted)
        return .table(out)
    }

    /// A cell as a share (percent) of a total: empty stays empty, an error passes through,
    /// a zero total is #DIV/0!, and a cell that is not a number is #VALUE!.
    static func pivotShare(_ x: Value, of total: Value, at e: Expr) -> Value {
        switch (x, total) {
        case (.empty, _): return .empty
        case (.error, _): return x
        case (_, .error): return total
        case (.number(let a, _), .number(let b, _)):
            guard b != 0 else { return .error(ErrorValue(.divisionByZero, "pivot: a share of a total of 0", span: e.span)) }
            return .number(a / b, .percent)
        case (.number, .empty): return .empty
        default:
            return .error(ErrorValue(.value, "pivot: as: \"share\" needs numbers, got \(SplitSupport.article(x.typeName))", span: e.span))
        }
    }
}
