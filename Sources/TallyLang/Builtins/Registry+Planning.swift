import TallyAnalytics
import TallyCore

extension Registry {
    /// tree, levels, assign, progress.
    static let planningFunctions: [Builtin] = [
        Builtin("tree", category: .analytics,
                parameters: [.required("t", .table), .option("by", .columns(of: "t"), help: "the levels, top first"),
                             .option("value", .column(of: "t"), default: .text("target"), help: "the amount column")],
                summary: "A goal tree drawn indented: one row per node, parents before children, with its amount and shares.",
                details: """
                For the result of split(total, t, by: [channel, line], weight: w) the levels are found from its
                subtotal columns (channel_target, line_target); on any other table give `by:` and `value:`, and each
                node's amount is the sum of its rows. Siblings come largest first (periods in calendar order); a
                long tree is cut only at its end, never in the middle. `of_parent` is the node's share of its
                parent, `of_total` its share of the whole.
                """,
                example: "tree(split(1000, table(ch: [\"Tmall\", \"Tmall\", \"JD\"], line: [\"TV\", \"fridge\", \"TV\"], w: [5, 3, 2]), by: [ch, line], weight: w))") { ctx in
            try TreeView(ctx: ctx).run()
        },
        { () -> Builtin in
            var b = Builtin("levels", category: .analytics,
                    parameters: [.required("target"), .optional("floor", .number(0.9, .percent)), .optional("stretch", .number(1.2, .percent)),
                                 .optional("unit", nil, .number),
                                 Parameter(name: "value", kind: .column(of: "target"), arity: .optional, shown: false)],
                    summary: "Floor (保底), standard (标准) and stretch (挑战) levels of a target.",
                    details: """
                    levels(12000) gives {floor: 10,800, standard: 12,000, stretch: 14,400}. Ratios need
                    0 <= floor <= 100% <= stretch. `unit: 10000` rounds floor and stretch to whole units (halves away
                    from zero); the standard level is the target unchanged. A list or column of targets gives a table
                    with floor, standard and stretch columns; a table (a split result) gets floor and stretch columns
                    beside its `target` column (or `value: column`).
                    """,
                    example: "levels(12000, floor: 90%, stretch: 120%)") { a in
                try LevelsCall.run(a)
            }
            return b
        }(),
        Builtin("assign", category: .analytics,
                parameters: [.required("customers", .table), .required("reps", .table),
                             .option("value", .column(of: "customers"), help: "the customers' value to balance (each counts 1 without it)"),
                             .option("by", .described("column"), help: "a customer goes to a rep of the same value"),
                             .option("capacity", .column(of: "reps"), help: "each rep's relative capacity"),
                             .option("customer", .column(of: "customers"), help: "the customers' names (default: the first text column)", shown: false),
                             .option("rep", .column(of: "reps"), help: "the reps' names (default: the first text column)", shown: false)],
                summary: "Gives each customer to a rep, matching `by:` and balancing total value per rep; notes each rep's load.",
                details: """
                Customers are taken largest value first (ties by customer name) and each goes to the rep with the
                smallest load / capacity among the reps of its `by:` group (ties to the rep whose name sorts first),
                so capacity 2 carries about twice the value of capacity 1. Without `value:` every customer counts 1.
                A customer whose group has no rep stays unassigned (empty rep) and is listed. The result is the
                customers table with a `rep` column; the notes give each rep's load and the spread between the most
                and least loaded (within each group when `by:` is given). Names come from the first text column of
                each table, or `customer: col` and `rep: col`. Greedy, not optimal: the largest load is within 4/3
                of the best possible.
                """,
                example: "assign(table(c: [\"A\", \"B\", \"C\", \"D\"], v: [50, 40, 30, 20]), table(rep: [\"Li\", \"Wang\"]), value: v)") { ctx in
            try AssignCall(ctx: ctx).run()
        },
        Builtin("progress", category: .analytics,
                parameters: [.required("actual", .value, help: "a number, or a table of actual rows"),
                             .required("target", .value, help: "a number, or a table of targets"),
                             .option("by", .described("column"), help: "the key column of both tables, or an expression over the actual's"),
                             .option("period", .described("\"2026-Q2\""), help: "the period the target is for"),
                             .option("asof", .date, help: "the day the actual runs to"),
                             .option("value", .described("column"), help: "the figures of the actual table", shown: false),
                             .option("goal", .described("column"), help: "the figures of the target table", shown: false),
                             .option("date", .described("column"), help: "the date column of the actual table", shown: false),
                             .option("workdays", .boolean, default: .bool(false), help: "count working days, not calendar days", shown: false),
                             .option("holidays", .dates, help: "days off", shown: false),
                             .option("extra_workdays", .dates, help: "weekend days worked", shown: false)],
                summary: "Actual against target: completion %, gap and, with a period, the daily run rate still needed.",
                details: """
                actual and target are numbers or tables. With `by: key` both tables are summed per key (actual rows
                from `value: column`, target rows from `goal: column`, by default the table's `target` column or its
                only number column); keys come in the order of the target. `by:` may be an expression over the
                actual's columns, matched to the target's key column (its only other column):
                progress(orders, targets, by: month_start(order_date), value: amount). Keys of different types (a
                month number against a date) are refused. Keys with actuals but no target are left out and
                noted, so the total row sums the rows shown. `period:` is "2026", "2026-Q2", "2026-05",
                "2026-W20", [start, end] or one row of a calendar table; `asof:` is the day the actual
                runs to (it counts as gone), by default the last date in the actual's date column. With a period,
                actual rows dated outside it (or after asof) are left out (`date: column` picks the column). Days
                are calendar days, or with `workdays: true` working days (`holidays:`, `extra_workdays:`).
                daily_needed = max(gap, 0) / days left; projected = actual / days gone × days in the period.
                """,
                example: "progress(7000, 12000, period: \"2026-Q2\", asof: date(\"2026-05-15\"))") { ctx in
            try ProgressCall(ctx: ctx).run()
        },
    ]
}

/// `levels(target, floor: 90%, stretch: 120%, unit:)`.
enum LevelsCall {
    /// A record for a number, a table of levels for a list, floor and stretch columns for a table.
    static func run(_ a: Arguments) throws -> Value {
        let floor = try a.number("floor"), stretch = try a.number("stretch")
        let unit = a["unit"] == nil ? nil : try a.number("unit")
        func one(_ x: Double) throws -> TargetLevels {
            do {
                return try TargetLevels.levels(target: x, floor: floor, stretch: stretch, unit: unit)
            } catch {
                throw ErrorValue(.value, "levels: \(error)")
            }
        }
        let target = try a.value("target")
        switch target {
        case .number(let x, let f):
            let l = try one(x)
            return .record(Record([("floor", .number(l.floor, f)), ("standard", .number(l.standard, f)), ("stretch", .number(l.stretch, f))]))
        case .list, .column:
            let xs = try SplitSupport.weights(target.elements ?? [], keys: (target.elements ?? []).indices.map { String($0 + 1) },
                                              function: "levels", at: nil, noun: "target")
            let ls = try xs.map(one)
            let f = target.elements?.first?.numberValue == nil ? NumberFormat.plain : a.format("target")
            guard var t = Table(names: ["floor", "standard", "stretch"],
                                columns: [Column.numbers(ls.map(\.floor), format: f), Column.numbers(ls.map(\.standard), format: f),
                                          Column.numbers(ls.map(\.stretch), format: f)]) else { return .empty }
            t.display.generatedHeaders = true
            return .table(t)
        case .table(let t):
            let name = a["value"].map(Operators.display) ?? "target"
            guard let c = t.column(named: name) else {
                throw ErrorValue(.value, "levels: the table has no column `\(name)`; say which holds the targets: value: column")
            }
            let ls = try SplitSupport.weights(c.values, keys: SplitSupport.rowKeys(t), function: "levels",
                                              at: nil, noun: name).map(one)
            guard var out = t.setting("floor", to: Column.numbers(ls.map(\.floor), format: c.format))?
                .setting("stretch", to: Column.numbers(ls.map(\.stretch), format: c.format)) else { return .empty }
            var totals = t.display.totals
            if !totals.isEmpty {
                totals["floor"] = SplitSupport.sum(out.column(named: "floor")?.values ?? [])
                totals["stretch"] = SplitSupport.sum(out.column(named: "stretch")?.values ?? [])
            }
            out.display = TableDisplay(totals: totals, totalLabel: t.display.totalLabel, notes: t.display.notes)
            out.display.generatedHeaders = t.display.generatedHeaders
            return .table(out)
        default:
            throw ErrorValue(.value, "levels: the target must be a number, a list or a table, got \(SplitSupport.article(target.typeName))")
        }
    }
}

/// `assign(customers, reps, value:, by:, capacity:, customer:, rep:)`.
struct AssignCall {
    let ctx: CallContext

    /// Reads both tables and the options, assigns, and returns the customers with a `rep` column.
    func run() throws -> Value {
        let pos = [try ctx.required("customers"), try ctx.required("reps")]
        let customers = try ctx.table(pos[0]), reps = try ctx.table(pos[1])
        let customerKeys = try keys(customers, label: "customer", at: pos[0].value)
        let repKeys = try keys(reps, label: "rep", at: pos[1].value)
        var values = [Double](repeating: 1, count: customers.rowCount)
        var valueColumn: String?, valueFormat = NumberFormat.plain
        if let v = ctx.argument("value") {
            let (vs, col) = try SplitSupport.rowValues(ctx, v, in: customers, what: "value")
            values = try SplitSupport.weights(vs, keys: customerKeys, function: "assign", at: v.value, noun: "value")
            valueColumn = col
            if case .number(_, let f)? = vs.first { valueFormat = f }
        }
        var customerGroups = [String?](repeating: nil, count: customers.rowCount)
        var repGroups = [String?](repeating: nil, count: reps.rowCount)
        if let b = ctx.argument("by") {
            let name = try ctx.columnName(b.value, in: customers)
            guard let rc = reps.column(named: name), let cc = customers.column(named: name) else {
                throw ctx.fail("the reps table has no column `\(name)` to match on", at: b.value,
                               hint: "both tables need the `by:` column; its columns: " + reps.names.joined(separator: ", "))
            }
            customerGroups = cc.values.map { $0.isEmpty ? nil : Operators.display($0) }
            repGroups = rc.values.map { $0.isEmpty ? nil : Operators.display($0) }
        }
        var capacities = [Double?](repeating: nil, count: reps.rowCount)
        if let c = ctx.argument("capacity") {
            let (vs, _) = try SplitSupport.rowValues(ctx, c, in: reps, what: "capacity")
            for (i, v) in vs.enumerated() {
                switch v {
                case .number(let x, _): capacities[i] = x
                case .empty: continue
                case .error(let e): throw e
                default: throw ErrorValue(.value, "assign: capacity of \(repKeys[i]) is not a number", span: c.value.span)
                }
            }
        }
        let result: Assignment.Result
        do {
            result = try Assignment.assign(
                customers: customers.rowCount == 0 ? [] : (0..<customers.rowCount).map {
                    Assignment.Customer(key: customerKeys[$0], value: values[$0], group: customerGroups[$0])
                },
                reps: (0..<reps.rowCount).map { Assignment.Rep(key: repKeys[$0], group: repGroups[$0], capacity: capacities[$0]) })
        } catch {
            throw ErrorValue(.value, "assign: \(error)")
        }
        guard var out = customers.setting("rep", to: Column(values: result.placements.map { $0.rep.map(Value.text) ?? .empty })) else {
            throw ctx.fail("the assignment does not fit the customers table")
        }
        out.display = TableDisplay(totals: valueColumn.map { [$0: .number(PreparedSum.plain(values), valueFormat)] } ?? [:],
                                   notes: notes(result, format: valueFormat, grouped: ctx.argument("by") != nil,
                                                capacity: ctx.argument("capacity") != nil))
        return .table(out)
    }

    /// The names of a table's rows: `customer:` / `rep:`, else the first text column.
    private func keys(_ t: Table, label: String, at e: Expr) throws -> [String] {
        let name: String
        if let a = ctx.argument(label) {
            name = try ctx.columnName(a.value, in: t)
        } else if let i = t.columns.firstIndex(where: { if case .text = $0.storage { return true } else { return false } }) {
            name = t.names[i]
        } else {
            throw ctx.fail("the \(label)s table needs a text column naming each \(label)", at: e, hint: "say which: \(label): column")
        }
        return (t.column(named: name)?.values ?? []).map(SplitSupport.key)
    }

    /// One line per rep (load, customers, capacity), the spread, and the unassigned customers.
    /// The loads as notes: one line per rep, aligned (names, groups and loads are padded
    /// texts, the words come from the catalogue), then the spread and the unassigned.
    private func notes(_ r: Assignment.Result, format f: NumberFormat, grouped: Bool, capacity: Bool) -> [Note] {
        func amount(_ x: Double) -> String { SplitSupport.format(x, f) }
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        var out = [Note(capacity ? .assignLoadsCapacity : .assignLoads)]
        let nameWidth = r.loads.map(\.rep.count).max() ?? 0, groupWidth = r.loads.map { ($0.group ?? "").count }.max() ?? 0
        let loadTexts = r.loads.map { amount($0.load) }
        let loadWidth = loadTexts.map(\.count).max() ?? 0
        for (l, text) in zip(r.loads, loadTexts) {
            var line = pad(l.rep, nameWidth)
            if grouped { line += "  " + pad(l.group ?? "", groupWidth) }
            line += "  " + String(repeating: " ", count: loadWidth - text.count) + text
            var capacityPart = NotePart.text("")
            if capacity {
                let perUnit = l.relativeLoad.map { NotePart.phrase(.assignPerUnit, [.text(amount($0))]) } ?? .text("")
                capacityPart = .phrase(.assignCapacity, [.text(Operators.plainNumber(l.capacity)), perUnit])
            }
            out.append(Note(.assignLoadLine, [.text(line), .counted(l.customers, .nounCustomer), capacityPart], indent: 1))
        }
        func spread(_ s: Assignment.Spread, in group: String?) -> Note {
            let key: MessageKey = switch (capacity, group != nil) {
            case (false, false): .assignSpread
            case (true, false): .assignSpreadPerUnit
            case (false, true): .assignSpreadIn
            case (true, true): .assignSpreadPerUnitIn
            }
            return Note(key, [.text(amount(s.difference)), .text(amount(s.max)), .text(amount(s.min)), .text(group ?? "")])
        }
        if grouped {
            for g in r.groupSpreads { out.append(spread(g.spread, in: g.group)) }
        } else if let s = capacity ? r.relativeSpread : r.spread {
            out.append(spread(s, in: nil))
        }
        let unassigned = r.placements.filter { $0.rep == nil }
        if !unassigned.isEmpty {
            out.append(Note(.assignUnassigned, [.list(unassigned.map { p -> NotePart in
                let why: NotePart = switch p.reason {
                case .noRepInGroup(let g): .phrase(.assignNoRepInGroup, [.text(g)])
                case .noCapacityInGroup(let g): .phrase(.assignNoCapacityInGroup, [.text(g)])
                case nil: .phrase(.assignNoRep)
                }
                return .phrase(.assignUnassignedOne, [.text(p.customer), why])
            })]))
        }
        return out
    }
}

/// `progress(actual, target, by:, value:, goal:, period:, asof:, date:, workdays:, holidays:, extra_workdays:)`.
struct ProgressCall {
    let ctx: CallContext

    /// Summed rows of one side: (key, value) and the number format of the values.
    typealias Side = (rows: [(key: String, value: Double)], format: NumberFormat, cells: [String: Value])

    /// Reads both sides, the period and the days, then gives a record (no `by:`) or a table per key.
    func run() throws -> Value {
        let pos = [try ctx.required("actual"), try ctx.required("target")]
        let actual = try ctx.value("actual") ?? .empty, target = try ctx.value("target") ?? .empty
        if case .error(let e) = actual { throw e }
        if case .error(let e) = target { throw e }
        let calendar = try workCalendar()
        let workdays = try ctx.boolean("workdays")
        var period: PlanPeriod?
        if let p = ctx.argument("period") {
            let v = try ctx.evaluate(p.value)
            if case .error(let e) = v { throw e }
            guard let found = CalendarSupport.period(v, calendar: calendar) else {
                throw ErrorValue(.value, "progress: cannot read the period \(Operators.display(v)); write \"2026-Q2\", \"2026-05\", "
                                    + "\"2026-W20\", [start, end] or give one row of a calendar table", span: p.value.span)
            }
            period = found
        } else if let a = ctx.argument("asof") {
            throw ctx.fail("`asof:` goes with `period:`", at: a.value, hint: "progress(sales, 12000, period: \"2026-Q2\", asof: date(\"2026-05-15\"))")
        }
        var asof = try ctx.date("asof")
        var notes: [Note] = []
        let a = try side(actual, at: pos[0].value, what: "actual", period: period, asof: &asof, notes: &notes)
        let t = try side(target, at: pos[1].value, what: "target", period: nil, asof: &asof, notes: &notes)
        try checkKeyTypes(a.cells, t.cells)
        var days: RunDays?
        if let p = period {
            guard let d = asof else {
                throw ctx.fail("needs `asof:`, the day the actual runs to, to know how much of the period is gone",
                               hint: "progress(sales, 12000, period: \"2026-Q2\", asof: date(\"2026-05-15\"))")
            }
            let run = try p.runDays(asOf: d, workdaysOnly: workdays, calendar: calendar)
            days = run
            notes.insert(Note(.progressDays, [.text(p.label), .date(p.start), .date(p.end), .date(d), .count(run.elapsed),
                                              .counted(run.total, workdays ? .nounWorkingDay : .nounDay),
                                              .number(run.total > 0 ? Double(run.elapsed) / Double(run.total) : 0, .percent),
                                              .count(run.remaining)]), at: 0)
        }
        let format = a.format == .plain ? t.format : a.format
        guard ctx.argument("by") != nil else {
            let r = TargetProgress.compute(actual: PreparedSum.plain(a.rows.map(\.value)), target: PreparedSum.plain(t.rows.map(\.value)), days: days)
            return .record(record(r, format))
        }
        var targetKey: String?
        if case .table(let tt) = target { targetKey = try keyCells(tt, what: "target")?.name }
        return .table(try table(TargetProgress.byKey(actual: a.rows, target: t.rows, days: days), days: days, format: format,
                                cells: t.cells.merging(a.cells) { first, _ in first }, notes: notes, targetKey: targetKey))
    }

    /// The key of each row of one side: `by:` names a column of both tables, or is an
    /// expression over the actual's columns (`month_start(order_date)`) matched against the
    /// target's own key column (its only column besides the figures). Nil without `by:`.
    private func keyCells(_ t: Table, what: String) throws -> (name: String, cells: [Value])? {
        guard let b = ctx.argument("by") else { return nil }
        switch b.value {
        case .name(let n, _) where t.column(named: n) != nil: return (n, t.column(named: n)?.values ?? [])
        case .name, .text:
            let n = try ctx.columnName(b.value, in: t)
            return (n, t.column(named: n)?.values ?? [])
        default: break
        }
        if what == "target" {
            let goal = try numberColumn(t, label: "goal", what: what, preferred: "target", excluding: [])
            let others = t.names.filter { $0 != goal }
            guard others.count == 1 else {
                throw ctx.fail("which column of the target table holds the keys `by:` matches? its columns: "
                               + t.names.joined(separator: ", "), at: b.value, hint: "keep the key and the figures: select(targets, month, target)")
            }
            return (others[0], t.column(named: others[0])?.values ?? [])
        }
        let v = try ctx.evaluate(b.value, columnsOf: t)
        if case .error(let e) = v { throw e }
        guard let xs = v.elements, xs.count == t.rowCount else {
            throw ctx.fail("`by:` must be a column or an expression over the actual's columns, one key per row; got \(SplitSupport.article(v.typeName))",
                           at: b.value)
        }
        return ("key", xs)
    }

    /// Keys of different types never match (a month number against a month's first day): refused, naming both.
    private func checkKeyTypes(_ actual: [String: Value], _ target: [String: Value]) throws {
        func types(_ cells: [String: Value]) -> Set<String> { Set(cells.values.filter { !$0.isEmpty }.map(\.typeName)) }
        let a = types(actual), t = types(target)
        guard !a.isEmpty, !t.isEmpty, a.isDisjoint(with: t) else { return }
        let plural = { (s: Set<String>) in s.sorted().map { $0 + "s" }.joined(separator: " and ") }
        throw ctx.fail("the actual's keys are \(plural(a)) but the target's are \(plural(t)): they never match", at: ctx.argument("by")?.value,
                       hint: "give both the same type, e.g. by: month_start(order_date) against a column of dates")
    }

    /// `holidays:` and `extra_workdays:`.
    private func workCalendar() throws -> WorkCalendar {
        let h = try ctx.dates("holidays"), x = try ctx.dates("extra_workdays")
        do {
            return try WorkCalendar(holidays: h, extraWorkdays: x)
        } catch {
            throw ErrorValue(.value, "progress: \(error)")
        }
    }

    /// A number, or a table's value column summed per `by:` key (actual rows limited to the period).
    private func side(_ v: Value, at e: Expr, what: String, period: PlanPeriod?, asof: inout TallyDate?, notes: inout [Note]) throws -> Side {
        switch v {
        case .number(let x, let f):
            if let b = ctx.argument("by") { throw ctx.fail("`by:` needs the \(what) as a table", at: b.value) }
            return ([(key: "", value: x)], f, [:])
        case .table(let t):
            let keyed = try keyCells(t, what: what)
            let key = keyed?.name
            var rows = Array(0..<t.rowCount)
            var dateName: String?
            if let p = period, let dn = try dateColumn(t) {
                dateName = dn
                let dates = (t.column(named: dn)?.values ?? []).map { v -> TallyDate? in if case .date(let d) = v { return d }; return nil }
                if asof == nil { asof = dates.compactMap { $0 }.filter { $0 >= p.start }.max().map { min($0, p.end) } }
                let last = min(asof ?? p.end, p.end)
                rows = rows.filter { i in dates[i].map { $0 >= p.start && $0 <= last } ?? false }
                if rows.count != t.rowCount {
                    notes.append(Note(.progressCounted, [.count(rows.count), .count(t.rowCount),
                                                         .phrase(what == "actual" ? .progressActual : .progressTarget),
                                                         .name(dn), .date(p.start), .date(last)]))
                }
            }
            let valueName = try numberColumn(t, label: what == "actual" ? "value" : "goal", what: what,
                                             preferred: what == "actual" ? "actual" : "target", excluding: [key, dateName].compactMap { $0 })
            let column = t.column(named: valueName)
            var out: [(key: String, value: Double)] = []
            var cells: [String: Value] = [:]
            let keyColumn = keyed?.cells
            for i in rows {
                let k = keyColumn.map { SplitSupport.key($0[i]) } ?? ""
                if cells[k] == nil, let c = keyColumn { cells[k] = c[i] }
                switch column?[i] ?? .empty {
                case .number(let x, _): out.append((k, x))
                case .empty: if key != nil { out.append((k, 0)) }
                case .error(let err): throw err
                default: throw ErrorValue(.value, "progress: \(valueName) on row \(i + 1) of the \(what) is not a number", span: e.span)
                }
            }
            return (out, column?.format ?? .plain, cells)
        default:
            throw ErrorValue(.value, "progress: the \(what) must be a number or a table, got \(SplitSupport.article(v.typeName))", span: e.span)
        }
    }

    /// `date:`, else the table's only date column, else nil.
    private func dateColumn(_ t: Table) throws -> String? {
        if let d = ctx.argument("date") { return try ctx.columnName(d.value, in: t) }
        let dates = t.names.filter { if case .date? = t.column(named: $0)?.storage { return true } else { return false } }
        return dates.count == 1 ? dates[0] : nil
    }

    /// `label:`, else `preferred`, else the only number column not excluded.
    private func numberColumn(_ t: Table, label: String, what: String, preferred: String, excluding: [String]) throws -> String {
        if let a = ctx.argument(label) { return try ctx.columnName(a.value, in: t) }
        if t.column(named: preferred) != nil { return preferred }
        let numbers = t.names.filter { n in
            guard !excluding.contains(n), case .number? = t.column(named: n)?.storage else { return false }
            return true
        }
        guard numbers.count == 1 else {
            throw ctx.fail(numbers.isEmpty ? "the \(what) table has no number column"
                                : "which column of the \(what) table holds the figures: " + numbers.joined(separator: ", ") + "?",
                           hint: "say which: \(label): column")
        }
        return numbers[0]
    }

    /// The fields of one result (the run-rate fields only with a period).
    private func record(_ r: ProgressResult, _ f: NumberFormat) -> Record {
        var fields: [(name: String, value: Value)] = [
            ("actual", .number(r.actual, f)), ("target", .number(r.target, f)), ("completion", completion(r)), ("gap", .number(r.gap, f)),
        ]
        if let d = r.days {
            fields += [("days_elapsed", .num(Double(d.elapsed))), ("days_left", .num(Double(d.remaining))),
                       ("time_elapsed", r.timeElapsed.map { .number($0, .percent) } ?? .empty),
                       ("daily_actual", r.currentDailyRate.map { .number($0, f) } ?? .empty),
                       ("daily_needed", r.neededDailyRate.map { .number($0, f) } ?? .empty),
                       ("projected", r.projected.map { .number($0, f) } ?? .empty)]
        }
        return Record(fields)
    }

    /// actual / target as a percent, or #DIV/0! for a target of 0.
    private func completion(_ r: ProgressResult) -> Value {
        r.completion.map { .number($0, .percent) } ?? .error(ErrorValue(.divisionByZero, "progress: the target is 0"))
    }

    /// The result per key; `cells` gives each key's cell as it was (a number stays a number).
    private func table(_ matched: [KeyedProgress], days: RunDays?, format f: NumberFormat, cells: [String: Value],
                       notes: [Note], targetKey: String?) throws -> Table {
        // Keys with actual rows but no target have nothing to compare with: they are named
        // in a note, so that every total is computed on the rows shown.
        let keyed = matched.filter { $0.progress != nil }
        let unmatched = matched.filter { $0.progress == nil }
        let keyName = targetKey ?? "key"
        var names = [keyName, "actual", "target", "completion", "gap"]
        var cols: [[Value]] = [keyed.map { cells[$0.key] ?? .text($0.key) }, keyed.map { .number($0.actual, f) },
                               keyed.map { $0.progress.map { .number($0.target, f) } ?? .empty },
                               keyed.map { $0.progress.map(completion) ?? .empty },
                               keyed.map { $0.progress.map { .number($0.gap, f) } ?? .empty }]
        let withTarget = keyed.compactMap(\.progress)
        let all = TargetProgress.compute(actual: PreparedSum.plain(withTarget.map(\.actual)),
                                         target: PreparedSum.plain(withTarget.map(\.target)), days: days)
        var totals: [String: Value] = ["actual": .number(all.actual, f), "target": .number(all.target, f),
                                       "completion": completion(all), "gap": .number(all.gap, f)]
        if days != nil {
            names += ["daily_needed", "projected"]
            cols.append(keyed.map { $0.progress?.neededDailyRate.map { .number($0, f) } ?? .empty })
            cols.append(keyed.map { $0.progress?.projected.map { .number($0, f) } ?? .empty })
            totals["daily_needed"] = all.neededDailyRate.map { .number($0, f) } ?? .empty
            totals["projected"] = all.projected.map { .number($0, f) } ?? .empty
        }
        guard var t = Table(names: names, columns: cols.map { Column(values: $0) }) else {
            throw ctx.fail("the key column `\(keyName)` clashes with the result's columns", hint: "rename it first")
        }
        var more = notes
        if !unmatched.isEmpty {
            let sum = PreparedSum.plain(unmatched.map(\.actual))
            more.append(Note(.progressLeftOut, [CascadeSplit.listPart(unmatched.map { .text($0.key) }), .number(sum, f)]))
        }
        let idle = keyed.filter { !$0.hasActual }.map(\.key)
        if !idle.isEmpty { more.append(Note(.progressNoActual, [.list(idle.map(NotePart.text))])) }
        t.display = TableDisplay(totals: totals, notes: more)
        t.display.generatedHeaders = true
        return t
    }
}
