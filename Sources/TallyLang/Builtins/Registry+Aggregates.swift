import TallyCore

extension Registry {
    private static let firstLastDetails = "In the list's or the table's order (sort first for the earliest or latest). The cell itself, "
        + "not the first non-empty one: filter with where() to skip empty cells. Inside group, the first or last row of each "
        + "group: group(sort(orders, order_date), customer_id, first_order: first(order_date))."

    /// The first or last cell of a list or column; a single value is itself.
    static func endCell(_ a: Arguments, _ name: String, last: Bool) throws -> Value {
        switch try a.value("values") {
        case .list(let xs): return (last ? xs.last : xs.first) ?? .empty
        case .column(let c): return c.count == 0 ? .empty : c[last ? c.count - 1 : 0]
        case .table: throw ErrorValue(.value, "\(name) takes a list or a column, not a table: \(name)(t.column)")
        case let v: return v
        }
    }

    /// `at(q, n)`, written `q[n]`: the n-th cell, 1-based; of a table, its n-th row as a record
    /// (`q[2].target`). Inside group the implementation takes each group's rows.
    static let atFunction: Builtin = {
        var b = Builtin("at", category: .aggregate, parameters: [.required("values", help: "a list, a column, or a table (its n-th row, as a record)"),
                                                                 .required("n", .number, help: "the position, 1 for the first")],
                        summary: "The n-th cell of a list or column, 1 for the first; written q.target[2] too (q[2]: a table's row 2).",
                        details: "Counts from 1; a position past the end (or below 1) gives #REF!. Of a table, the n-th row as a "
                            + "record of its columns: q[2] shows it, q[2].target is its target. Inside group, the n-th row "
                            + "of each group. The bracket must follow the name directly: q[2], not q [2].",
                        example: "at([3, 1, 4], 2)") { a in
            try nthCell(try a.value("values"), a)
        }
        b.special = { ctx in
            guard let values = try ctx.value("values"), let n = try ctx.value("n") else { return .empty }
            if case .error = values { return values }
            if case .error = n { return n }
            return try nthCell(values, Arguments(function: "at", named: ["values": values, "n": n], rest: []))
        }
        return b
    }()

    static func nthCell(_ v: Value, _ a: Arguments) throws -> Value {
        let n = try a.integer("n")
        let count: Int
        var unit = "cell"
        switch v {
        case .list(let xs): count = xs.count
        case .column(let c): count = c.count
        case .table(let t): count = t.rowCount; unit = "row"
        default: throw ErrorValue(.value, "at takes a list, a column or a table, got a \(v.typeName)")
        }
        guard n >= 1, n <= count else {
            throw ErrorValue(.reference, "position \(n) is out of range: \(count) \(unit)\(count == 1 ? "" : "s"), the first is 1")
        }
        if case .table(let t) = v { return .record(t.row(n - 1)) }
        if case .list(let xs) = v { return xs[n - 1] }
        if case .column(let c) = v { return c[n - 1] }
        return .empty
    }

    /// sum, avg (mean), median, min, max, count, count_distinct, stdev, percentile.
    static let aggregateFunctions: [Builtin] = [
        Builtin("sum", category: .aggregate, parameters: [.variadic("values")],
                summary: "Adds numbers, lists and columns; empty cells are skipped, text or true/false gives #VALUE!.",
                details: aggregateDetails + " No values give 0. Money is added exactly to the cent (compensated "
                    + "summation); the result keeps the inputs' format (money, percent) when they agree.",
                example: "sum(1, 2, 3)") { a in
            let items = try AggregateItems("sum", a.rest)
            try items.requireNumbers()
            return .number(items.total, items.format)
        }.reducing(with: GroupKernels.sum),
        Builtin("avg", aliases: ["mean"], category: .aggregate, parameters: [.variadic("values")],
                summary: "The arithmetic mean; no values give #DIV/0!.",
                details: aggregateDetails, example: "avg([2, 4, 9])") { a in
            let items = try AggregateItems("avg", a.rest)
            try items.requireNumbers()
            guard items.numberCount > 0 else { throw ErrorValue(.divisionByZero, "avg: no values to average") }
            return .number(items.mean, items.format)
        }.reducing(with: GroupKernels.average),
        Builtin("median", category: .aggregate, parameters: [.variadic("values")],
                summary: "The middle value (the mean of the two middle ones for an even count); no values give #N/A.",
                details: aggregateDetails, example: "median([3, 1, 4, 1, 5])") { a in
            let items = try AggregateItems("median", a.rest)
            try items.requireNumbers()
            guard items.numberCount > 0 else { throw ErrorValue(.notAvailable, "median: no values") }
            var xs = items.collectNumbers()
            return .number(quantile(&xs, 0.5), items.format)
        },
        Builtin("min", category: .aggregate, parameters: [.variadic("values")],
                summary: "The smallest value: numbers, dates or texts (not mixed); no values give #N/A.",
                details: orderedDetails, example: "min(3, [1, 7])") { a in
            try extreme(a, "min", largest: false)
        }.reducing(with: GroupKernels.min),
        Builtin("max", category: .aggregate, parameters: [.variadic("values")],
                summary: "The largest value: numbers, dates or texts (not mixed); no values give #N/A.",
                details: orderedDetails, example: "max(3, [1, 7])") { a in
            try extreme(a, "max", largest: true)
        }.reducing(with: GroupKernels.max),
        Builtin("count", category: .aggregate, parameters: [.variadic("values")],
                summary: "The number of non-empty values; count(t) of a table is its number of rows.",
                details: "Counts values of any type; empty cells are not counted. Inside group, count() counts "
                    + "the rows of each group.",
                example: "count([1, 2, 3])") { a in
            guard !a.rest.isEmpty else {
                return .error(ErrorValue(.value, "count() with no arguments counts rows only inside group"))
            }
            var n = 0
            for v in a.rest {
                if case .table(let t) = v { n += t.rowCount } else { n += try AggregateItems("count", [v]).count }
            }
            return .num(Double(n))
        }.reducing(with: GroupKernels.count).countingRows(),
        Builtin("count_distinct", category: .aggregate, parameters: [.variadic("values")],
                summary: "The number of different non-empty values (numbers, texts, dates, true/false).",
                details: "Empty cells are skipped; 1 and 1.0 are the same value, a number and a text never are.",
                example: "count_distinct([\"Tmall\", \"JD\", \"Tmall\"])") { a in
            try AggregateItems("count_distinct", a.rest).distinctCount()
        }.withSpecial { ctx in
            // At the top level the count asks the interrupt flag (a million texts); inside
            // group each group's values go to the implementation above.
            if let n = try distinctConcatenations(ctx) { return .num(Double(n)) }
            var values: [Value] = []
            for a in ctx.rest { values.append(try ctx.evaluate(a.value)) }
            if let e = values.first(where: { $0.isError }) { return e }
            return try AggregateItems("count_distinct", values).distinctCount(check: ctx.checkInterrupted)
        },
        Builtin("stdev", category: .aggregate, parameters: [.variadic("values")],
                summary: "The sample standard deviation (divides by n - 1); fewer than 2 values give #DIV/0!.",
                details: aggregateDetails, example: "stdev([2, 4, 4, 4, 5, 5, 7, 9])") { a in
            let items = try AggregateItems("stdev", a.rest)
            try items.requireNumbers()
            let n = items.numberCount
            guard n >= 2 else { throw ErrorValue(.divisionByZero, "stdev: needs at least 2 values, got \(n)") }
            let m = items.mean
            var s = CompensatedSum()
            items.forEachNumber { x in s.add((x - m) * (x - m)) }
            return .number((s.value / Double(n - 1)).squareRoot(), items.format)
        },
        Builtin("percentile", category: .aggregate, parameters: [.required("values", .numbers), .required("p", .share)],
                summary: "The value below which a share p of the values lie (p from 0 to 1, or 0% to 100%).",
                details: "Interpolates linearly between the two nearest values, as Excel's PERCENTILE.INC: "
                    + "percentile(v, 50%) is the median. p may be a list: percentile(v, [25%, 75%]). "
                    + aggregateDetails,
                example: "percentile([1, 2, 3, 4, 5], 90%)") { a in
            let items = try AggregateItems("percentile", [try a.value("values")])
            try items.requireNumbers()
            let ps = try a.value("p")
            guard items.numberCount > 0 else { throw ErrorValue(.notAvailable, "percentile: no values") }
            var xs = items.collectNumbers()
            func one(_ v: Value) throws -> Value {
                guard case .number(let p, _) = v else {
                    throw ErrorValue(.value, "percentile: `p` must be a number, got a \(v.typeName)")
                }
                guard p >= 0, p <= 1 else {
                    throw ErrorValue(.number, "percentile: `p` must be between 0 and 1 (0% to 100%), "
                                        + "got \(Operators.plainNumber(p))")
                }
                return .number(quantile(&xs, p), items.format)
            }
            if case .list(let list) = ps { return .list(try list.map(one)) }
            return try one(ps)
        },
        Builtin("first", category: .aggregate, parameters: [.required("values", help: "a list or a column")],
                summary: "The first cell of a list or column, as it is (an empty cell gives empty); no cells give empty.",
                details: firstLastDetails, example: "first([3, 1, 4])") { a in
            try endCell(a, "first", last: false)
        },
        atFunction,
        Builtin("last", category: .aggregate, parameters: [.required("values", help: "a list or a column")],
                summary: "The last cell of a list or column, as it is (an empty cell gives empty); no cells give empty.",
                details: firstLastDetails, example: "last([3, 1, 4])") { a in
            try endCell(a, "last", last: true)
        },
    ]

    private static let aggregateDetails = "Takes numbers, lists and columns in any mix: sum(1, 2, 3), sum([1, 2, 3]), "
        + "sum(t.amount). Empty cells are skipped. Unlike Excel, a text or true/false value is not silently "
        + "ignored: it gives #VALUE! naming it. An error value among the inputs propagates."

    /// min and max also order dates and texts.
    private static let orderedDetails = "Takes numbers, dates or texts, as values, lists or columns: min(1, 2, 3), "
        + "min(t.order_date). Empty cells are skipped; true/false, or a mix of types, gives #VALUE!. An error "
        + "value among the inputs propagates."

    /// min and max: numbers (fast path), dates, texts; different types cannot be compared.
    private static func extreme(_ a: Arguments, _ name: String, largest: Bool) throws -> Value {
        let items = try AggregateItems(name, a.rest)
        var best: Value?
        func offer(_ v: Value) throws {
            guard let b = best else { best = v; return }
            guard let c = Operators.compare(v, b) else {
                throw ErrorValue(.value, "\(name): cannot compare a \(v.typeName) with a \(b.typeName)")
            }
            if largest ? c > 0 : c < 0 { best = v }
        }
        if items.numberCount > 0 {
            var m = largest ? -Double.infinity : Double.infinity
            if largest { items.forEachNumber { m = Swift.max(m, $0) } } else { items.forEachNumber { m = Swift.min(m, $0) } }
            try offer(.number(m, items.format))
        }
        for c in items.columns {
            switch c.storage {
            case .date(let ds):
                var m: Int32 = largest ? .min : .max
                for i in ds.indices where c.isValid(i) { m = largest ? Swift.max(m, ds[i]) : Swift.min(m, ds[i]) }
                try offer(.date(TallyDate(days: m)))
            case .text(let codes, let dict):
                for s in AggregateItems.usedTexts(codes, dict, c) { try offer(.text(s)) }
            default:
                throw items.typeError(AggregateItems.firstValue(c), wanted: "numbers, dates or texts")
            }
        }
        for v in items.others {
            if case .bool = v { throw items.typeError(v, wanted: "numbers, dates or texts") }
            try offer(v)
        }
        guard let best else { throw ErrorValue(.notAvailable, "\(name): no values") }
        return best
    }

    /// The p-quantile by linear interpolation (PERCENTILE.INC). Reorders `xs`; `xs` is not empty.
    static func quantile(_ xs: inout [Double], _ p: Double) -> Double {
        let h = Double(xs.count - 1) * p
        let lo = Swift.max(0, Swift.min(Int(saturating: h.rounded(.down)), xs.count - 1))
        let low = select(&xs, lo)
        guard lo + 1 < xs.count, h > Double(lo) else { return low }
        var high = Double.infinity
        for i in (lo + 1)..<xs.count { high = Swift.min(high, xs[i]) }
        let t = h - Double(lo), gap = high - low
        // Between 1e308 and -1e308 the gap overflows; interpolate without it.
        return gap.isFinite ? low + t * gap : Double.interpolate(low, high, t)
    }

    /// Quickselect (Hoare partition, random pivot): afterwards `xs[k]` is the k-th smallest,
    /// everything before it is not larger and everything after it not smaller.
    static func select(_ xs: inout [Double], _ k: Int) -> Double {
        xs.withUnsafeMutableBufferPointer { a in
            var lo = 0, hi = a.count - 1
            var rng = SystemRandomNumberGenerator()
            while lo < hi {
                let pivot = a[Int.random(in: lo...hi, using: &rng)]
                var i = lo, j = hi
                while i <= j {
                    while a[i] < pivot { i += 1 }
                    while a[j] > pivot { j -= 1 }
                    if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { break }
            }
            return a[k]
        }
    }
}

/// The arguments of an aggregate, flattened: lists, records and columns are opened, empty
/// cells dropped, the first error element thrown. Number columns stay typed arrays so the
/// loops over millions of rows never box a cell into a `Value`.
extension Registry {
    /// `count_distinct(t.a & t.b)` over two columns, counted on their codes without making
    /// the concatenated column; nil when the pairs cannot be counted that way.
    static func distinctConcatenations(_ ctx: CallContext) throws(TallyError) -> Int? {
        guard ctx.rest.count == 1, ctx.rest[0].label == nil, case .binary(.concat, let l, let r, _) = ctx.rest[0].value,
              isColumnReference(l), isColumnReference(r),
              case .column(let a) = try ctx.evaluate(l), case .column(let b) = try ctx.evaluate(r) else { return nil }
        let n = Column.distinctConcatenationCount(a, b, cancelled: { (try? ctx.checkInterrupted()) == nil })
        try ctx.checkInterrupted()
        return n
    }

    /// `t.c` or a bare column name: evaluating it costs nothing, so evaluating it again on
    /// the general path is free.
    private static func isColumnReference(_ e: Expr) -> Bool {
        switch e {
        case .name, .member(.name, _, _): return true
        default: return false
        }
    }
}

struct AggregateItems {
    /// A run of numbers: a column's array with its validity bitmap, or the scalar numbers.
    struct Run {
        var values: [Double]
        var validity: Bitmap?
    }

    let function: String
    private(set) var runs: [Run] = []
    /// Typed columns of dates, texts or booleans holding at least one value.
    private(set) var columns: [Column] = []
    /// Non-empty elements that are not numbers.
    private(set) var others: [Value] = []
    /// How many numbers the runs hold.
    private(set) var numberCount = 0
    /// The common format of the numbers (plain is neutral; conflicting formats give plain).
    private(set) var format: NumberFormat = .plain
    private var sawFormat = false

    init(_ function: String, _ arguments: [Value]) throws {
        self.function = function
        var scalars: [Double] = []
        for v in arguments { try add(v, &scalars) }
        if !scalars.isEmpty { runs.append(Run(values: scalars, validity: nil)); numberCount += scalars.count }
    }

    private mutating func add(_ v: Value, _ scalars: inout [Double]) throws {
        switch v {
        case .empty: return
        case .error(let e): throw e
        case .number(let x, let f):
            scalars.append(x)
            note(f)
        case .text, .date, .bool: others.append(v)
        case .list(let xs): for x in xs { try add(x, &scalars) }
        case .record(let r): for f in r.fields { try add(f.value, &scalars) }
        case .table:
            throw ErrorValue(.value, "\(function): `values` is a table; pick a column, as in t.amount")
        case .column(let c):
            let valid = c.validity?.nonzeroCount ?? c.count
            guard valid > 0 else { return }
            switch c.storage {
            case .number(let xs):
                runs.append(Run(values: xs.doubles, validity: c.validity))
                numberCount += valid
                note(c.format)
            case .mixed(let vs):
                for i in vs.indices where c.isValid(i) { try add(vs[i], &scalars) }
            default:
                columns.append(c)
            }
        }
    }

    private mutating func note(_ f: NumberFormat) {
        format = sawFormat ? NumberFormat.combine(format, f) : f
        sawFormat = true
    }

    /// The number of non-empty elements of any type.
    var count: Int {
        numberCount + others.count + columns.reduce(0) { $0 + ($1.validity?.nonzeroCount ?? $1.count) }
    }

    /// Throws #VALUE! naming the first element that is not a number.
    func requireNumbers() throws {
        if let c = columns.first { throw typeError(Self.firstValue(c), wanted: "numbers") }
        if let v = others.first { throw typeError(v, wanted: "numbers") }
    }

    /// The first non-empty cell of a column, to name it in a message.
    static func firstValue(_ c: Column) -> Value {
        for i in 0..<c.count where c.isValid(i) { return c[i] }
        return .empty
    }

    func typeError(_ v: Value, wanted: String) -> ErrorValue {
        let shown: String
        switch v {
        case .text(let s): shown = "the text \"\(s)\""
        case .date(let d): shown = "the date \(d.iso)"
        case .bool(let b): shown = "the boolean \(b)"
        default: shown = "a \(v.typeName)"
        }
        return ErrorValue(.value, "\(function): `values` must be \(wanted), got \(shown)")
    }

    /// Calls `body` with every number, in order; a tight loop over each typed array.
    @inline(__always)
    func forEachNumber(_ body: (Double) -> Void) {
        for r in runs {
            r.values.withUnsafeBufferPointer { p in
                guard let validity = r.validity else {
                    for x in p { body(x) }
                    return
                }
                validity.words.withUnsafeBufferPointer { w in
                    for i in 0..<Swift.min(p.count, w.count << 6) where w[i >> 6] & (1 << UInt64(i & 63)) != 0 {
                        body(p[i])
                    }
                }
            }
        }
    }

    /// The sum of the numbers: each run in blocks (`CompensatedSum.blocked`), as the
    /// fused path adds them on several threads.
    var total: Double {
        var s = CompensatedSum()
        for r in runs { r.values.withUnsafeBufferPointer { CompensatedSum.blocked($0, validity: r.validity, into: &s) } }
        return s.value
    }

    /// The mean of the numbers (their `total`); numberCount must be positive.
    var mean: Double { total / Double(numberCount) }

    /// Every number in one array.
    func collectNumbers() -> [Double] {
        if runs.count == 1, runs[0].validity == nil { return runs[0].values }
        var out: [Double] = []
        out.reserveCapacity(numberCount)
        forEachNumber { out.append($0) }
        return out
    }

    /// The different texts of a dictionary-encoded column among its valid cells.
    static func usedTexts(_ codes: [Int32], _ dictionary: [String], _ c: Column) -> Set<String> {
        var used = [Bool](repeating: false, count: dictionary.count)
        for i in codes.indices where c.isValid(i) {
            let k = Int(codes[i])
            if k >= 0, k < used.count { used[k] = true }
        }
        var out = Set<String>()
        for (k, u) in used.enumerated() where u { out.insert(dictionary[k]) }
        return out
    }

    /// The number of different values; a number and a text are never the same value.
    /// Columns are counted from their typed arrays (a text column by its used dictionary
    /// entries), never cell by cell as values.
    func distinctCount() -> Value {
        distinctCount(check: { () throws(Never) in })
    }

    /// `distinctCount()`, calling `check` while it counts texts (Ctrl-C).
    func distinctCount<E: Error>(check: () throws(E) -> Void) throws(E) -> Value {
        var numbers = DistinctNumbers(), texts: [String] = [], dates = DistinctNumbers(), bools = Set<Bool>()
        forEachNumber { numbers.insert($0) }
        for c in columns {
            switch c.storage {
            case .date(let ds): for i in ds.indices where c.isValid(i) { dates.insert(Double(ds[i])) }
            case .bool(let bs): for i in bs.indices where c.isValid(i) { bools.insert(bs[i]) }
            case .text, .number, .mixed: break
            }
        }
        for v in others {
            switch v {
            case .text(let s): texts.append(s)
            case .date(let d): dates.insert(Double(d.days))
            case .bool(let b): bools.insert(b)
            default: break
            }
        }
        try check()
        let textCount = try Column.distinctTextCount(columns, extra: texts, check: check)
        return .num(Double(numbers.count + textCount + dates.count + bools.count))
    }
}
