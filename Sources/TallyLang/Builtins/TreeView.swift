import TallyAnalytics
import TallyCore

/// `tree(result)`: a goal tree printed indented.
struct TreeView {
    let ctx: CallContext

    /// Finds the levels and the amount column, then lists the nodes depth first.
    func run() throws -> Value {
        let t = try ctx.table("t")
        let valueName: String
        if let v = try ctx.column("value", in: t) {
            valueName = v
        } else if t.column(named: "target") != nil {
            valueName = "target"
        } else {
            throw ctx.fail("needs the amount column", hint: "tree(t, by: [region, channel], value: amount)")
        }
        var levels = t.names.filter { $0 != valueName && t.column(named: "\($0)_\(valueName)") != nil }
        if case .list(let made)? = t.display.metadata["split.levels"] {
            let named = made.compactMap { v -> String? in if case .text(let n) = v, t.column(named: n) != nil { return n } else { return nil } }
            if named.count == made.count, !named.isEmpty { levels = named }
        }
        if let by = ctx.argument("by") { levels = try SplitSupport.columnNames(ctx, by.value, in: t) }
        guard !levels.isEmpty else {
            throw ctx.fail("cannot tell the levels of the tree", hint: "give them: tree(t, by: [channel, product_line])")
        }
        let keys = SplitSupport.rowKeys(t)
        let amounts = try SplitSupport.weights(t.column(named: valueName)?.values ?? [], keys: keys, function: "tree",
                                               at: ctx.argument("value")?.value, noun: valueName)
        let format = (t.column(named: valueName)?.format) ?? .plain
        let root = PreparedSum.plain(amounts)
        var nodes: [(label: String, amount: Double, ofParent: Double?)] = []
        func visit(_ rows: [Int], depth: Int, parent: Double) {
            var order: [String] = []
            var groups: [String: [Int]] = [:]
            for i in rows {
                let k = SplitSupport.key(t.column(named: levels[depth])?[i] ?? .empty)
                if groups[k] == nil { order.append(k) }
                groups[k, default: []].append(i)
            }
            // Largest first; equal amounts keep their order of first appearance. Periods
            // (2026-Q1, 2026-01) stay in calendar order.
            let chronological = order.allSatisfy { Periods.kind(of: $0) != nil }
            var sized: [(key: String, members: [Int], amount: Double, seen: Int)] = []
            for (n, k) in order.enumerated() {
                let members = groups[k] ?? []
                var amount = PreparedSum.plain(members.map { amounts[$0] })
                if let first = members.first, case .number(let x, _)? = t.column(named: "\(levels[depth])_\(valueName)")?[first] { amount = x }
                sized.append((k, members, amount, n))
            }
            sized.sort { a, b in
                if chronological { return a.key < b.key }
                return a.amount != b.amount ? a.amount > b.amount : a.seen < b.seen
            }
            for (k, members, amount, _) in sized {
                nodes.append((String(repeating: "  ", count: depth) + k, amount, parent == 0 ? nil : amount / parent))
                if depth + 1 < levels.count { visit(members, depth: depth + 1, parent: amount) }
            }
        }
        visit(Array(0..<t.rowCount), depth: 0, parent: root)
        let cols = [Column(values: nodes.map { .text($0.label) }), Column.numbers(nodes.map(\.amount), format: format),
                    Column(values: nodes.map { n in n.ofParent.map { .number($0, .percent) } ?? .empty }),
                    Column(values: nodes.map { root == 0 ? .empty : .number($0.amount / root, .percent) })]
        guard var out = Table(names: ["node", valueName, "of_parent", "of_total"], columns: cols) else {
            throw ctx.fail("the column `\(valueName)` clashes with the tree's columns")
        }
        out.display = TableDisplay(totals: [valueName: .number(root, format), "of_total": .number(1, .percent)],
                                   notes: [Note(.treeLevels, [.joined(levels.map(NotePart.text), " > ")])])
        out.display.generatedHeaders = true
        // A tree read with its middle left out loses the parents of the rows shown: the
        // REPL cuts a long tree at its end instead.
        out.display.metadata["rows.elide"] = .text("tail")
        return .table(out)
    }
}

