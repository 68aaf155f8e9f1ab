import TallyCore

/// One period of a calendar table: a year, quarter, month, ISO week or day.
public struct Period: Sendable, Equatable {
    /// `2026`, `2026-Q2`, `2026-07`, `2026-W27` or `2026-07-01`.
    public var label: String
    /// First day, inclusive.
    public var start: TallyDate
    /// Last day, inclusive.
    public var end: TallyDate
    /// Calendar days from `start` to `end` inclusive.
    public var days: Int
    /// Working days in the period under the `WorkCalendar` in force.
    public var workdays: Int

    public init(label: String, start: TallyDate, end: TallyDate, days: Int, workdays: Int) {
        self.label = label; self.start = start; self.end = end; self.days = days; self.workdays = workdays
    }
}

/// Which days are working days: Monday to Friday, minus `holidays`, plus `extraWorkdays`
/// (weekend days worked in exchange for a holiday, as in China's 调休 make-up days).
public struct WorkCalendar: Sendable, Equatable {
    public let holidays: Set<TallyDate>
    public let extraWorkdays: Set<TallyDate>

    /// A day may not be both a holiday and an extra workday.
    public init(holidays: [TallyDate] = [], extraWorkdays: [TallyDate] = []) throws(Periods.Failure) {
        let h = Set(holidays), x = Set(extraWorkdays)
        if let clash = h.intersection(x).min() { throw .conflictingDay(clash) }
        self.holidays = h
        self.extraWorkdays = x
    }

    /// Monday to Friday only.
    public static let weekdays = WorkCalendar(unchecked: ())

    private init(unchecked: Void) { holidays = []; extraWorkdays = [] }

    /// Whether `date` is a working day.
    public func isWorkday(_ date: TallyDate) -> Bool {
        if holidays.contains(date) { return false }
        if extraWorkdays.contains(date) { return true }
        return date.weekday <= 5
    }

    /// Working days from `start` to `end` inclusive (0 when `end < start`). Counts Monday to
    /// Friday arithmetically, then corrects for holidays on weekdays and extra workdays on
    /// weekends inside the range.
    public func workdays(from start: TallyDate, to end: TallyDate) -> Int {
        guard end >= start else { return 0 }
        let n = Int(end.days) - Int(start.days) + 1
        var count = (n / 7) * 5
        var wd = start.weekday
        for _ in 0..<(n % 7) {
            if wd <= 5 { count += 1 }
            wd = wd % 7 + 1
        }
        for h in holidays where h >= start && h <= end && h.weekday <= 5 { count -= 1 }
        for x in extraWorkdays where x >= start && x <= end && x.weekday > 5 { count += 1 }
        return count
    }
}

/// Calendar tables for splitting a target over time: `years(a, b)`, `quarters(2026)`,
/// `months(2026)`, `weeks(2026)` (ISO weeks) and `days(from, to, workdays:)`. Each period
/// carries its days and working days, ready to serve as split weights.
public enum Periods {
    /// Why a calendar was refused.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// Years must lie in 1...9999.
        case yearOutOfRange(Int)
        /// The range ends before it starts.
        case reversedRange(from: String, to: String)
        /// More than `Periods.maxPeriods` periods.
        case tooManyPeriods(Int)
        /// A day listed both as a holiday and as an extra workday.
        case conflictingDay(TallyDate)

        public var description: String {
            switch self {
            case .yearOutOfRange(let y): return "year \(y) is outside 1...9999"
            case .reversedRange(let a, let b): return "range ends (\(b)) before it starts (\(a))"
            case .tooManyPeriods(let n): return "\(n) periods is too many (at most \(Periods.maxPeriods))"
            case .conflictingDay(let d): return "\(d.iso) is both a holiday and an extra workday"
            }
        }
    }

    /// The most periods one call makes (about 270 years of days).
    public static let maxPeriods = 100_000

    /// One period per calendar year from `from` to `to` inclusive, labelled `2026`.
    public static func years(from: Int, to: Int, calendar: WorkCalendar = .weekdays) throws(Failure) -> [Period] {
        try checkYear(from); try checkYear(to)
        guard to >= from else { throw .reversedRange(from: String(from), to: String(to)) }
        var out: [Period] = []
        for y in from...to {
            out.append(make(String(y), date(y, 1, 1), date(y, 12, 31), calendar))
        }
        return out
    }

    /// The four quarters of `year`, labelled `2026-Q1` ... `2026-Q4`.
    public static func quarters(_ year: Int, calendar: WorkCalendar = .weekdays) throws(Failure) -> [Period] {
        try checkYear(year)
        return (1...4).map { q in
            let m = (q - 1) * 3 + 1
            return make("\(year)-Q\(q)", date(year, m, 1), date(year, m + 2, TallyDate.daysInMonth(year: year, month: m + 2)), calendar)
        }
    }

    /// The twelve months of `year`, labelled `2026-01` ... `2026-12`.
    public static func months(_ year: Int, calendar: WorkCalendar = .weekdays) throws(Failure) -> [Period] {
        try checkYear(year)
        return (1...12).map { m in
            make("\(year)-\(m < 10 ? "0" : "")\(m)", date(year, m, 1), date(year, m, TallyDate.daysInMonth(year: year, month: m)), calendar)
        }
    }

    /// The ISO 8601 weeks of ISO week-year `year` (52 or 53), labelled `2026-W01`. Weeks run
    /// Monday to Sunday; week 1 is the week holding the year's first Thursday (equivalently
    /// 4 January), so week 1 may start in December of the year before and the last week may
    /// end in January of the year after: every week has 7 days.
    public static func weeks(_ year: Int, calendar: WorkCalendar = .weekdays) throws(Failure) -> [Period] {
        try checkYear(year)
        let first = weekOneMonday(year), next = weekOneMonday(year + 1)
        let count = (next - first) / 7
        return (0..<count).map { w in
            let start = TallyDate(days: Int32(first + 7 * w))
            let label = "\(year)-W\(w + 1 < 10 ? "0" : "")\(w + 1)"
            return make(label, start, TallyDate(days: start.days + 6), calendar)
        }
    }

    /// One period per day from `from` to `to` inclusive, labelled with the ISO date; with
    /// `workdaysOnly`, only the working days of `calendar` (weekends and holidays dropped,
    /// extra workdays kept).
    public static func days(from: TallyDate, to: TallyDate, workdaysOnly: Bool = false, calendar: WorkCalendar = .weekdays) throws(Failure) -> [Period] {
        guard to >= from else { throw .reversedRange(from: from.iso, to: to.iso) }
        let n = Int(to.days) - Int(from.days) + 1
        guard n <= maxPeriods else { throw .tooManyPeriods(n) }
        var out: [Period] = []
        for d in from.days...to.days {
            let day = TallyDate(days: d)
            let works = calendar.isWorkday(day)
            if workdaysOnly && !works { continue }
            out.append(Period(label: day.iso, start: day, end: day, days: 1, workdays: works ? 1 : 0))
        }
        return out
    }

    /// How many ISO weeks the week-years `from` to `to` hold (52 or 53 each).
    public static func weekCount(from: Int, to: Int) -> Int {
        (weekOneMonday(to + 1) - weekOneMonday(from)) / 7
    }

    /// The Monday starting ISO week 1 of `year`, in days since 1970.
    static func weekOneMonday(_ year: Int) -> Int {
        let jan4 = TallyDate.daysFromCivil(year, 1, 4)
        return jan4 - (TallyDate(days: Int32(jan4)).weekday - 1)
    }

    private static func checkYear(_ y: Int) throws(Failure) {
        guard (1...9999).contains(y) else { throw .yearOutOfRange(y) }
    }

    private static func date(_ y: Int, _ m: Int, _ d: Int) -> TallyDate {
        TallyDate(days: Int32(TallyDate.daysFromCivil(y, m, d)))
    }

    private static func make(_ label: String, _ start: TallyDate, _ end: TallyDate, _ calendar: WorkCalendar) -> Period {
        Period(label: label, start: start, end: end, days: Int(end.days) - Int(start.days) + 1,
               workdays: calendar.workdays(from: start, to: end))
    }
}
