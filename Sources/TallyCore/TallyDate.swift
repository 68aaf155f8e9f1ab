/// A calendar date, stored as days since 1970-01-01 (proleptic Gregorian).
public struct TallyDate: Sendable, Hashable, Comparable {
    public var days: Int32

    public init(days: Int32) { self.days = days }

    /// Nil when the fields do not name a real day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), year >= -9999, year <= 9999,
              day >= 1, day <= TallyDate.daysInMonth(year: year, month: month) else { return nil }
        self.days = Int32(TallyDate.daysFromCivil(year, month, day))
    }

    public static func < (a: TallyDate, b: TallyDate) -> Bool { a.days < b.days }

    public var components: (year: Int, month: Int, day: Int) { TallyDate.civil(fromDays: Int(days)) }
    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }
    public var quarter: Int { (month - 1) / 3 + 1 }
    /// 1 = Monday ... 7 = Sunday.
    public var weekday: Int { Int(((Int64(days) % 7 + 7 + 3) % 7) + 1) }

    /// ISO 8601 week number (weeks start on Monday; week 1 holds the year's first Thursday).
    public var isoWeek: (year: Int, week: Int) {
        let thursday = Int(days) - (weekday - 1) + 3
        let y = TallyDate.civil(fromDays: thursday).year
        let jan1 = TallyDate.daysFromCivil(y, 1, 1)
        return (y, (thursday - jan1) / 7 + 1)
    }

    /// `2026-07-01`.
    public var iso: String {
        let c = components
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(abs(v)); return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    /// Adds calendar months, clamping the day to the target month's length (Jan 31 + 1 = Feb 28).
    public func addingMonths(_ n: Int) -> TallyDate? {
        let c = components
        let total = c.year * 12 + (c.month - 1) + n
        let y = Int((Double(total) / 12).rounded(.down))
        let m = total - y * 12 + 1
        let d = min(c.day, TallyDate.daysInMonth(year: y, month: m))
        return TallyDate(year: y, month: m, day: d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's days_from_civil.
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
