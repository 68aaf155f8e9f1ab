import TallyCore

extension Registry {
    /// month_start, quarter_start, week_start, year_start, period, between.
    static let periodFunctions: [Builtin] = [
        start("month_start", "The first day of the date's month.", "month_start(date(\"2026-03-17\"))") { d in
            TallyDate(year: d.year, month: d.month, day: 1)
        },
        start("quarter_start", "The first day of the date's quarter (Jan 1, Apr 1, Jul 1 or Oct 1).", "quarter_start(date(\"2026-08-15\"))") { d in
            TallyDate(year: d.year, month: (d.quarter - 1) * 3 + 1, day: 1)
        },
        start("week_start", "The Monday of the date's ISO 8601 week.", "week_start(date(\"2026-03-01\"))") { d in
            TallyDate(days: d.days - Int32(d.weekday - 1))
        },
        start("year_start", "January 1 of the date's year.", "year_start(date(\"2026-08-15\"))") { d in
            TallyDate(year: d.year, month: 1, day: 1)
        },
        Builtin("period", category: .date,
                parameters: [.required("date", .date), .optional("unit", .text("month"), .choice(["month", "quarter", "week", "year"]),
                                                                  help: "\"month\" (2026-03), \"quarter\" (2026-Q1), \"week\" (2026-W09, ISO) or \"year\" (2026)")],
                summary: "The period a date falls in, as a text that sorts in time order: 2026-03, 2026-Q1, 2026-W09 or 2026.",
                details: "A week is the ISO 8601 week and its week-year: 2027-01-01 is in 2026-W53. Works over a list or a\ncolumn of dates (a date column in one typed loop); an empty cell gives an empty cell.",
                example: "period(date(\"2026-03-01\"), \"week\")") { ctx in
            let unit = try ctx.choice("unit")
            let label: (TallyDate) -> String = { d in periodLabel(d, unit) }
            let one: (Value) -> Value = { v in
                switch v {
                case .empty, .error: return v
                case .date(let d): return .text(label(d))
                case .text(let s) where parseDate(s) != nil: return .text(label(parseDate(s) ?? TallyDate(days: 0)))
                default: return .error(ErrorValue(.value, "period: the date must be a date, got \(SplitSupport.article(v.typeName))"))
                }
            }
            switch try ctx.value("date") ?? .empty {
            case .column(let c):
                guard case .date(let ds) = c.storage else { return .column(Column(values: c.values.map(one))) }
                // One label per distinct period, dictionary-encoded.
                var codes = [Int32](repeating: 0, count: ds.count)
                var dictionary: [String] = []
                var codeOf: [String: Int32] = [:]
                var lastDay: Int32?, lastCode: Int32 = 0
                for i in 0..<ds.count where c.isValid(i) {
                    if ds[i] != lastDay {
                        let s = label(TallyDate(days: ds[i]))
                        if let k = codeOf[s] { lastCode = k } else {
                            lastCode = Int32(dictionary.count)
                            codeOf[s] = lastCode
                            dictionary.append(s)
                        }
                        lastDay = ds[i]
                    }
                    codes[i] = lastCode
                }
                if dictionary.isEmpty { dictionary = [""] }
                return .column(Column(storage: .text(codes: codes, dictionary: dictionary), validity: c.validity))
            case .list(let xs): return .list(xs.map(one))
            case let v: return one(v)
            }
        },
        Builtin("between", category: .logic,
                parameters: [.required("x", help: "a number, date or text, or a list or column of them"),
                             .required("low", help: "the smallest value accepted"), .required("high", help: "the largest value accepted")],
                summary: "True when low <= x <= high (both ends included); over a list or column, one answer per value.",
                details: "Compares as <= does: numbers with numbers, dates with dates, texts with texts. An empty x gives\nan empty answer (which `where` treats as false).",
                example: "between(date(\"2026-03-15\"), date(\"2026-03-01\"), date(\"2026-03-31\"))") { ctx in
            guard let x = try ctx.value("x"), let low = try ctx.value("low"), let high = try ctx.value("high") else {
                throw ctx.fail("needs x, low and high", hint: "between(amount, 100, 500)")
            }
            return Operators.binary(.and, Operators.binary(.greaterEqual, x, low), Operators.binary(.lessEqual, x, high))
        },
    ]

    /// "2026-03", "2026-Q1", "2026-W09" or "2026".
    static func periodLabel(_ d: TallyDate, _ unit: String) -> String {
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        switch unit {
        case "quarter": return "\(d.year)-Q\(d.quarter)"
        case "week":
            let w = d.isoWeek
            return "\(w.year)-W\(pad(w.week))"
        case "year": return "\(d.year)"
        default: return "\(d.year)-\(pad(d.month))"
        }
    }

    /// An elementwise date -> date function.
    private static func start(_ name: String, _ summary: String, _ example: String,
                              _ f: @escaping @Sendable (TallyDate) -> TallyDate?) -> Builtin {
        Builtin(name, category: .date, parameters: [.required("date", .date)], summary: summary,
                        details: "Works element by element over a list or column of dates (a date column once per day); "
                            + "a text such as \"2026-07-01\" is read as a date; an empty cell gives an empty cell.",
                        example: example, elementwise: true) { a in
            let v = try a.value("date")
            let d: TallyDate
            switch v {
            case .empty: return .empty
            case .date(let x): d = x
            case .text(let s) where parseDate(s) != nil: d = parseDate(s) ?? TallyDate(days: 0)
            default: throw ErrorValue(.value, "\(name): `date` must be a date, got \(SplitSupport.article(v.typeName))")
            }
            guard let r = f(d) else { throw ErrorValue(.number, "\(name): the date is out of range") }
            return .date(r)
        }
    }
}
