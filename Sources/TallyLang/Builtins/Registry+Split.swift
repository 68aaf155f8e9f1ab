import TallyAnalytics
import TallyCore

extension Registry {
    /// split: a total into parts by weights (list, record, table column), down a goal tree
    /// (`by: [a, b]`) or per tier (`by: tier, weight: {high: 40%, ...}`).
    static let splitFunctions: [Builtin] = [
        Builtin("split", category: .analytics,
                parameters: [.required("total", .value, help: "the amount to split (its format carries to the parts), or a split over periods"),
                             .required("weights", .value, help: "a list, a record {name: weight}, or a table of parts"),
                             .option("unit", .number, default: .num(1), help: "amounts are whole multiples of it (1, 0.01, 10000...)"),
                             .option("audit", .boolean, default: .bool(false), help: "true shows the quota and the rounding"),
                             .option("as", .text, default: .text("target"), help: "the name of the amount column"),
                             .option("names", .list, help: "the parts' names for a list of weights", shown: false),
                             .option("weight", .value, help: "with a table: its weight column, one weight per row, or {tier: share}", shown: false),
                             .option("by", .columns(of: "weights"), help: "with a table: the levels of a goal tree, or the tier column", shown: false),
                             .option("within", .value, help: "with tiers: \"equal\" or a column to split each tier by", shown: false),
                             .option("workdays", .boolean, default: .bool(false), help: "with periods: weigh each by its working days", shown: false)],
                summary: "Splits a total by weights into parts that add up to it exactly (largest remainder, rounded to `unit`).",
                details: """
                weights: a list [50, 30, 20] (parts 1..n, or `names: [...]`), a record {Tmall: 50, JD: 30}, or a
                table with `weight: column` (or a list or expression of one weight per row); the result is the
                parts (or the table's columns) with weight, share and target (`as: "gmv"` renames target), and a
                total row. Periods: split(1.2亿, quarters(2026), weight: {Q1: 20, Q2: 30, Q3: 20, Q4: 30}) keys a
                record by label (`2026-Q1`) or short name (Q1; Jan, January or M1 for months; W9 for weeks).
                Cascade: split(q, months(2026)) splits each period's target of q over the periods within it, by
                days (or `workdays: true`, or `weight:` per period), every parent adding up exactly; again
                split(m, weeks(2026)) or split(m, days(from, to, workdays: true)). A week across a month end is
                cut in two, each part weighed by its own days. Goal tree: split(total, t, by: [channel, line],
                weight: col) splits level by level (each level adds up to its parent) and adds every level's
                subtotal (channel_target, ...); `weight: [revenue, capacity]` gives each level its own weight (a
                node weighs the sum of its rows'); rows sharing a full path (orders) are grouped into one leaf.
                Tiers: split(12000, t, by: tier, weight: {high: 40%, medium: 35%, low: 25%}, within: "equal")
                splits by tier, then each tier equally or `within: column`.
                Rounding: every part gets its exact quota rounded down to a whole `unit` (1, 0.01, 10000...);
                the units left over go one each to the largest remainders, ties to the larger quota, then to the
                part whose name sorts first. Reordering the parts never changes an amount; a zero weight gives 0;
                each part is within one unit of its exact quota. `audit: true` shows the quota and the rounding.
                Weights that are negative, empty, not numbers or all zero make the result an error value
                (#VALUE!) naming the part, so a formula over changing inputs keeps it and recovers when they do;
                a wrong shape of call (unknown column, missing weight:) is refused.
                """,
                example: "split(1亿, {Tmall: 50, JD: 30, Douyin: 15, other: 5})") { ctx in
            var call = SplitCall(ctx)
            return try call.run()
        },
    ]
}

/// One call of `split`: its options and the three forms (flat, goal tree, tiers).
struct SplitCall {
    let ctx: CallContext
    var unit = 1.0
    var audit = false
    var output = "target"

    init(_ ctx: CallContext) { self.ctx = ctx }

    /// The named argument `label`, if given.
    func arg(_ label: String) -> Argument? { ctx.argument(label) }

    /// Reads the options, then dispatches on the kind of weights: list, record or table.
    mutating func run() throws -> Value {
        let pos = [try ctx.required("total"), try ctx.required("weights")]
        unit = try ctx.number("unit")?.0 ?? 1
        audit = try ctx.boolean("audit")
        output = try ctx.text("as") ?? "target"
        guard !output.isEmpty else { throw ErrorValue(.value, "split: `as:` needs a column name", span: arg("as")?.value.span) }
        let totalArgument = try ctx.value("total") ?? .empty
        let weights = try ctx.value("weights") ?? .empty
        if case .table(let parents) = totalArgument {
            guard case .table(let periods) = weights else {
                throw ctx.fail("a table of targets splits over a table of periods", at: pos[1].value,
                               hint: "split(q, months(2026)) splits each quarter's target over its months")
            }
            for label in ["by", "within", "names"] {
                if let a = arg(label) { throw ctx.fail("`\(label):` does not go with a table of targets", at: a.value) }
            }
            return try CascadeSplit(call: self, parents: parents, children: periods, totalExpr: pos[0].value, childExpr: pos[1].value).run()
        }
        let total = try totalValue(pos[0])
        switch weights {
        case .error(let e): throw e
        case .table(let t): return try tableSplit(total, t, at: pos[1].value)
        case .record(let r):
            try refuseTableOptions(for: "a record")
            guard arg("names") == nil else { throw ctx.fail("`names:` is for a list of weights; a record names its parts", at: arg("names")?.value) }
            return try listSplit(total, keys: r.names, values: r.fields.map(\.value), numbered: false, at: pos[1].value)
        case .list, .column:
            try refuseTableOptions(for: "a list")
            let xs = weights.elements ?? []
            var keys = xs.indices.map { String($0 + 1) }
            var numbered = true
            if let n = arg("names") {
                keys = try SplitSupport.names(ctx, n, count: xs.count)
                numbered = false
            }
            return try listSplit(total, keys: keys, values: xs, numbered: numbered, at: pos[1].value)
        default:
            throw ErrorValue(.value, "split: the weights must be a list, a record or a table, got \(SplitSupport.article(weights.typeName))",
                             span: pos[1].value.span)
        }
    }

    /// `weight:`, `by:` and `within:` only make sense with a table of parts.
    private func refuseTableOptions(for what: String) throws {
        for label in ["weight", "by", "within", "workdays"] {
            if let a = arg(label) {
                throw ctx.fail("`\(label):` is for a table of parts; here the weights are \(what)", at: a.value,
                               hint: "split(total, channels, weight: last_year)")
            }
        }
    }

    /// The total: a number (its format carries to the amounts).
    private func totalValue(_ a: Argument) throws -> (value: Double, format: NumberFormat, expr: Expr) {
        let (x, f) = try ctx.number("total") ?? (0, .plain)
        return (x, f, a.value)
    }

    // MARK: flat splits

    /// Weights given as a list or record: one row per part (part, weight, share, target).
    private func listSplit(_ total: (value: Double, format: NumberFormat, expr: Expr), keys: [String], values: [Value],
                           numbered: Bool, at e: Expr) throws -> Value {
        let w = try SplitSupport.weights(values, keys: keys, function: "split", at: e)
        let sortKeys = numbered ? keys.map { String(repeating: "0", count: max(0, 12 - $0.count)) + $0 } : keys
        let parts = try allocate(total: total.expr, weights: e) { () throws(Allocation.Failure) in
            try Allocation.split(total: total.value, weights: w, keys: sortKeys, unit: unit)
        }
        let partColumn = numbered ? Column.numbers(keys.map { Double($0) ?? 0 }) : Column(values: keys.map { .text($0) })
        guard var t = Table(names: ["part", "weight"], columns: [partColumn, Column(values: values)]) else {
            throw ctx.fail("the parts do not form a table")
        }
        t = try finish(t, total: total, shares: parts.map(\.share), amounts: parts.map(\.amount), quotas: parts.map(\.exactQuota),
                       weightTotal: ("weight", SplitSupport.sum(values)))
        t.display.notes += SplitSupport.percentNote(values)
        return .table(t)
    }

    /// A table of parts: flat with `weight:`, a goal tree with `by:`, tiers with `by:` and a record of weights.
    private func tableSplit(_ total: (value: Double, format: NumberFormat, expr: Expr), _ t: Table, at tableExpr: Expr) throws -> Value {
        guard arg("names") == nil else { throw ctx.fail("`names:` is for a list of weights; a table's rows are its parts", at: arg("names")?.value) }
        if try ctx.boolean("workdays") {
            guard arg("weight") == nil, arg("by") == nil, t.column(named: "workdays") != nil else {
                throw ctx.fail("`workdays: true` weighs periods by their working days; it needs a calendar table and no `weight:` or `by:`",
                               at: arg("workdays")?.value)
            }
            return try flatSplit(total, t, values: t.column(named: "workdays")?.values ?? [], column: "workdays",
                                 at: arg("workdays")?.value ?? tableExpr)
        }
        guard let wArg = arg("weight") else {
            throw ctx.fail("needs `weight:` for a table of parts", at: tableExpr, hint: "split(total, channels, weight: last_year)")
        }
        guard t.rowCount > 0 else { throw ErrorValue(.value, "split: nothing to split: the table has no rows", span: tableExpr.span) }
        if let by = arg("by") {
            let levels = try SplitSupport.columnNames(ctx, by.value, in: t)
            if let r = try SplitSupport.tierWeights(ctx, wArg, in: t) {
                return try TierSplit(call: self, table: t, total: total, level: levels, weights: r, weightArg: wArg).run()
            }
            guard arg("within") == nil else {
                throw ctx.fail("`within:` goes with tier weights given as a record", at: arg("within")?.value,
                               hint: "split(12000, customers, by: tier, weight: {high: 40%, medium: 35%, low: 25%}, within: \"equal\")")
            }
            return try TreeSplit(call: self, table: t, total: total, levels: levels, weightArg: wArg).run()
        }
        guard arg("within") == nil else { throw ctx.fail("`within:` needs `by:` (the tier column)", at: arg("within")?.value) }
        if let r = try SplitSupport.recordWeights(ctx, wArg, in: t) {
            let (labels, periods) = SplitSupport.rowLabels(t)
            let values = try KeyedWeights(ctx: ctx, record: r, at: wArg.value).match(labels, periods: periods)
            return try flatSplit(total, t, values: values, column: nil, at: wArg.value)
        }
        let (values, weightColumn) = try SplitSupport.rowValues(ctx, wArg, in: t, what: "weight")
        return try flatSplit(total, t, values: values, column: weightColumn, at: wArg.value)
    }

    /// A table of parts with one weight per row.
    private func flatSplit(_ total: (value: Double, format: NumberFormat, expr: Expr), _ t: Table, values: [Value], column weightColumn: String?,
                           at weightExpr: Expr) throws -> Value {
        let keys = SplitSupport.rowKeys(t)
        let w = try SplitSupport.weights(values, keys: keys, function: "split", at: weightExpr)
        let parts = try allocate(total: total.expr, weights: weightExpr) { () throws(Allocation.Failure) in
            try Allocation.split(total: total.value, weights: w, keys: keys, unit: unit)
        }
        var base = t
        let weightName = try keepWeight(values, column: weightColumn, in: &base)
        var out = try finish(base, total: total, shares: parts.map(\.share), amounts: parts.map(\.amount),
                             quotas: parts.map(\.exactQuota), weightTotal: (weightName, SplitSupport.sum(values)),
                             inherited: t.display.totals)
        out.display.notes += SplitSupport.percentNote(values)
        out.display.metadata["split.amount"] = .text(output)
        return .table(out)
    }

    // MARK: shared steps

    /// Runs an allocation, turning its failure into an error value pointing at the argument to blame.
    func allocate<R>(total: Expr, weights: Expr, blame: (Allocation.Failure) -> Expr? = { _ in nil },
                     _ body: () throws(Allocation.Failure) -> R) throws -> R {
        do {
            return try body()
        } catch {
            if let e = blame(error) { throw ErrorValue(.value, "split: \(error)", span: e.span) }
            switch error {
            case .badUnit:
                throw ErrorValue(.value, "split: unit must be a positive decimal with at most 9 decimal places, got \(SplitSupport.format(unit, .plain))",
                                 span: arg("unit")?.value.span ?? weights.span)
            case .notWholeUnits:
                throw ErrorValue(.value, "split: the total is not a whole number of units of \(SplitSupport.format(unit, .plain)); "
                                    + "give a smaller `unit:`", span: total.span)
            case .tooLarge:
                throw ErrorValue(.value, "split: the total is too large to split exactly in units of \(SplitSupport.format(unit, .plain)) "
                                    + "(over 2^53 of the unit's smallest decimal); give a larger `unit:`", span: total.span)
            case .invalidTotal:
                throw ErrorValue(.value, "split: \(error)", span: total.span)
            default:
                throw ErrorValue(.value, "split: \(error)", span: weights.span)
            }
        }
    }

    /// Adds a `weight` column when the weights are not a column of the table (or would be
    /// overwritten by a result column); returns the name of the column holding them.
    func keepWeight(_ values: [Value], column: String?, in base: inout Table) throws -> String {
        let resultNames = ["share", output, "quota", "rounding"]
        if let c = column, !resultNames.contains(c) { return c }
        base = try set(base, "weight", Column(values: values))
        return "weight"
    }

    /// `t` with column `name` added or replaced.
    func set(_ t: Table, _ name: String, _ c: Column) throws -> Table {
        guard let out = t.setting(name, to: c) else { throw ctx.fail("column `\(name)` has the wrong number of rows") }
        return out
    }

    /// Appends share, the amounts and (audit) quota and rounding; sets the total row.
    func finish(_ base: Table, total: (value: Double, format: NumberFormat, expr: Expr), shares: [Double], amounts: [Double],
                quotas: [Double], weightTotal: (name: String, value: Value), inherited: [String: Value] = [:]) throws -> Table {
        var t = try set(base, "share", Column.numbers(shares, format: .percent))
        t = try set(t, output, Column.numbers(amounts, format: total.format))
        var totals = inherited.filter { t.column(named: $0.key) != nil }
        totals[weightTotal.name] = weightTotal.value
        totals["share"] = .number(1, .percent)
        totals[output] = .number(total.value, total.format)
        if audit {
            t = try set(t, "quota", Column.numbers(quotas, format: total.format))
            t = try set(t, "rounding", Column.numbers(zip(amounts, quotas).map { SplitSupport.clean($0 - $1, scale: $1) }, format: total.format))
            totals["quota"] = .number(total.value, total.format)
            totals["rounding"] = .number(0, total.format)
        }
        t.display = TableDisplay(totals: totals)
        t.display.generatedHeaders = true
        if audit {
            t.display.notes.append(Note(.splitRounding, [.number(unit, .plain)]))
            t.display.notes.append(Note(.splitRoundingMore, indent: 1))
        }
        return t
    }
}

/// An order-free sum of weights for shares.
enum PreparedSum {
    static func of(_ xs: [Double]) -> Double {
        var s = CompensatedSum()
        for x in xs.sorted() { s.add(x) }
        return s.value
    }
}

/// `split(total, t, by: tier, weight: {high: 40%, ...}, within: "equal" | column)`: the
/// total by tier, then each tier's amount among its rows.
struct TierSplit {
    let call: SplitCall
    let table: Table
    let total: (value: Double, format: NumberFormat, expr: Expr)
    let level: [String]
    let weights: Record
    let weightArg: Argument

    /// Validates the tier weights and `within:`, splits, and adds the tier columns and notes.
    func run() throws -> Value {
        let ctx = call.ctx
        guard level.count == 1, let by = level.first else {
            throw ctx.fail("tier weights given as a record need one tier column in `by:`", at: call.arg("by")?.value)
        }
        let tierWeights = try SplitSupport.weights(weights.fields.map(\.value), keys: weights.names, function: "split", at: weightArg.value)
        let keys = SplitSupport.rowKeys(table)
        let tierOfRow = (0..<table.rowCount).map { SplitSupport.key(table.column(named: by)?[$0] ?? .empty) }
        var within = WithinRule.equal
        var withinValues: [Value]?, withinColumn: String?
        let withinArg = call.arg("within")
        if let w = withinArg, !Self.isEqual(w.value, in: table) {
            let (values, column) = try SplitSupport.rowValues(ctx, w, in: table, what: "within")
            within = .weights(try SplitSupport.weights(values, keys: keys, function: "split", at: w.value))
            withinValues = values
            withinColumn = column
        }
        let tierNames = Set(weights.names)
        let result = try call.allocate(total: total.expr, weights: weightArg.value, blame: { f in
            switch f {
            case .allZeroWithin: return withinArg?.value
            case .negativeWeight(let p), .invalidWeight(let p): return tierNames.contains(p) ? nil : withinArg?.value
            default: return nil
            }
        }) { () throws(Allocation.Failure) in
            try Allocation.tiers(total: total.value, keys: keys, tierOfRow: tierOfRow,
                                 tierWeights: Array(zip(weights.names, tierWeights)).map { (tier: $0, weight: $1) },
                                 within: within, unit: call.unit)
        }
        var index: [String: Int] = [:]
        for (j, t) in result.tiers.enumerated() { index[t.tier] = j }
        let rowWeight = result.rows.map(\.weight)
        var tierWeightSum = [Double](repeating: 0, count: result.tiers.count)
        for (i, r) in result.rows.enumerated() { if let j = index[r.tier] { tierWeightSum[j] += rowWeight[i] } }
        let shares = result.rows.enumerated().map { i, r -> Double in
            guard let j = index[r.tier], tierWeightSum[j] > 0 else { return 0 }
            return result.tiers[j].share * rowWeight[i] / tierWeightSum[j]
        }
        var base = table
        base = try call.set(base, "\(by)_share", Column.numbers(result.rows.map { index[$0.tier].map { result.tiers[$0].share } ?? 0 }, format: .percent))
        base = try call.set(base, "\(by)_\(call.output)",
                            Column.numbers(result.rows.map { index[$0.tier].map { result.tiers[$0].amount } ?? 0 }, format: total.format))
        var weightTotal: (name: String, value: Value) = ("share", .number(1, .percent))
        if let values = withinValues {
            weightTotal = (try call.keepWeight(values, column: withinColumn, in: &base), SplitSupport.sum(values))
        }
        var out = try call.finish(base, total: total, shares: shares, amounts: result.rows.map(\.amount),
                                  quotas: result.rows.map(\.exactQuota), weightTotal: weightTotal,
                                  inherited: table.display.totals)
        out.display.notes = tierNotes(result, by: withinColumn ?? (withinValues == nil ? nil : "within")) + out.display.notes
        out.display.notes += SplitSupport.percentNote(weights.fields.map(\.value), what: .splitTierWeights)
        return .table(out)
    }

    /// `within: "equal"` (or a bare `equal` that is not a column).
    static func isEqual(_ e: Expr, in t: Table) -> Bool {
        switch e {
        case .text(let s, _): return s == "equal"
        case .name(let n, _): return n == "equal" && t.column(named: n) == nil
        default: return false
        }
    }

    /// One line per tier: its share, amount and how it was divided.
    private func tierNotes(_ r: TierAllocation, by column: String?) -> [Note] {
        let width = r.tiers.map(\.tier.count).max() ?? 0
        return r.tiers.map { t in
            let name = t.tier + String(repeating: " ", count: max(0, width - t.tier.count))
            let head: [NotePart] = [.text(name), .number(t.share, .percent), .number(t.amount, total.format)]
            guard t.members > 0 else { return Note(.tierLine, head + [.phrase(.tierNoRows)]) }
            let amounts = Set(r.rows.filter { $0.tier == t.tier }.map(\.amount))
            let each: NotePart = amounts.count == 1 && t.members > 1 ? amounts.first.map { .phrase(.tierEach, [.number($0, total.format)]) } ?? .text("")
                : .text("")
            let over = NotePart.phrase(.tierOver, [.counted(t.members, .nounRow), column.map { .phrase(.tierBy, [.text($0)]) } ?? .text(""), each])
            return Note(.tierLine, head + [over])
        }
    }
}

extension PreparedSum {
    /// A compensated sum in the given order.
    static func plain(_ xs: [Double]) -> Double {
        var s = CompensatedSum()
        for x in xs { s.add(x) }
        return s.value
    }
}

extension SplitSupport {
    /// `weight:` given as a record keyed by part (`{Q1: 20, Q2: 30}`), or nil when it is per row.
    static func recordWeights(_ ctx: CallContext, _ a: Argument, in t: Table) throws -> Record? {
        if case .record = a.value {} else if case .name(let n, _) = a.value, t.column(named: n) == nil {} else { return nil }
        let v = try ctx.evaluate(a.value, columnsOf: t)
        if case .record(let r) = v { return r }
        return nil
    }

    /// The name of each row for a keyed record: its period label when the table is a
    /// calendar (a `period` column of labels like 2026-Q1), else its first text column.
    static func rowLabels(_ t: Table) -> (labels: [String], periods: Bool) {
        if let c = t.column(named: "period") {
            let labels = (0..<c.count).map { key(c[$0]) }
            if labels.allSatisfy({ Periods.kind(of: $0) != nil }) { return (labels, true) }
        }
        return (rowKeys(t), false)
    }
}
