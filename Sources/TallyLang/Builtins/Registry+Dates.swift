import Foundation
import TallyCore

extension Registry {
    /// date, today, year, quarter, month, week, day, weekday, days_between, add_months, eomonth.
    static let dateFunctions: [Builtin] = [
        Builtin("date", category: .date,
                parameters: [.required("text_or_year"), .optional("month", nil, .wholeNumber), .optional("day", nil, .wholeNumber)],
                summary: "A date from a text (2026-07-01, 2026/7/1, 2026年7月1日) or from year, month and day.",
                details: "date(\"2026-07-01\") and date(2026, 7, 1) give the same date. Also reads 2026.7.1 and "
                    + "20260701. A day that does not exist (2026-02-30) gives #VALUE!, it is not rolled over. "
                    + "Works element by element over a list or column of texts.",
                example: "date(\"2026-07-01\")", elementwise: true) { a in
            if a.named.values.contains(where: \.isEmpty) { return .empty }
            let first = try a.value("text_or_year")
            if a.named["month"] != nil || a.named["day"] != nil {
                guard a.named["month"] != nil, a.named["day"] != nil else {
                    throw ErrorValue(.value, "date: give a year, a month and a day, as in date(2026, 7, 1)")
                }
                let y = try a.integer("text_or_year"), m = try a.integer("month"), d = try a.integer("day")
                guard let date = TallyDate(year: y, month: m, day: d) else {
                    throw ErrorValue(.value, "date: \(y)-\(m)-\(d) is not a day of the calendar")
                }
                return .date(date)
            }
            switch first {
            case .date: return first
            case .text(let s):
                guard let d = parseDate(s) else {
                    throw ErrorValue(.value, "date: \"\(s)\" is not a date; write 2026-07-01, 2026/7/1 or 2026年7月1日")
                }
                return .date(d)
            default:
                throw ErrorValue(.value, "date: `text_or_year` must be a text like \"2026-07-01\" "
                                    + "(or give year, month, day), got a \(first.typeName)")
            }
        },
        Builtin("today", category: .date, parameters: [],
                summary: "Today's date, on this computer's clock and time zone.", example: "today()") { _ in
            let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
            guard let y = c.year, let m = c.month, let d = c.day, let date = TallyDate(year: y, month: m, day: d) else {
                throw ErrorValue(.value, "today: the system calendar gave no date")
            }
            return .date(date)
        },
        part("year", "The year of a date.", "year(date(\"2026-07-01\"))") { $0.year },
        part("quarter", "The quarter of a date, 1 to 4.", "quarter(date(\"2026-08-15\"))") { $0.quarter },
        part("month", "The month of a date, 1 to 12.", "month(date(\"2026-07-01\"))") { $0.month },
        part("week", "The ISO 8601 week number, 1 to 53 (weeks start on Monday).",
             "week(date(\"2026-07-01\"))") { $0.isoWeek.week },
        part("day", "The day of the month, 1 to 31.", "day(date(\"2026-07-01\"))") { $0.day },
        part("weekday", "The day of the week: 1 = Monday ... 7 = Sunday.", "weekday(date(\"2026-07-01\"))") { $0.weekday },
        dated("days_between", [.required("start", .date), .required("end", .date)],
              "The number of days from `start` to `end` (end - start; negative when end comes first).",
              "days_between(date(\"2026-01-01\"), date(\"2026-07-01\"))") { a in
            let s = try a.date("start"), e = try a.date("end")
            return .num(Double(Int(e.days) - Int(s.days)))
        },
        dated("add_months", [.required("date", .date), .required("months", .wholeNumber)],
              "The date n calendar months later (earlier when negative); Jan 31 + 1 month is Feb 28 (29).",
              "add_months(date(\"2026-01-31\"), 1)") { a in
            try .date(shifted(a, "add_months"))
        },
        dated("eomonth", [.required("date", .date), .optional("months", .num(0), .wholeNumber)],
              "The last day of the date's month (or of the month `months` later, as Excel's EOMONTH).",
              "eomonth(date(\"2028-02-10\"))") { a in
            let d = try shifted(a, "eomonth")
            guard let end = TallyDate(year: d.year, month: d.month,
                                      day: TallyDate.daysInMonth(year: d.year, month: d.month)) else {
                throw ErrorValue(.number, "eomonth: the date is out of range")
            }
            return .date(end)
        },
    ]

    /// An elementwise date function; an empty argument gives an empty result.
    private static func dated(_ name: String, _ parameters: [Parameter], _ summary: String, _ example: String,
                              _ body: @escaping @Sendable (Arguments) throws -> Value) -> Builtin {
        Builtin(name, category: .date, parameters: parameters, summary: summary,
                details: "Works element by element over a list or column of dates; turn a text into a date "
                    + "with date(\"2026-07-01\").",
                example: example, elementwise: true) { a in
            if a.named.values.contains(where: \.isEmpty) { return .empty }
            return try body(a)
        }
    }

    /// A number taken from one date: year, month, day...
    private static func part(_ name: String, _ summary: String, _ example: String,
                             _ f: @escaping @Sendable (TallyDate) -> Int) -> Builtin {
        dated(name, [.required("date", .date)], summary, example) { a in .number(Double(f(try a.date("date"))), .digits) }
    }

    /// `date` moved by `months` calendar months, the day clamped to the month's length.
    private static func shifted(_ a: Arguments, _ name: String) throws -> TallyDate {
        let d = try a.date("date"), n = try a.integer("months")
        guard let r = d.addingMonths(n) else { throw ErrorValue(.number, "\(name): the date is out of range") }
        return r
    }

    /// Reads `2026-07-01`, `2026/7/1`, `2026.7.1`, `2026年7月1日` and `20260701`; nil otherwise.
    static func parseDate(_ text: String) -> TallyDate? {
        var runs: [String] = []
        var separators: [String] = []
        var digits = "", other = ""
        for ch in text.trimmingCharacters(in: .whitespaces) {
            if let d = asciiDigit(ch) {
                if !other.isEmpty { separators.append(other); other = "" }
                digits.append(d)
            } else {
                if !digits.isEmpty { runs.append(digits); digits = "" } else if runs.isEmpty { return nil }
                other.append(ch)
            }
        }
        if !digits.isEmpty { runs.append(digits) }
        let trailing = other
        let fields: [String]
        switch (runs.count, separators) {
        case (1, []) where trailing.isEmpty && runs[0].count == 8:
            let s = Array(runs[0])
            fields = [String(s[0..<4]), String(s[4..<6]), String(s[6..<8])]
        case (3, let seps) where trailing.isEmpty && seps.count == 2 && seps[0] == seps[1]
                && ["-", "/", "."].contains(seps[0]):
            fields = runs
        case (3, ["年", "月"]) where trailing == "日" || trailing.isEmpty:
            fields = runs
        default:
            return nil
        }
        guard fields[0].count == 4, fields[1].count <= 2, fields[2].count <= 2,
              let y = Int(fields[0]), let m = Int(fields[1]), let d = Int(fields[2]) else { return nil }
        return TallyDate(year: y, month: m, day: d)
    }

    /// "0"..."9", full-width digits included, as an ASCII digit.
    private static func asciiDigit(_ ch: Character) -> Character? {
        guard let s = ch.unicodeScalars.first, ch.unicodeScalars.count == 1 else { return nil }
        switch s.value {
        case 0x30...0x39: return ch
        case 0xFF10...0xFF19: return Character(Unicode.Scalar(s.value - 0xFF10 + 0x30) ?? "0")
        default: return nil
        }
    }
}
