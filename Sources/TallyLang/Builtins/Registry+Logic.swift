import TallyCore

extension Registry {
    /// if, coalesce, is_empty, iferror.
    static let logicFunctions: [Builtin] = [
        Builtin("if", category: .logic,
                parameters: [.required("cond", .boolean), .required("then"), .optional("else")],
                summary: "`then` when the condition is true, otherwise `else` (empty when left out).",
                details: "Works element by element over a list or column of true/false: "
                    + "if(t.amount > 100, \"big\", \"small\"). The condition must be true or false (a number is "
                    + "#VALUE!); an empty condition gives empty. Only an error in the condition or in the branch "
                    + "taken propagates.",
                example: "if(3 > 2, \"yes\", \"no\")", elementwise: true, propagatesErrors: false) { a in
            let cond = try a.value("cond")
            switch cond {
            case .error, .empty: return cond
            case .bool(let b): return try b ? a.value("then") : (a.named["else"] ?? .empty)
            default: throw ErrorValue(.value, "if: `cond` must be true or false, got a \(cond.typeName)")
            }
        }.looping(.custom(LogicLoops.select)),
        Builtin("coalesce", category: .logic, parameters: [.variadic("values")],
                summary: "The first value that is neither empty nor an error.",
                details: "coalesce(t.discount, 0) fills the empty cells of a column: lists and columns are taken "
                    + "element by element (equal lengths), single values stand for every element. When every "
                    + "value is empty or an error, gives the first error, or empty.",
                example: "coalesce(if(false, 1), 0)", propagatesErrors: false) { a in
            try broadcastRest(a, typed: LogicLoops.coalesce) { row in
                if let v = row.first(where: { !$0.isEmpty && !$0.isError }) { return v }
                return row.first(where: \.isError) ?? .empty
            }
        },
        Builtin("is_empty", category: .logic, parameters: [.required("x")],
                summary: "True for an empty cell (a missing value), false for anything else, errors included.",
                details: "The text \"\" is a value, not an empty cell: is_empty(\"\") is false. "
                    + "Works element by element over a list or column.",
                example: "is_empty(if(false, 1))", elementwise: true, propagatesErrors: false) { a in
            .bool(a.named["x"]?.isEmpty ?? true)
        }.looping(.custom(LogicLoops.isEmpty)),
        Builtin("iferror", category: .logic, parameters: [.required("x"), .required("fallback")],
                summary: "`x`, or `fallback` when `x` is an error value (#DIV/0!, #VALUE!...).",
                details: "Works element by element over a list or column: iferror(t.revenue / t.visits, 0).",
                example: "iferror(1 / 0, 0)", elementwise: true, propagatesErrors: false) { a in
            let x = try a.value("x")
            return try x.isError ? a.value("fallback") : x
        }.looping(.custom(LogicLoops.ifError)),
    ]

    /// Applies `row` to the variadic arguments element by element when some are lists or
    /// columns (scalars repeat; a column in gives a column out), or once to the scalars.
    /// Columns run once per distinct combination of their values, or in `typed`'s loop.
    static func broadcastRest(_ a: Arguments, typed: (([Value], Int) -> (Column, Set<Int>)?)? = nil,
                              _ row: @escaping ([Value]) throws -> Value) throws -> Value {
        var n: Int?
        var hasList = false, hasColumn = false
        for v in a.rest {
            guard let m = Operators.length(v) else { continue }
            if case .list = v { hasList = true } else { hasColumn = true }
            if let k = n, k != m {
                throw ErrorValue(.value, "\(a.function): the lists have different lengths (\(k) and \(m))")
            }
            n = m
        }
        guard let n else { return try row(a.rest) }
        if !hasList {
            let engine = ElementwiseColumns(arguments: a.rest, count: n, row: row, check: {})
            return .column(try engine.run { redo in
                guard let (out, rows) = typed?(a.rest, n) else { return nil }
                redo.formUnion(rows)
                return out
            })
        }
        let columns = a.rest.map(\.elements)
        var out: [Value] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            out.append(try row(a.rest.indices.map { columns[$0]?[i] ?? a.rest[$0] }))
        }
        return hasColumn ? .column(Column(values: out)) : .list(out)
    }
}
