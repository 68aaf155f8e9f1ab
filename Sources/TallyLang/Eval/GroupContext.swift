import TallyCore

/// Evaluation of aggregates per group: inside `group(t, keys..., name: expr)` an aggregate
/// call evaluates its argument over the whole table (vectorised) and reduces it once per
/// group, giving a column with one row per group; arithmetic around it then broadcasts
/// (`sum(amount) / count()`). Key columns read as their per-group values. An aggregate whose
/// argument reads columns only as `table.column` (`sum(orders.amount)`) is over the whole
/// column, not the group's rows: one value, the same in every group (shares of a total).
struct GroupContext {
    let table: Table
    let grouping: Grouping
    /// The key columns, one row per group.
    let keys: [String: Column]

    /// `check` is called while grouping (every 65,536 rows); it throws to stop (Ctrl-C).
    init(table: Table, keyNames: [String], check: () throws(TallyError) -> Void = {}) throws(TallyError) {
        self.table = table
        let keyColumns = keyNames.compactMap { table.column(named: $0) }
        grouping = try Grouping(keys: keyColumns, rowCount: table.rowCount, check: check)
        var k: [String: Column] = [:]
        for (n, c) in zip(keyNames, keyColumns) { k[n] = c.gather(grouping.firstRow) }
        keys = k
    }

    func aggregate(_ fn: Builtin, _ args: [Argument], span: SourceSpan, evaluator: Evaluator) throws(TallyError) -> Value {
        var rowwise = evaluator
        rowwise.group = nil
        rowwise.columns = table
        let n = table.rowCount, groups = grouping.groupCount
        let bound = try Binder.bind(fn, args, span: span)
        // The column to aggregate is the first parameter's argument; the others are evaluated once.
        let first: Argument?
        if let p = fn.parameters.first { first = p.isVariadic ? bound.rest.first : bound.given[p.name] } else { first = nil }
        if fn.name == "count" && first == nil {
            return .column(.numbers(grouping.sizes.map(Double.init)))
        }
        guard let first else {
            throw TallyError(.arguments("\(fn.name) needs a column to aggregate"), span: span, hint: "usage: \(fn.signature)")
        }
        if Self.readsWholeColumns(first.value, table: table, keys: keys) {
            // `sum(orders.amount)`: the whole column, evaluated once, the same in every group.
            return try rowwise.call(fn.name, nameSpan: span, args, span: span)
        }
        var input = try rowwise.evaluate(first.value)
        if case .error = input { return input }
        if !input.isCollection { input = .column(Column(values: Array(repeating: input, count: n))) }
        let column: Column
        switch input {
        case .column(let c) where c.count == n: column = c
        case .list(let xs) where xs.count == n: column = Column(values: xs)
        default:
            throw TallyError(.arguments("\(fn.name) inside group needs a column of the table"), span: first.value.span)
        }
        if let kernel = fn.groupKernel, let fast = kernel(column, grouping) { return .column(fast) }
        // General path: hand each group's values to the function itself.
        var extra: [String: Value] = [:]
        for p in fn.parameters.dropFirst() where !p.isVariadic {
            if let a = bound.given[p.name] { extra[p.name] = try rowwise.evaluate(a.value) }
        }
        let (offsets, rows) = grouping.rowsByGroup()
        var out: [Value] = []
        out.reserveCapacity(groups)
        for g in 0..<groups {
            if evaluator.isInterrupted() { throw TallyError(.interrupted, span: span) }
            let values = Value.list(rows[offsets[g]..<offsets[g + 1]].map { column[$0] })
            var named = extra
            var rest: [Value] = []
            if let p = fn.parameters.first, !p.isVariadic { named[p.name] = values } else { rest = [values] }
            for p in fn.parameters where named[p.name] == nil && !p.isVariadic { if let d = p.defaultValue { named[p.name] = d } }
            do {
                out.append(try fn.implementation(Arguments(function: fn.name, named: named, rest: rest)))
            } catch let e as ErrorValue {
                out.append(.error(ErrorValue(e.kind, e.message, span: span)))
            } catch {
                out.append(.error(ErrorValue(.value, "\(fn.name): \(error)", span: span)))
            }
        }
        return .column(Column(values: out))
    }

    /// True when `e` reads columns only as `table.column`: it has a member access and no
    /// bare name of a column of the grouped table (nor of a key).
    static func readsWholeColumns(_ e: Expr, table: Table, keys: [String: Column]) -> Bool {
        var hasMember = false
        var pending: [Expr] = [e]
        while let x = pending.popLast() {
            switch x {
            case .number, .text, .bool: break
            case .name(let n, _): if table.column(named: n) != nil || keys[n] != nil { return false }
            case .member(let b, _, _):
                hasMember = true
                // The base names the table (`orders`); a column there would be odd, not a group's rows.
                if case .name = b { break }
                pending.append(b)
            case .list(let xs, _): pending += xs
            case .record(let fs, _): pending += fs.map(\.value)
            case .unary(_, let y, _), .format(let y, _, _): pending.append(y)
            case .binary(_, let a, let b, _): pending.append(a); pending.append(b)
            case .chain(let a, let links, _): pending.append(a); pending += links.map(\.operand)
            case .call(_, _, let args, _): pending += args.map(\.value)
            }
        }
        return hasMember
    }
}
