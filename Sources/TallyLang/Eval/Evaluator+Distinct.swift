import TallyCore

/// An element-wise expression over one column of few distinct values (`upper(channel) ==
/// "TMALL"`, `month(order_date) == 3`, `if(vip, 0.9, 1) * 2`) is evaluated once per distinct
/// value of that column, as a whole, and the answers mapped onto the rows: no intermediate
/// column is built for its inner steps. Each answer is the expression evaluated with the
/// column's cell in place of the column, which is what the column result is defined as
/// (the differential tests hold the two equal).
extension Evaluator {
    /// The expression's column value by distinct values, or nil when it does not qualify:
    /// several columns, a table function inside, fewer than 4,096 rows, or more distinct
    /// values (texts, days) than a quarter of the rows.
    func byDistinctValues(_ e: Expr) throws(TallyError) -> Value? {
        guard group == nil, bound == nil else { return nil }
        var leaves: [String: Expr] = [:]
        var budget = 64
        var hasMember = false
        guard elementwiseLeaves(e, &leaves, &budget, &hasMember), hasMember || columns != nil else { return nil }
        var found: (key: String, column: Column)?
        for (key, leaf) in leaves {
            guard let v = leafValue(leaf) else { return nil }
            switch v {
            case .column(let c):
                guard found == nil else { return nil }
                found = (key, c)
            case .list, .table, .record: return nil
            default: continue
            }
        }
        guard let (key, c) = found, c.count >= 4096 else { return nil }
        let days = c.dayRange()
        switch c.typedStorage {
        case .text(_, let dictionary): guard dictionary.count <= c.count / 4 else { return nil }
        case .bool: break
        case .date: guard days.map({ Int($0.upperBound) - Int($0.lowerBound) < c.count / 4 }) ?? true else { return nil }
        case .number, .mixed: return nil
        }
        let row: ([Value]) throws -> Value = { v in
            var one = self
            one.bound = (key, v[0])
            return try one.eval(e)
        }
        return try columnRun(e.span) { check in
            var engine = ElementwiseColumns(arguments: [.column(c)], count: c.count, row: row, check: check)
            engine.dayRange = days
            return try engine.run()
        }
    }

    /// Collects the names and `table.column` leaves of an element-wise expression of at most
    /// `budget` nodes; false when some node is not element-wise.
    private func elementwiseLeaves(_ e: Expr, _ leaves: inout [String: Expr], _ budget: inout Int, _ hasMember: inout Bool) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch e {
        case .number, .text, .bool: return true
        case .name(let n, _):
            leaves[n] = e
            return true
        case .member(.name(let t, _), let field, _):
            leaves[t + "." + field] = e
            hasMember = true
            return true
        case .unary(_, let x, _), .format(let x, _, _):
            return elementwiseLeaves(x, &leaves, &budget, &hasMember)
        case .binary(_, let a, let b, _):
            return elementwiseLeaves(a, &leaves, &budget, &hasMember) && elementwiseLeaves(b, &leaves, &budget, &hasMember)
        case .chain(let a, let links, _):
            guard elementwiseLeaves(a, &leaves, &budget, &hasMember) else { return false }
            return links.allSatisfy { elementwiseLeaves($0.operand, &leaves, &budget, &hasMember) }
        case .call(let name, _, let args, _):
            guard let fn = registry.lookup(name), fn.isElementwise, fn.special == nil,
                  !fn.parameters.contains(where: { if case .column = $0.kind { return true } else { return false } }) else { return false }
            return args.allSatisfy { elementwiseLeaves($0.value, &leaves, &budget, &hasMember) }
        case .member, .list, .record: return false
        }
    }

    /// A leaf's value without side effects; nil when it cannot be read (the normal
    /// evaluation then reports why).
    private func leafValue(_ leaf: Expr) -> Value? {
        switch leaf {
        case .name(let n, let span): return try? resolve(n, span)
        case .member(.name(let t, let span), let field, _):
            // A remote table is not fetched whole to look at one column: the general
            // evaluation fetches only that column.
            if remoteTable(named: t) != nil { return nil }
            guard case .table(let table)? = try? resolve(t, span) else { return nil }
            return table.column(named: field).map(Value.column)
        default: return nil
        }
    }
}
