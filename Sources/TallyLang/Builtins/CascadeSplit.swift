import TallyAnalytics
import TallyCore

/// `split(q, months(2026))`: every period's target of a split result (a quarter's) split
/// over the periods of a calendar table that lie within it (its months), each parent's
/// parts adding up to it exactly. Weights: the days of each part by default, `workdays:
/// true`, or `weight:` per child period (a column, a list, or a record keyed by period).
struct CascadeSplit {
    let call: SplitCall
    let parents: Table
    let children: Table
    let totalExpr: Expr
    let childExpr: Expr

    /// How each part is weighed.
    private enum Basis {
        case days, workdays
        /// One weight per child period (cut parts get their share by days).
        case perChild([Value], column: String?)
    }

    func run() throws -> Value {
        let ctx = call.ctx
        let parentPeriods = try PeriodRows.read(parents, ctx: ctx, at: totalExpr, role: "the targets to split")
        let childPeriods = try PeriodRows.read(children, ctx: ctx, at: childExpr, role: "the periods to split into")
        let amountName = try amountColumn()
        let amountColumn = parents.column(named: amountName)
        let format = amountColumn?.format ?? .plain
        let amounts = try SplitSupport.weights(amountColumn?.values ?? [], keys: parentPeriods.map(\.label), function: "split",
                                               at: totalExpr, noun: amountName)
        let nesting: PeriodNesting
        do {
            nesting = try Periods.nest(children: childPeriods, in: parentPeriods)
        } catch {
            if case .overlap(_, _, let p) = error { throw ctx.fail("\(error)", at: p ? totalExpr : childExpr) }
            throw ctx.fail("\(error)", at: childExpr)
        }
        let pieces = nesting.pieces
        let basis = try self.basis(childPeriods)
        let weights = try pieceWeights(pieces, basis: basis, periods: childPeriods)
        let result = try allocate(parentPeriods, amounts: amounts, pieces: pieces, weights: weights, format: format)
        let u = try? AllocationUnit(call.unit)
        var grandUnits: Int64? = 0
        for p in result.parents {
            let (sum, overflow) = (grandUnits ?? 0).addingReportingOverflow(p.amountUnits)
            grandUnits = overflow || grandUnits == nil ? nil : sum
        }
        let grand = grandUnits.flatMap { g in u?.amount(units: g) } ?? PreparedSum.plain(amounts)
        return .table(try table(pieces, periods: childPeriods, parentPeriods: parentPeriods, amounts: amounts, amountName: amountName,
                                 basis: basis, weights: weights, result: result, grand: grand, format: format, nesting: nesting))
    }

    /// The parents' amounts: the column a split result names, else `target`.
    private func amountColumn() throws -> String {
        if case .text(let n)? = parents.display.metadata["split.amount"], parents.column(named: n) != nil { return n }
        if parents.column(named: "target") != nil { return "target" }
        throw call.ctx.fail("the targets to split need a `target` column", at: totalExpr,
                            hint: "rename the amounts: add(t, target: amount)")
    }

    /// `workdays: true`, `weight:`, or days.
    private func basis(_ periods: [Period]) throws -> Basis {
        let ctx = call.ctx
        let byWorkdays = try ctx.boolean("workdays")
        guard let w = call.arg("weight") else { return byWorkdays ? .workdays : .days }
        if byWorkdays {
            throw ctx.fail("`workdays: true` weighs by working days: give it or `weight:`, not both", at: ctx.argument("workdays")?.value)
        }
        if case .name(let n, _) = w.value, children.column(named: n) != nil {
            if n == "days" { return .days }
            if n == "workdays" { return .workdays }
        }
        if let r = try SplitSupport.recordWeights(ctx, w, in: children) {
            return .perChild(try KeyedWeights(ctx: ctx, record: r, at: w.value).match(periods.map(\.label), periods: true), column: nil)
        }
        let (values, column) = try SplitSupport.rowValues(ctx, w, in: children, what: "weight")
        return .perChild(values, column: column)
    }

    /// One weight per piece: its days or working days, or its period's weight (a cut
    /// period's weight shared among its parts by days).
    private func pieceWeights(_ pieces: [PeriodPiece], basis: Basis, periods: [Period]) throws -> [Double] {
        switch basis {
        case .days: return pieces.map { Double($0.days) }
        case .workdays: return pieces.map { Double($0.workdays) }
        case .perChild(let values, _):
            let w = try SplitSupport.weights(values, keys: periods.map(\.label), function: "split", at: call.arg("weight")?.value)
            return pieces.map { p in
                guard p.isCut else { return w[p.child] }
                let whole = Int(periods[p.child].end.days) - Int(periods[p.child].start.days) + 1
                return whole > 0 ? w[p.child] * Double(p.days) / Double(whole) : 0
            }
        }
    }

    /// Runs the allocation, naming the parent or child at fault.
    private func allocate(_ parentPeriods: [Period], amounts: [Double], pieces: [PeriodPiece], weights: [Double],
                          format: NumberFormat) throws -> CascadeAllocation {
        let keys = parentPeriods.map(\.label)
        let weightExpr = call.arg("weight")?.value ?? call.arg("workdays")?.value ?? childExpr
        do {
            return try Allocation.cascade(parents: Array(zip(keys, amounts)).map { (key: $0, amount: $1) },
                                          parentOfChild: pieces.map(\.parent), weights: weights,
                                          keys: pieces.map(\.start.iso), unit: call.unit)
        } catch {
            let amountOf = { (p: String) -> String in
                keys.firstIndex(of: p).map { SplitSupport.format(amounts[$0], format) } ?? ""
            }
            switch error {
            case .partNotWholeUnits(let p):
                throw ErrorValue(.value, "split: the target of \(p) (\(amountOf(p))) is not a whole number of units of "
                                    + "\(SplitSupport.format(call.unit, .plain)); give a smaller `unit:`", span: totalExpr.span)
            case .emptyGroup(let p):
                throw ErrorValue(.value, "split: \(p) has a target of \(amountOf(p)) but no period of the table lies within it",
                                 span: childExpr.span)
            case .allZeroWithin(let p):
                throw ErrorValue(.value, "split: every weight within \(p) is zero; its target of \(amountOf(p)) would be lost",
                                 span: weightExpr.span)
            default:
                return try call.allocate(total: totalExpr, weights: weightExpr) { () throws(Allocation.Failure) -> CascadeAllocation in
                    throw error
                }
            }
        }
    }

    /// The pieces with their periods' columns, the ancestors' and parent's levels, weight, share and target.
    private func table(_ pieces: [PeriodPiece], periods: [Period], parentPeriods: [Period], amounts: [Double], amountName: String,
                       basis: Basis, weights: [Double], result: CascadeAllocation, grand: Double, format: NumberFormat,
                       nesting: PeriodNesting) throws -> Table {
        var base = periodColumns(children).gather(pieces.map(\.child))
        base.display = TableDisplay()
        base = try call.set(base, "start", Column(storage: .date(pieces.map(\.start.days))))
        base = try call.set(base, "end", Column(storage: .date(pieces.map(\.end.days))))
        base = try call.set(base, "days", Column.numbers(pieces.map { Double($0.days) }))
        base = try call.set(base, "workdays", Column.numbers(pieces.map { Double($0.workdays) }))
        var levels: [String] = []
        if case .list(let names)? = parents.display.metadata["split.levels"] {
            for case .text(let ancestor) in names.dropLast() {
                for name in [ancestor, "\(ancestor)_\(amountName)"] {
                    guard let c = parents.column(named: name), base.column(named: name) == nil else { continue }
                    base = try call.set(base, name, c.gather(pieces.map(\.parent)))
                }
                levels.append(ancestor)
            }
        }
        var kind = Periods.kind(of: parentPeriods.first?.label ?? "") ?? "parent"
        if base.column(named: kind) != nil || parentPeriods.contains(where: { Periods.kind(of: $0.label) != kind }) { kind = "parent" }
        base = try call.set(base, kind, Column(values: pieces.map { .text(parentPeriods[$0.parent].label) }))
        base = try call.set(base, "\(kind)_\(call.output)", Column.numbers(pieces.map { amounts[$0.parent] }, format: format))
        levels += [kind, children.column(named: "period") != nil ? "period" : kind]
        let weightName: String
        var weightTotal: Value
        switch basis {
        case .days: weightName = "days"
        case .workdays: weightName = "workdays"
        case .perChild(let values, let column):
            if let c = column, !pieces.contains(where: \.isCut), !["share", call.output, "quota", "rounding"].contains(c) {
                weightName = c
            } else {
                weightName = "weight"
                let f: NumberFormat = values.first.flatMap { if case .number(_, let f) = $0 { return f } else { return nil } } ?? .plain
                base = try call.set(base, "weight", Column.numbers(weights, format: f))
            }
        }
        weightTotal = SplitSupport.sum(base.column(named: weightName)?.values ?? [])
        let amounts = result.children.map(\.amount)
        let quotas = result.children.map(\.exactQuota)
        var out = try call.finish(base, total: (grand, format, totalExpr), shares: quotas.map { grand == 0 ? 0 : $0 / grand },
                                  amounts: amounts, quotas: quotas, weightTotal: (weightName, weightTotal),
                                  inherited: ["days": SplitSupport.sum(base.column(named: "days")?.values ?? []),
                                              "workdays": SplitSupport.sum(base.column(named: "workdays")?.values ?? [])])
        if levels.last == kind { levels.removeLast() }
        out.display.metadata["split.levels"] = .list(levels.map(Value.text))
        out.display.metadata["split.amount"] = .text(call.output)
        out.display.notes += notes(pieces, periods: periods, parentPeriods: parentPeriods, nesting: nesting, basis: basis)
        if case .perChild(let values, _) = basis { out.display.notes += SplitSupport.percentNote(values) }
        return out
    }

    /// The children's columns; of a split result (splitting into another split's periods),
    /// only its periods: its weights, shares and amounts would read as this split's.
    private func periodColumns(_ t: Table) -> Table {
        guard case .text(let amount)? = t.display.metadata["split.amount"] else { return t }
        var levels: Set<String> = []
        if case .list(let names)? = t.display.metadata["split.levels"] { for case .text(let n) in names.dropLast() { levels.insert(n) } }
        let dropped: Set<String> = ["weight", "share", "quota", "rounding", amount]
        let kept = t.names.indices.filter { i in
            let n = t.names[i]
            return !dropped.contains(n) && !n.hasSuffix("_" + amount) && !levels.contains(n)
        }
        return Table(names: kept.map { t.names[$0] }, columns: kept.map { t.columns[$0] }) ?? t
    }

    /// Periods cut in two, days left out, parents partly covered.
    private func notes(_ pieces: [PeriodPiece], periods: [Period], parentPeriods: [Period], nesting: PeriodNesting, basis: Basis) -> [Note] {
        var out: [Note] = []
        var cut: [Int] = []
        for p in pieces where p.isCut && !cut.contains(p.child) { cut.append(p.child) }
        if !cut.isEmpty {
            let how: MessageKey
            switch basis {
            case .days: how = .splitByDays
            case .workdays: how = .splitByWorkdays
            case .perChild: how = .splitByShare
            }
            out.append(Note(.splitCut, [.phrase(how), Self.listPart(cut.map { .text(periods[$0].label) })]))
        }
        if !nesting.outside.isEmpty {
            out.append(Note(.splitOutside, [Self.listPart(nesting.outside.map { o in
                .phrase(.periodSpan, [.text(periods[o.child].label),
                                      o.start == o.end ? .text(o.start.iso) : .phrase(.dateRange, [.text(o.start.iso), .text(o.end.iso)])])
            })]))
        }
        for (i, gap) in nesting.uncovered.enumerated() where gap.workdays > 0 {
            out.append(Note(.splitUncovered, [.text(parentPeriods[i].label), .count(gap.days), .count(parentPeriods[i].days)]))
        }
        return out
    }

    /// `list` as a note part: up to four items, or three and how many more.
    static func listPart(_ xs: [NotePart]) -> NotePart {
        xs.count <= 4 ? .list(xs) : .phrase(.listMore, [.list(Array(xs.prefix(3))), .count(xs.count - 3)])
    }

    /// "a, b, c and 4 more".
    static func list(_ xs: [String]) -> String {
        xs.count <= 4 ? xs.joined(separator: ", ") : xs.prefix(3).joined(separator: ", ") + " and \(xs.count - 3) more"
    }
}

/// A table's rows read as periods: `start` and `end` date columns (a calendar table or a
/// split over one), or labels like `2026-Q1` in its `period` (or first text) column.
enum PeriodRows {
    static func read(_ t: Table, ctx: CallContext, at e: Expr, role: String) throws -> [Period] {
        guard t.rowCount > 0 else { throw ErrorValue(.value, "split: \(role): the table has no rows", span: e.span) }
        let labelColumn = t.column(named: "period")
            ?? t.columns.first { if case .text = $0.storage { return true } else { return false } }
        var out: [Period] = []
        out.reserveCapacity(t.rowCount)
        if let sc = t.column(named: "start"), let ec = t.column(named: "end") {
            // A calendar's workdays column knows its holidays; a cell that cannot be a count of days is recounted.
            let work = t.column(named: "workdays")
            for i in 0..<t.rowCount {
                guard case .date(let s) = sc[i], case .date(let d) = ec[i], d >= s else {
                    throw ErrorValue(.value, "split: \(role): row \(i + 1) needs a start date and an end date on or after it", span: e.span)
                }
                let label = labelColumn.map { SplitSupport.key($0[i]) } ?? (s == d ? s.iso : s.iso + " to " + d.iso)
                let n = Int(d.days) - Int(s.days) + 1
                let given = work?[i].numberValue.flatMap { x in x >= 0 && x <= Double(n) ? Int(exactly: x) : nil }
                let workCount = given ?? WorkCalendar.weekdays.workdays(from: s, to: d)
                out.append(Period(label: label, start: s, end: d, days: n, workdays: workCount))
            }
            return out
        }
        guard let labels = labelColumn else {
            throw ctx.fail("\(role) need periods: start and end dates, or labels like 2026-Q1 in a `period` column", at: e,
                           hint: "split(split(1.2亿, quarters(2026), weight: [20, 30, 20, 30]), months(2026))")
        }
        for i in 0..<t.rowCount {
            let label = SplitSupport.key(labels[i])
            guard let p = CalendarSupport.period(.text(label), calendar: .weekdays) else {
                throw ctx.fail("\(role): `\(label)` is not a period; write 2026, 2026-Q1, 2026-01 or 2026-W01", at: e)
            }
            out.append(Period(label: label, start: p.start, end: p.end, days: Int(p.end.days) - Int(p.start.days) + 1,
                              workdays: WorkCalendar.weekdays.workdays(from: p.start, to: p.end)))
        }
        return out
    }
}
