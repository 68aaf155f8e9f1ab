import TallyAnalytics
import TallyCore

extension Registry {
    /// years, quarters, months, weeks, days: period tables to split a target over time.
    static let calendarFunctions: [Builtin] = [
        calendar("years", [.required("from"), .optional("to")],
                 "One row per calendar year from `from` to `to`: period, start, end, days, workdays.",
                 "years(2025, 2027)") { a, cal in
            let from = try a.integer("from")
            return try Periods.years(from: from, to: a["to"] == nil ? from : try a.integer("to"), calendar: cal)
        },
        calendar("quarters", [.required("year"), .optional("to")],
                 "The quarters of a year (or of the years up to `to`), labelled 2026-Q1: period, start, end, days, workdays.",
                 "quarters(2026)") { a, cal in
            try CalendarSupport.yearly(a, periods: { 4 * ($1 - $0 + 1) }) { y throws(Periods.Failure) in try Periods.quarters(y, calendar: cal) }
        },
        calendar("months", [.required("year"), .optional("to")],
                 "The months of a year (or of the years up to `to`), labelled 2026-07: period, start, end, days, workdays.",
                 "months(2026)") { a, cal in
            try CalendarSupport.yearly(a, periods: { 12 * ($1 - $0 + 1) }) { y throws(Periods.Failure) in try Periods.months(y, calendar: cal) }
        },
        calendar("weeks", [.required("year"), .optional("to")],
                 "The ISO 8601 weeks (Monday to Sunday, 52 or 53) of a week-year, labelled 2026-W01.",
                 "weeks(2026)",
                 details: "Week 1 holds the year's first Thursday, so it may start in December and the last week may end in January.") { a, cal in
            try CalendarSupport.yearly(a, periods: Periods.weekCount) { y throws(Periods.Failure) in try Periods.weeks(y, calendar: cal) }
        },
        calendar("days", [.required("from"), .required("to"), .optional("workdays", .bool(false))],
                 "One row per day from `from` to `to`; `workdays: true` keeps only working days (Monday to Friday, minus holidays).",
                 "days(date(\"2026-10-01\"), date(\"2026-10-10\"), workdays: true, holidays: [date(\"2026-10-01\"), date(\"2026-10-02\")])") { a, cal in
            let from = try CalendarSupport.date(a, "from"), to = try CalendarSupport.date(a, "to")
            let only = a["workdays"] == nil ? false : try a.bool("workdays")
            return try Periods.days(from: from, to: to, workdaysOnly: only, calendar: cal)
        },
    ]

    /// A calendar function: the work calendar options, the period table and its totals.
    private static func calendar(_ name: String, _ parameters: [Parameter], _ summary: String, _ example: String,
                                 details: String = "",
                                 _ make: @escaping @Sendable (Arguments, WorkCalendar) throws -> [Period]) -> Builtin {
        let common = "Working days are Monday to Friday minus `holidays: [dates]`, plus `extra_workdays: [dates]`\n"
            + "(weekend days worked in exchange, as 调休). The table serves as split weights:\n"
            + "split(1.2亿, quarters(2026), weight: [20, 30, 20, 30]) or split(x, months(2026), weight: workdays)."
        return Builtin(name, category: .analytics,
                        parameters: parameters + [.option("holidays", .dates, shown: false), .option("extra_workdays", .dates, shown: false)],
                        summary: summary, details: details.isEmpty ? common : details + "\n" + common, example: example) { a in
            let cal = try CalendarSupport.workCalendar(a)
            do {
                return CalendarSupport.table(try make(a, cal))
            } catch let f as Periods.Failure {
                throw ErrorValue(.value, "\(name): \(f)")
            }
        }
    }
}

/// The period of `progress`: a label and its first and last day.
struct PlanPeriod {
    var label: String
    var start: TallyDate
    var end: TallyDate

    init(label: String, start: TallyDate, end: TallyDate) {
        self.label = label; self.start = start; self.end = end
    }

    init(_ p: Period) { self.init(label: p.label, start: p.start, end: p.end) }

    /// Days gone (the as-of day included) and in all, as `RunDays(period:asOf:)` counts them.
    func runDays(asOf: TallyDate, workdaysOnly: Bool, calendar: WorkCalendar) throws -> RunDays {
        let last = min(asOf, end)
        if workdaysOnly {
            return try RunDays(elapsed: calendar.workdays(from: start, to: last), total: calendar.workdays(from: start, to: end))
        }
        return try RunDays(elapsed: max(0, Int(last.days) - Int(start.days) + 1), total: Int(end.days) - Int(start.days) + 1)
    }
}

/// Helpers of the calendar functions, also used by `progress` for its period.
enum CalendarSupport {
    /// The periods of `year` ... `to` (or `year` alone); `periods(from, to)` counts them,
    /// so that more than `Periods.maxPeriods` are refused before any is made.
    static func yearly(_ a: Arguments, periods: (Int, Int) -> Int, _ one: (Int) throws(Periods.Failure) -> [Period]) throws -> [Period] {
        let from = try a.integer("year")
        let to = a["to"] == nil ? from : try a.integer("to")
        guard to >= from else { throw Periods.Failure.reversedRange(from: String(from), to: String(to)) }
        for y in [from, to] where !(1...9999).contains(y) { throw Periods.Failure.yearOutOfRange(y) }
        let n = periods(from, to)
        guard n <= Periods.maxPeriods else { throw Periods.Failure.tooManyPeriods(n) }
        var out: [Period] = []
        for y in from...to { out += try one(y) }
        return out
    }

    /// A date argument, also written as a text ("2026-07-01").
    static func date(_ a: Arguments, _ name: String) throws -> TallyDate {
        if case .text(let s)? = a[name], let d = Registry.parseDate(s) { return d }
        return try a.date(name)
    }

    /// `holidays:` and `extra_workdays:` as a work calendar.
    static func workCalendar(_ a: Arguments) throws -> WorkCalendar {
        let h = try dates(a["holidays"], function: a.function, what: "holidays")
        let x = try dates(a["extra_workdays"], function: a.function, what: "extra_workdays")
        do {
            return try WorkCalendar(holidays: h, extraWorkdays: x)
        } catch {
            throw ErrorValue(.value, "\(a.function): \(error)")
        }
    }

    /// A list (or column) of dates, or of texts that read as dates; nil gives none.
    static func dates(_ v: Value?, function: String, what: String) throws -> [TallyDate] {
        guard let v else { return [] }
        if case .error(let e) = v { throw e }
        var out: [TallyDate] = []
        for x in v.elements ?? [v] {
            switch x {
            case .date(let d): out.append(d)
            case .text(let s) where Registry.parseDate(s) != nil: out.append(Registry.parseDate(s) ?? TallyDate(days: 0))
            case .empty: continue
            case .error(let e): throw e
            default:
                throw ErrorValue(.value, "\(function): `\(what):` must be a list of dates, got \(SplitSupport.article(x.typeName))")
            }
        }
        return out
    }

    /// The period table: period, start, end, days, workdays, with a total row.
    static func table(_ periods: [Period]) -> Value {
        let names = ["period", "start", "end", "days", "workdays"]
        let cols = [Column(values: periods.map { .text($0.label) }), Column(storage: .date(periods.map(\.start.days))),
                    Column(storage: .date(periods.map(\.end.days))), Column.numbers(periods.map { Double($0.days) }),
                    Column.numbers(periods.map { Double($0.workdays) })]
        guard var t = Table(names: names, columns: cols) else { return .table(Table()) }
        t.display = TableDisplay(totals: ["days": .num(Double(periods.reduce(0) { $0 + $1.days })),
                                          "workdays": .num(Double(periods.reduce(0) { $0 + $1.workdays }))])
        t.display.generatedHeaders = true
        return .table(t)
    }

    /// The one period a value names: a year (2026, "2026"), "2026-Q2", "2026-05", "2026-W20",
    /// a list of two dates [start, end], a record {start:, end:}, or a one-row table with
    /// start and end columns (a row of a calendar table).
    static func period(_ v: Value, calendar: WorkCalendar) -> PlanPeriod? {
        switch v {
        case .number(let x, _) where x == x.rounded() && x >= 1 && x <= 9999:
            return (try? Periods.years(from: Int(x), to: Int(x), calendar: calendar).first).map(PlanPeriod.init)
        case .text(let s): return labelled(s.uppercased(), calendar: calendar).map(PlanPeriod.init)
        case .list(let xs) where xs.count == 2:
            guard case .date(let a) = xs[0], case .date(let b) = xs[1], b >= a else { return nil }
            return PlanPeriod(label: a.iso + " to " + b.iso, start: a, end: b)
        case .record(let r):
            guard case .date(let a)? = r["start"], case .date(let b)? = r["end"], b >= a else { return nil }
            return PlanPeriod(label: r["period"].map(Operators.display) ?? a.iso + " to " + b.iso, start: a, end: b)
        case .table(let t) where t.rowCount == 1:
            return period(.record(t.row(0)), calendar: calendar)
        default: return nil
        }
    }

    /// "2026", "2026-Q2", "2026-05" (or "2026-5"), "2026-W20".
    private static func labelled(_ s: String, calendar: WorkCalendar) -> Period? {
        let parts = s.split(separator: "-", maxSplits: 1).map(String.init)
        guard let first = parts.first, first.count == 4, let year = Int(first) else { return nil }
        guard parts.count == 2 else { return try? Periods.years(from: year, to: year, calendar: calendar).first }
        var rest = Substring(parts[1])
        let kind = rest.first.flatMap { $0.isLetter ? $0 : nil }
        if kind != nil { rest = rest.dropFirst() }
        guard let n = Int(rest), n >= 1 else { return nil }
        let two = n < 10 ? "0\(n)" : "\(n)"
        switch kind {
        case "Q": return (try? Periods.quarters(year, calendar: calendar))?.first { $0.label == "\(year)-Q\(n)" }
        case "W": return (try? Periods.weeks(year, calendar: calendar))?.first { $0.label == "\(year)-W\(two)" }
        case nil: return (try? Periods.months(year, calendar: calendar))?.first { $0.label == "\(year)-\(two)" }
        default: return nil
        }
    }
}

// MARK: - Shared helpers of split, the calendars and the planning functions

/// Argument reading, weights and note formatting shared by `split`, `tree`, `levels`,
/// `assign` and `progress`. Problems with the shape of a call (unknown option, unknown
/// column) throw `TallyError` and refuse the statement; problems with values throw
/// `ErrorValue`, which the formula keeps.
enum SplitSupport {
    /// "a number", "an empty".
    static func article(_ word: String) -> String {
        (word.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + word
    }

    /// `names: [...]` for a list of weights: one distinct name per weight.
    static func names(_ ctx: CallContext, _ a: Argument, count: Int) throws -> [String] {
        let v = try ctx.evaluate(a.value)
        if case .error(let e) = v { throw e }
        guard let xs = v.elements else {
            throw ErrorValue(.value, "\(ctx.function): `names:` must be a list, got \(article(v.typeName))", span: a.value.span)
        }
        guard xs.count == count else {
            throw ErrorValue(.value, "\(ctx.function): `names:` has \(xs.count) \(Plural.noun(xs.count, "name")) for \(count) \(Plural.noun(count, "weight"))", span: a.value.span)
        }
        let names = xs.map(key)
        var seen = Set<String>()
        for n in names where !seen.insert(n).inserted {
            throw ErrorValue(.value, "\(ctx.function): `names:` has \(n) twice", span: a.value.span)
        }
        return names
    }

    /// One column name, or a list of them (`by: [channel, product_line]`).
    static func columnNames(_ ctx: CallContext, _ e: Expr, in t: Table) throws -> [String] {
        var out: [String] = []
        let items: [Expr]
        if case .list(let xs, _) = e { items = xs } else { items = [e] }
        for x in items {
            let n = try ctx.columnName(x, in: t)
            guard !out.contains(n) else { throw ctx.fail("column `\(n)` is given twice", at: x) }
            out.append(n)
        }
        guard !out.isEmpty else { throw ctx.fail("needs at least one column", at: e) }
        return out
    }

    /// The weight argument when it is a record (tier weights); nil when it is per row.
    static func tierWeights(_ ctx: CallContext, _ a: Argument, in t: Table) throws -> Record? {
        if case .name(let n, _) = a.value, t.column(named: n) != nil { return nil }
        if case .text = a.value { return nil }
        if case .record(let r) = try ctx.evaluate(a.value, columnsOf: t) { return r }
        return nil
    }

    /// One value per row: a bare column name, a text naming a column, a list of the table's
    /// length, an expression over its columns, or one number for every row. Returns the
    /// values and the column they came from (nil when computed).
    static func rowValues(_ ctx: CallContext, _ a: Argument, in t: Table, what: String) throws -> ([Value], String?) {
        switch a.value {
        case .name(let n, _) where t.column(named: n) != nil:
            return (t.column(named: n)?.values ?? [], n)
        case .text:
            let n = try ctx.columnName(a.value, in: t)
            return (t.column(named: n)?.values ?? [], n)
        default:
            let v = try ctx.evaluate(a.value, columnsOf: t)
            switch v {
            case .error(let e): throw e
            case .number: return (Array(repeating: v, count: t.rowCount), nil)
            case .list, .column:
                let xs = v.elements ?? []
                guard xs.count == t.rowCount else {
                    throw ErrorValue(.value, "\(ctx.function): `\(what):` has \(xs.count) \(Plural.noun(xs.count, "value")), the table \(t.rowCount) \(Plural.noun(t.rowCount, "row"))",
                                     span: a.value.span)
                }
                return (xs, nil)
            default:
                throw ErrorValue(.value, "\(ctx.function): `\(what):` must be a column or a list of numbers, got \(article(v.typeName))",
                                 span: a.value.span)
            }
        }
    }

    /// The weights as numbers; an error value naming the part for an empty, text or error one.
    static func weights(_ values: [Value], keys: [String], function: String, at e: Expr?, noun: String = "weight") throws -> [Double] {
        guard !values.isEmpty else { throw ErrorValue(.value, "\(function): nothing to split: no \(noun)s", span: e?.span) }
        var out: [Double] = []
        out.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            switch v {
            case .number(let x, _): out.append(x)
            case .error(let err): throw err
            case .empty: throw ErrorValue(.value, "\(function): \(noun) of \(keys[i]) is empty", span: e?.span)
            default: throw ErrorValue(.value, "\(function): \(noun) of \(keys[i]) is not a number (\(article(v.typeName)))", span: e?.span)
            }
        }
        return out
    }

    /// A name for each row, for messages and the tie rule: its first text column, else its first column.
    static func rowKeys(_ t: Table) -> [String] {
        let c = t.columns.first { if case .text = $0.storage { return true } else { return false } } ?? t.columns.first
        guard let c else { return [] }
        return (0..<c.count).map { key(c[$0]) }
    }

    /// A cell as a key: its text form, `(empty)` for an empty cell.
    static func key(_ v: Value) -> String { v.isEmpty ? "(empty)" : Operators.display(v) }

    /// The sum of numbers, in their common format (empty when one is not a number).
    static func sum(_ values: [Value]) -> Value {
        var s = CompensatedSum()
        var format: NumberFormat?
        for v in values {
            guard case .number(let x, let f) = v else { return .empty }
            s.add(x)
            format = format.map { $0 == f ? f : .plain } ?? f
        }
        return .number(s.value, format ?? .plain)
    }

    /// A note when the weights are percentages that do not add up to 100%.
    static func percentNote(_ values: [Value], what: MessageKey = .splitWeights) -> [Note] {
        var s = CompensatedSum()
        for v in values {
            guard case .number(let x, .percent) = v else { return [] }
            s.add(x)
        }
        guard abs(s.value - 1) > 1e-9 else { return [] }
        return [Note(.splitWeightsSum, [.phrase(what), .number(s.value, .percent)])]
    }

    /// A difference with the noise of floating point removed (`amount - quota`).
    static func clean(_ x: Double, scale: Double) -> Double {
        abs(x) <= 1e-9 * max(1, abs(scale)) ? 0 : x
    }

    /// A number for a note: thousands separators, whole numbers bare, else 2 decimals.
    static func format(_ x: Double, _ f: NumberFormat) -> String {
        switch f {
        case .percent: return fixed(x * 100, 2) + "%"
        case .money: return fixed(x, 2)
        case .wan, .yi: return fixed(x / (f.chineseUnit?.scale ?? 1), 2) + (f.chineseUnit?.sign ?? "")
        case .digits: return Operators.plainNumber(x)
        case .plain: return x == x.rounded() ? fixed(x, 0) : abs(x) < 0.01 ? Operators.plainNumber(x) : fixed(x, 2)
        }
    }

    /// Fixed decimals (half away from zero) with a thousands separator.
    static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite, abs(x) < 1e15 else { return Operators.plainNumber(x) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let n = (abs(x) * scale).rounded(.toNearestOrAwayFromZero)
        let whole = Int64(n / scale), frac = Int64(n - Double(whole) * scale)
        var grouped = ""
        let s = String(whole)
        for (i, ch) in s.enumerated() {
            if i > 0, (s.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        let sign = x < 0 && n > 0 ? "-" : ""
        guard digits > 0 else { return sign + grouped }
        let f = String(frac)
        return sign + grouped + "." + String(repeating: "0", count: max(0, digits - f.count)) + f
    }
}
