/// One node of a goal tree: a group at one level (`[channel]`, `[channel, product_line]`).
public struct TreeNode: Sendable, Equatable {
    /// The keys from the root down to this node.
    public var path: [String]
    /// 1 for the first level.
    public var depth: Int
    /// Σ weights of the rows under the node.
    public var weight: Double
    /// The node's quota within its parent's (rounded) amount.
    public var exactQuota: Double
    public var amountUnits: Int64
    public var amount: Double
}

/// One input row of a goal tree with the amount of every level above it.
public struct TreeLeaf: Sendable, Equatable {
    public var path: [String]
    public var weight: Double
    /// The row's quota within its parent's (rounded) amount.
    public var exactQuota: Double
    public var amountUnits: Int64
    public var amount: Double
    /// The amount of the node at each level (index 0 = level 1); the last equals the row's
    /// amount unless several rows share the full path.
    public var levelUnits: [Int64]
    public var levelAmounts: [Double]
}

/// A goal tree: one leaf per input row (in input order) and its nodes in depth-first order
/// (children in order of first appearance), for printing it indented.
public struct TreeAllocation: Sendable, Equatable {
    public var leaves: [TreeLeaf]
    public var nodes: [TreeNode]
}

extension Allocation {
    /// Splits `total` level by level down a goal tree. Each row has one key per level
    /// (`paths[i] = [channel, product_line]`) and a weight. A node's weight is the sum of its
    /// rows' weights; the total is split among the first-level nodes, each node's rounded
    /// amount among its children, and so on, so every level adds up exactly to its parent.
    /// Rows sharing a full path split their node's amount by their own weights. Siblings
    /// are ranked by the split's rules with their own key as the key; a zero-weight node
    /// and everything under it gets zero. Errors name the row by its path (`Tmall / fridge`).
    public static func tree(total: Double, paths: [[String]], weights: [Double], unit: Double = 1) throws(Failure) -> TreeAllocation {
        guard paths.count == weights.count else { throw .lengthMismatch(expected: paths.count, got: weights.count) }
        return try tree(total: total, paths: paths, levelWeights: [weights], unit: unit)
    }

    /// `tree` with a weight per level: `levelWeights[d][i]` is row i's weight at level d+1
    /// (a region by its revenue, a rep within it by capacity); a node's weight at its level
    /// is the sum of its rows' weights of that level. With one list of weights, it serves
    /// every level. A node with a non-zero amount whose children all weigh zero is an error
    /// (`allZeroWithin`, naming the node). With `splitRows: false`, rows sharing a full path
    /// are not split among themselves (their node's amount stands for them all: read the
    /// deepest nodes).
    public static func tree(total: Double, paths: [[String]], levelWeights: [[Double]], unit: Double = 1,
                            splitRows: Bool = true) throws(Failure) -> TreeAllocation {
        guard let depth = paths.first?.count else { throw .noParts }
        for (i, p) in paths.enumerated() where p.count != depth || depth == 0 { throw .raggedPath(row: i + 1) }
        guard levelWeights.count == 1 || levelWeights.count == depth else { throw .lengthMismatch(expected: depth, got: levelWeights.count) }
        for w in levelWeights where w.count != paths.count { throw .lengthMismatch(expected: paths.count, got: w.count) }
        let names = paths.map { $0.joined(separator: " / ") }
        for w in levelWeights { try validate(w, names: names) }
        let u = try AllocationUnit(unit)
        let t = try u.units(of: total)
        let prepared = levelWeights.map(PreparedWeights.init)
        var builder = TreeBuilder(paths: paths, names: names, levels: (0..<depth).map { prepared[min($0, prepared.count - 1)] },
                                  unit: u, splitRows: splitRows)
        builder.visit(rows: Array(paths.indices), depth: 0, units: t, quota: Double(t))
        if let f = builder.failure { throw f }
        let last = levelWeights[levelWeights.count - 1]
        var leaves: [TreeLeaf] = []
        leaves.reserveCapacity(paths.count)
        for i in paths.indices {
            leaves.append(TreeLeaf(path: paths[i], weight: last[i], exactQuota: u.amount(quotaUnits: builder.rowQuota[i]),
                                   amountUnits: builder.rowUnits[i], amount: u.amount(units: builder.rowUnits[i]),
                                   levelUnits: builder.levelUnits[i], levelAmounts: builder.levelUnits[i].map { u.amount(units: $0) }))
        }
        return TreeAllocation(leaves: leaves, nodes: builder.nodes)
    }
}

/// The recursive walk behind `Allocation.tree`.
private struct TreeBuilder {
    let paths: [[String]]
    let names: [String]
    /// The weights of each level.
    let levels: [PreparedWeights]
    let unit: AllocationUnit
    let splitRows: Bool
    var failure: Allocation.Failure?
    var rowUnits: [Int64]
    var rowQuota: [Double]
    var levelUnits: [[Int64]]
    var nodes: [TreeNode] = []

    init(paths: [[String]], names: [String], levels: [PreparedWeights], unit: AllocationUnit, splitRows: Bool) {
        self.paths = paths; self.names = names; self.levels = levels; self.unit = unit; self.splitRows = splitRows
        rowUnits = [Int64](repeating: 0, count: paths.count)
        rowQuota = [Double](repeating: 0, count: paths.count)
        levelUnits = paths.map { [Int64](repeating: 0, count: $0.count) }
    }

    /// Splits `units` (the node at `depth` holding `rows`) among its children.
    mutating func visit(rows: [Int], depth: Int, units: Int64, quota: Double) {
        guard let first = rows.first, failure == nil else { return }
        if depth == paths[first].count {
            if rows.count == 1 || !splitRows {
                for i in rows { rowUnits[i] = units; rowQuota[i] = quota }
                return
            }
            let weights = levels[depth - 1].subset(rows)
            if units != 0, !weights.hasPositive { failure = .allZeroWithin(group: names[first]); return }
            let (u, q) = Allocation.distribute(units, weights, keys: rows.map { names[$0] })
            for (k, i) in rows.enumerated() { rowUnits[i] = u[k]; rowQuota[i] = q[k] }
            return
        }
        var order: [String] = []
        var groups: [String: [Int]] = [:]
        for i in rows {
            let key = paths[i][depth]
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(i)
        }
        let members = order.map { groups[$0] ?? [] }
        let childWeights = levels[depth].grouped(members)
        if units != 0, !childWeights.hasPositive {
            failure = depth == 0 ? .allZero : .allZeroWithin(group: paths[first][0..<depth].joined(separator: " / "))
            return
        }
        let (u, q) = Allocation.distribute(units, childWeights, keys: order)
        for (c, child) in members.enumerated() {
            guard let head = child.first else { continue }
            nodes.append(TreeNode(path: Array(paths[head][0...depth]), depth: depth + 1, weight: childWeights.raw[c],
                                  exactQuota: unit.amount(quotaUnits: q[c]), amountUnits: u[c], amount: unit.amount(units: u[c])))
            for i in child { levelUnits[i][depth] = u[c] }
            visit(rows: child, depth: depth + 1, units: u[c], quota: q[c])
        }
    }
}
