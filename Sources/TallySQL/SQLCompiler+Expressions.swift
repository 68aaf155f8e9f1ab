import TallyCore
import TallyLang

extension SQLCompiler {
    /// True when `e` reads a column of `q` (any bare name that is one) or any `t.column`;
    /// with `q` nil, true for any bare name that might be a column.
    func reads(_ e: Expr, columnsOf q: SQLQuery?) -> Bool {
        switch e {
        case .number, .text, .bool: return false
        case .name(let n, _): return q.map { $0.type(of: n) != nil } ?? false
        case .member: return true
        case .list(let xs, _): return xs.contains { reads($0, columnsOf: q) }
        case .record(let fs, _): return fs.contains { reads($0.value, columnsOf: q) }
        case .unary(_, let x, _), .format(let x, _, _): return reads(x, columnsOf: q)
        case .binary(_, let a, let b, _): return reads(a, columnsOf: q) || reads(b, columnsOf: q)
        case .chain(let first, let links, _): return reads(first, columnsOf: q) || links.contains { reads($0.operand, columnsOf: q) }
        case .call(_, _, let args, _): return args.contains { reads($0.value, columnsOf: q) }
        }
    }

    /// A row expression of `q`'s columns as SQL with its type, nil when its meaning in SQL
    /// could differ from Tally's (a function of a column, a division that may meet zero).
    func row(_ e: Expr, _ q: SQLQuery) throws(TallyError) -> (String, SQLType)? {
        if !reads(e, columnsOf: q) {
            if case .name(let n, _) = e, remoteTable(n) != nil { return nil }
            return SQLText.literal(try constant(e))
        }
        switch e {
        case .name(let n, _):
            guard let type = q.type(of: n) else { return nil }
            return (SQLText.identifier(n), type)
        case .unary(.negate, let x, _):
            guard let (s, t) = try row(x, q), t == .number else { return nil }
            return ("(- \(s))", .number)
        case .unary(.not, let x, _):
            guard let (s, t) = try row(x, q), t == .boolean else { return nil }
            return ("(NOT \(s))", .boolean)
        case .binary(let op, let a, let b, _):
            guard let l = try row(a, q), let r = try row(b, q) else { return nil }
            return binary(op, l, r, divisorIsSafe: !reads(b, columnsOf: q) && r.0 != "0")
        case .chain(let first, let links, _):
            guard var acc = try row(first, q) else { return nil }
            for link in links {
                guard let r = try row(link.operand, q),
                      let next = binary(link.op, acc, r, divisorIsSafe: !reads(link.operand, columnsOf: q) && r.0 != "0") else { return nil }
                acc = next
            }
            return acc
        default:
            return nil
        }
    }

    /// `a op b` when both sides have the types the operator takes in Tally.
    func binary(_ op: BinaryOp, _ a: (String, SQLType), _ b: (String, SQLType), divisorIsSafe: Bool) -> (String, SQLType)? {
        switch op {
        case .add, .subtract, .multiply:
            guard a.1 == .number, b.1 == .number else { return nil }
            return ("(\(a.0) \(op.rawValue) \(b.0))", .number)
        case .divide:
            guard a.1 == .number, b.1 == .number, divisorIsSafe else { return nil }
            return ("(\(a.0)::float8 / \(b.0))", .number)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            guard a.1 == b.1 else { return nil }
            let sql = [BinaryOp.equal: "=", .notEqual: "<>", .less: "<", .lessEqual: "<=", .greater: ">", .greaterEqual: ">="][op] ?? "="
            // Text orders by code point in Tally; equality needs no collation.
            let collate = a.1 == .text && op != .equal && op != .notEqual ? " COLLATE \"C\"" : ""
            return ("(\(a.0)\(collate) \(sql) \(b.0))", .boolean)
        case .and, .or:
            guard a.1 == .boolean, b.1 == .boolean else { return nil }
            return ("(\(a.0) \(op == .and ? "AND" : "OR") \(b.0))", .boolean)
        case .power, .concat:
            return nil
        }
    }

    /// One aggregate of `group` (or arithmetic over aggregates and constants) as SQL.
    func aggregate(_ e: Expr, _ q: SQLQuery) throws(TallyError) -> (String, SQLType)? {
        switch e {
        case .call(let name, _, let args, _):
            if name == "count", args.isEmpty { return ("count(*)", .number) }
            guard args.count == 1, args[0].label == nil, case .name(let c, _) = args[0].value, let type = q.type(of: c) else { return nil }
            let col = SQLText.identifier(c)
            switch name {
            case "sum": return type == .number ? ("COALESCE(sum(\(col)), 0)", .number) : nil
            case "avg": return type == .number ? ("(sum(\(col))::float8 / NULLIF(count(\(col)), 0))", .number) : nil
            case "count": return ("count(\(col))", .number)
            case "count_distinct": return ("count(DISTINCT \(col))", .number)
            case "min", "max":
                guard type == .number || type == .date || type == .text else { return nil }
                return ("\(name)(\(col)\(type == .text ? " COLLATE \"C\"" : ""))", type)
            case "median": return type == .number ? ("percentile_cont(0.5) WITHIN GROUP (ORDER BY \(col))", .number) : nil
            default: return nil
            }
        case .binary(let op, let a, let b, _):
            guard let l = try aggregateOrConstant(a, q), let r = try aggregateOrConstant(b, q) else { return nil }
            let safe: Bool
            if case .call("count", _, let xs, _) = b, xs.isEmpty { safe = true } else { safe = !reads(b, columnsOf: q) && r.0 != "0" }
            return binary(op, l, r, divisorIsSafe: safe)
        default:
            return nil
        }
    }

    private func aggregateOrConstant(_ e: Expr, _ q: SQLQuery) throws(TallyError) -> (String, SQLType)? {
        if case .call = e { return try aggregate(e, q) }
        if case .binary = e { return try aggregate(e, q) }
        guard !reads(e, columnsOf: q) else { return nil }
        return SQLText.literal(try constant(e))
    }
}
