import TallyAnalytics
import TallyCore

/// `split(total, t, by: [level, ...], weight: w)`: a goal tree split level by level, with
/// a subtotal column per level (`channel_target`). `weight: [revenue, capacity]` gives each
/// level its own weight column. Rows sharing a full path (raw transactions) are grouped
/// first: one row per leaf, its weights summed.
struct TreeSplit {
    let call: SplitCall
    let table: Table
    let total: (value: Double, format: NumberFormat, expr: Expr)
    let levels: [String]
    let weightArg: Argument

    /// The weights of one level (or of all): the row values, the column they came from, the expression.
    private typealias Weights = (values: [Value], column: String?, expr: Expr)

    /// The rows the table stands for: its own, or those its leaves were summed from (SummedLeaves).
    private var sourceRows: Int {
        if case .number(let n, _)? = table.display.metadata[SummedLeaves.metadataKey], n >= Double(table.rowCount), n < 1e15 { return Int(n) }
        return table.rowCount
    }

    func run() throws -> Value {
        let ctx = call.ctx
        let leaves = try LeafGroups(table: table, levels: levels, check: ctx.checkInterrupted)
        let names = leaves.rowNames
        let perLevel = try levelWeights()
        let given: [Weights]
        if let perLevel {
            given = perLevel
        } else {
            let (values, column) = try SplitSupport.rowValues(ctx, weightArg, in: table, what: "weight")
            given = [(values, column, weightArg.value)]
        }
        let weights = try given.map { try SplitSupport.weights($0.values, keys: names, function: "split", at: $0.expr) }
        let grouped = leaves.count < sourceRows
        // Rows sharing a path are one leaf: the tree is built over the leaves with their summed
        // weights (a million orders are a few dozen leaves). A negative or non-finite weight
        // keeps the rows, so the allocation names the row it fails on.
        let summed = grouped && weights.allSatisfy { $0.allSatisfy { $0 >= 0 && $0.isFinite } }
        let treePaths = summed ? leaves.paths : leaves.rowPaths
        let treeWeights = summed ? weights.map(leaves.sums) : weights
        let tree = try call.allocate(total: total.expr, weights: weightArg.value) { () throws(Allocation.Failure) in
            try Allocation.tree(total: total.value, paths: treePaths, levelWeights: treeWeights, unit: call.unit, splitRows: !grouped)
        }
        var out = grouped ? try leafTable(tree, leaves: leaves, given: given, perLevel: perLevel != nil)
                          : try rowTable(tree, weights: weights, given: given, perLevel: perLevel != nil)
        out.display.metadata["split.levels"] = .list(levels.map(Value.text))
        out.display.metadata["split.amount"] = .text(call.output)
        for g in given { out.display.notes += SplitSupport.percentNote(g.values) }
        return .table(out)
    }

    /// `weight: [revenue, capacity]`: one weight column (or number) per level, when at least one is a column.
    private func levelWeights() throws -> [Weights]? {
        guard levels.count > 1, case .list(let items, _) = weightArg.value else { return nil }
        var out: [Weights] = []
        var anyColumn = false
        for item in items {
            if case .name(let n, _) = item, let c = table.column(named: n) {
                out.append((c.values, n, item)); anyColumn = true; continue
            }
            let v = try call.ctx.evaluate(item, columnsOf: table)
            switch v {
            case .error(let e): throw e
            case .column(let c) where c.count == table.rowCount: out.append((c.values, nil, item)); anyColumn = true
            case .number: out.append((Array(repeating: v, count: table.rowCount), nil, item))
            default: return nil
            }
        }
        guard anyColumn else { return nil }
        guard items.count == levels.count else {
            throw call.ctx.fail("`weight:` gives \(items.count) \(Plural.noun(items.count, "weight")) for \(levels.count) \(Plural.noun(levels.count, "level")) (\(levels.joined(separator: ", ")))",
                                at: weightArg.value, hint: "one per level, top first: weight: [revenue, capacity]")
        }
        return out
    }

    /// The name of level d's weight column in the result (a column given, else `weight` / `region_weight`).
    private func weightName(_ g: Weights, level d: Int, perLevel: Bool) -> String {
        if let c = g.column, ![call.output, "share", "quota", "rounding"].contains(c), !levels.contains(c) { return c }
        return perLevel ? "\(levels[d])_weight" : "weight"
    }

    /// One row per input row: the table with the level subtotals, weights, share and target.
    private func rowTable(_ tree: TreeAllocation, weights: [[Double]], given: [Weights], perLevel: Bool) throws -> Table {
        var base = table
        for (d, level) in levels.enumerated() {
            base = try call.set(base, "\(level)_\(call.output)", Column.numbers(tree.leaves.map { $0.levelAmounts[d] }, format: total.format))
        }
        var totals = table.display.totals
        var names: [String] = []
        for (d, g) in given.enumerated() {
            let name = weightName(g, level: d, perLevel: perLevel)
            if g.column != name { base = try call.set(base, name, Column(values: g.values)) }
            totals[name] = SplitSupport.sum(g.values)
            names.append(name)
        }
        let shares: [Double]
        if perLevel {
            shares = tree.leaves.map { total.value == 0 ? 0 : $0.exactQuota / total.value }
        } else {
            let sum = PreparedSum.of(weights[0])
            shares = weights[0].map { sum > 0 ? $0 / sum : 0 }
        }
        return try call.finish(base, total: total, shares: shares, amounts: tree.leaves.map(\.amount), quotas: tree.leaves.map(\.exactQuota),
                               weightTotal: (names[0], totals[names[0]] ?? .empty), inherited: totals)
    }

    /// One row per leaf (rows sharing a full path summed), largest first within each parent.
    private func leafTable(_ tree: TreeAllocation, leaves groups: LeafGroups, given: [Weights], perLevel: Bool) throws -> Table {
        var firstRow: [[String]: Int] = [:]
        var members: [[String]: [Int]] = [:]
        for (k, p) in groups.paths.enumerated() {
            firstRow[p] = groups.firstRows[k]
            members[p] = groups.members[k]
        }
        var nodeAt: [[String]: (index: Int, node: TreeNode)] = [:]
        for (k, n) in tree.nodes.enumerated() { nodeAt[n.path] = (k, n) }
        let leaves = tree.nodes.filter { $0.depth == levels.count }.sorted { a, b in
            for d in 0..<levels.count where a.path[d] != b.path[d] {
                let x = nodeAt[Array(a.path[0...d])], y = nodeAt[Array(b.path[0...d])]
                if x?.node.amountUnits != y?.node.amountUnits { return (x?.node.amountUnits ?? 0) > (y?.node.amountUnits ?? 0) }
                return (x?.index ?? 0) < (y?.index ?? 0)
            }
            return false
        }
        let rows = leaves.map { firstRow[$0.path] ?? 0 }
        var cols: [(String, Column)] = levels.map { level in
            (level, (table.column(named: level) ?? Column(values: [])).gather(rows))
        }
        var totals: [String: Value] = [:]
        var names: [String] = []
        for (d, g) in given.enumerated() {
            let name = weightName(g, level: d, perLevel: perLevel)
            let sums = leaves.map { leaf in SplitSupport.sum((members[leaf.path] ?? []).map { g.values[$0] }) }
            cols.append((name, Column(values: sums)))
            totals[name] = SplitSupport.sum(g.values)
            names.append(name)
        }
        for (d, level) in levels.enumerated() {
            cols.append(("\(level)_\(call.output)", Column.numbers(leaves.map { leaf in
                nodeAt[Array(leaf.path[0...d])]?.node.amount ?? 0
            }, format: total.format)))
        }
        guard let base = Table(names: cols.map(\.0), columns: cols.map(\.1)) else {
            throw call.ctx.fail("the levels and weights of the tree clash: give them distinct names")
        }
        var out = try call.finish(base, total: total, shares: leaves.map { total.value == 0 ? 0 : $0.exactQuota / total.value },
                                  amounts: leaves.map(\.amount), quotas: leaves.map(\.exactQuota),
                                  weightTotal: (names[0], totals[names[0]] ?? .empty), inherited: totals)
        let summed = Array(Set(given.compactMap(\.column))).sorted()
        out.display.notes.insert(Note(.treeGrouped, [.count(sourceRows), .count(leaves.count), .joined(levels.map(NotePart.text), " x "),
                                                     summed.isEmpty ? .phrase(.treeWeightsSummed) : .phrase(.treeColumnsSummed, [.list(summed.map(NotePart.text))])]),
                                 at: 0)
        return out
    }
}

/// The leaves of a goal tree: the distinct paths (one value per level) of a table's rows, in
/// order of first appearance, found on the level columns' values without a text per row.
struct LeafGroups {
    /// Each leaf's path, its first row and its rows.
    let paths: [[String]]
    let firstRows: [Int]
    let members: [[Int]]
    /// The leaf of each row.
    let leafOfRow: [Int]

    var count: Int { paths.count }
    var rowPaths: [[String]] { leafOfRow.map { paths[$0] } }
    /// Each row's path as one text (`Tmall / 华东`), for messages about a row's weight.
    var rowNames: [String] {
        let names = paths.map { $0.joined(separator: " / ") }
        return leafOfRow.map { names[$0] }
    }

    init<E: Error>(table: Table, levels: [String], check: () throws(E) -> Void) throws(E) {
        let columns = levels.map { table.column(named: $0) ?? Column(values: Array(repeating: .empty, count: table.rowCount)) }
        let g = try Grouping(keys: columns, rowCount: table.rowCount, check: check)
        // Groups come in key order; leaves keep the order of their first row.
        var first = [Int](repeating: -1, count: g.groupCount)
        var rows = [[Int]](repeating: [], count: g.groupCount)
        for (i, k) in g.groupOfRow.enumerated() {
            let k = Int(k)
            if first[k] < 0 { first[k] = i }
            rows[k].append(i)
        }
        let order = (0..<g.groupCount).filter { first[$0] >= 0 }.sorted { first[$0] < first[$1] }
        var leafOfGroup = [Int](repeating: 0, count: g.groupCount)
        for (leaf, k) in order.enumerated() { leafOfGroup[k] = leaf }
        firstRows = order.map { first[$0] }
        members = order.map { rows[$0] }
        paths = firstRows.map { i in columns.map { SplitSupport.key($0[i]) } }
        leafOfRow = g.groupOfRow.map { leafOfGroup[Int($0)] }
    }

    /// Per-row numbers summed per leaf.
    func sums(_ xs: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        for (i, x) in xs.enumerated() { out[leafOfRow[i]] += x }
        return out
    }
}
