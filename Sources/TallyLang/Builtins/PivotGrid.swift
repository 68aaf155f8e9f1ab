import TallyCore

/// A pivot once its cells are aggregated: one row per row key, one column per column key,
/// with Excel's totals and shares. `pivot` fills it from its own grouping; a remote table's
/// pivot from the cells and totals its server aggregated (GROUPING SETS), so both shape alike.
public struct PivotGrid {
    /// Each cell's row key, column key and value (one entry per non-empty combination).
    let rowKeys: Column
    let colKeys: Column
    let cells: [Value]
    /// The cells' distinct row and column keys, numbered in ascending key order.
    let rowGroups: Grouping
    let colGroups: Grouping

    public init(rowKeys: Column, colKeys: Column, cells: [Value], check: () throws(TallyError) -> Void) throws(TallyError) {
        self.rowKeys = rowKeys
        self.colKeys = colKeys
        self.cells = cells
        rowGroups = try Grouping(keys: [rowKeys], rowCount: rowKeys.count, check: check)
        colGroups = try Grouping(keys: [colKeys], rowCount: colKeys.count, check: check)
    }

    /// The distinct row keys in the order the grid lists them (row totals come in this order).
    public var rowValues: [Value] { rowGroups.firstRow.map { rowKeys[$0] } }
    /// The distinct column keys in the order the grid lists them.
    public var colValues: [Value] { colGroups.firstRow.map { colKeys[$0] } }
    public var rowCount: Int { rowGroups.groupCount }
    public var columnCount: Int { colGroups.groupCount }

    /// The pivot table: `rowName` first, then one column per column key; with `totals`, a
    /// Total column and a total row; with `share`, each cell as a percent of the total `of`
    /// names ("all", "row", "col"). The totals are given when `totals` or `share` is set.
    public func table(rowName: String, rowTotals: [Value], colTotals: [Value], grand: Value, totals: Bool, share asShare: Bool,
                      of: String, value v: Expr, check: () throws(TallyError) -> Void) throws(TallyError) -> Table {
        var grid = Array(repeating: Array(repeating: Value.empty, count: rowGroups.groupCount), count: colGroups.groupCount)
        for i in 0..<cells.count {
            if i & 0xFFFF == 0xFFFF { try check() }
            grid[Int(colGroups.groupOfRow[i])][Int(rowGroups.groupOfRow[i])] = cells[i]
        }
        try check()
        func total(_ xs: [Value], _ i: Int) -> Value { xs.indices.contains(i) ? xs[i] : .empty }
        if asShare {
            for j in grid.indices {
                for i in grid[j].indices {
                    grid[j][i] = Registry.pivotShare(grid[j][i], of: of == "row" ? total(rowTotals, i) : of == "col" ? total(colTotals, j) : grand, at: v)
                }
            }
        }
        var names = [rowName]
        var cols = [rowKeys.gather(rowGroups.firstRow)]
        for (j, first) in colGroups.firstRow.enumerated() {
            let label = colKeys[first].isEmpty ? "(empty)" : Operators.display(colKeys[first])
            names.append(names.contains(label) ? "\(label)_\(j + 1)" : label)
            cols.append(Column(values: grid[j]))
            try check()
        }
        var display = TableDisplay()
        if totals {
            var totalName = Registry.pivotTotalLabel
            var k = 2
            while names.contains(totalName) { totalName = "\(Registry.pivotTotalLabel)_\(k)"; k += 1 }
            let share = { (x: Value, d: Value) in asShare ? Registry.pivotShare(x, of: d, at: v) : x }
            // The total column: each row's total; with shares, of its own total, the grand or itself.
            names.append(totalName)
            cols.append(Column(values: (0..<rowGroups.groupCount).map { i in
                let t = total(rowTotals, i)
                return share(t, of == "row" ? t : grand)
            }))
            display.totalLabel = Registry.pivotTotalLabel
            for j in 0..<colGroups.groupCount {
                let t = total(colTotals, j)
                display.totals[names[j + 1]] = share(t, of == "col" ? t : grand)
            }
            display.totals[totalName] = share(grand, grand)
        }
        guard var out = Table(names: names, columns: cols) else {
            throw TallyError(.arguments("pivot: the pivot does not form a table"), span: v.span)
        }
        out.display = display
        return out
    }
}
