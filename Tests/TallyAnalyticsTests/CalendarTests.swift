import Testing
import TallyCore
@testable import TallyAnalytics

/// Period tables: years, quarters, months, ISO weeks, days, working days.
struct CalendarTests {
    static func day(_ iso: String) -> TallyDate {
        let p = iso.split(separator: "-").compactMap { Int($0) }
        return TallyDate(year: p[0], month: p[1], day: p[2]) ?? TallyDate(days: 0)
    }

    @Test("years")
    func years() throws {
        let y = try Periods.years(from: 2024, to: 2026)
        #expect(y.map(\.label) == ["2024", "2025", "2026"])
        #expect(y.map(\.days) == [366, 365, 365])
        #expect(y[2].workdays == 261)
        #expect(y[0].start.iso == "2024-01-01")
        #expect(y[0].end.iso == "2024-12-31")
    }

    @Test("quarters of 2026")
    func quarters() throws {
        let q = try Periods.quarters(2026)
        #expect(q.map(\.label) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
        #expect(q.map(\.days) == [90, 91, 92, 92])
        #expect(q.map(\.workdays) == [64, 65, 66, 66])
        #expect(q.map(\.end.iso) == ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"])
    }

    @Test("months of 2026 and of a leap year")
    func months() throws {
        let m = try Periods.months(2026)
        #expect(m.count == 12)
        #expect(m.first?.label == "2026-01")
        #expect(m.last?.label == "2026-12")
        #expect(m.map(\.workdays) == [22, 20, 22, 22, 21, 22, 23, 21, 22, 22, 21, 23])
        #expect(m.reduce(0) { $0 + $1.days } == 365)
        #expect(try Periods.months(2024)[1].days == 29)
    }

    @Test("ISO weeks", arguments: [
        (2026, 53, "2025-12-29", "2027-01-03"), (2020, 53, "2019-12-30", "2021-01-03"),
        (2021, 52, "2021-01-04", "2022-01-02"), (2024, 52, "2024-01-01", "2024-12-29"),
        (2027, 52, "2027-01-04", "2028-01-02"),
    ])
    func weeks(_ year: Int, _ count: Int, _ firstMonday: String, _ lastSunday: String) throws {
        let w = try Periods.weeks(year)
        #expect(w.count == count)
        #expect(w.first?.start.iso == firstMonday)
        #expect(w.last?.end.iso == lastSunday)
        #expect(w.first?.label == "\(year)-W01")
        #expect(w.last?.label == "\(year)-W\(count)")
        for p in w {
            #expect(p.days == 7 && p.workdays == 5)
            #expect(p.start.weekday == 1 && p.end.weekday == 7)
            #expect(p.start.isoWeek.year == year)
        }
    }

    @Test("days, workdays only, holidays and make-up workdays")
    func days() throws {
        let all = try Periods.days(from: Self.day("2026-09-26"), to: Self.day("2026-10-11"))
        #expect(all.count == 16)
        #expect(all.first?.label == "2026-09-26")
        let cal = try WorkCalendar(holidays: (1...7).map { Self.day("2026-10-0\($0)") },
                                   extraWorkdays: [Self.day("2026-09-27"), Self.day("2026-10-10")])
        let work = try Periods.days(from: Self.day("2026-09-26"), to: Self.day("2026-10-11"), workdaysOnly: true, calendar: cal)
        #expect(work.map(\.label) == ["2026-09-27", "2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10"])
        let months = try Periods.months(2026, calendar: cal)
        #expect(months[8].workdays == 23)
        #expect(months[9].workdays == 18)
        #expect(cal.isWorkday(Self.day("2026-10-10")))
        #expect(!cal.isWorkday(Self.day("2026-10-05")))
    }

    @Test("a split over quarters: the SEEDS.md seasonality case")
    func seasonalSplit() throws {
        let q = try Periods.quarters(2026)
        let parts = try Allocation.split(total: 120_000_000, weights: [20, 30, 20, 30], keys: q.map(\.label))
        #expect(parts.map(\.amount) == [24_000_000, 36_000_000, 24_000_000, 36_000_000])
        // By working days instead: 261 days, still exact.
        let byDays = try Allocation.split(total: 120_000_000, weights: q.map { Double($0.workdays) }, keys: q.map(\.label))
        #expect(byDays.reduce(0) { $0 + $1.amount } == 120_000_000)
    }

    @Test("refusals")
    func refusals() {
        #expect(throws: Periods.Failure.reversedRange(from: "2026", to: "2025")) { try Periods.years(from: 2026, to: 2025) }
        #expect(throws: Periods.Failure.yearOutOfRange(0)) { try Periods.quarters(0) }
        #expect(throws: Periods.Failure.yearOutOfRange(10000)) { try Periods.weeks(10000) }
        #expect(throws: Periods.Failure.tooManyPeriods(1_000_001)) {
            try Periods.days(from: TallyDate(days: 0), to: TallyDate(days: 1_000_000))
        }
        #expect(throws: Periods.Failure.conflictingDay(Self.day("2026-10-01"))) {
            try WorkCalendar(holidays: [Self.day("2026-10-01")], extraWorkdays: [Self.day("2026-10-01")])
        }
    }

    @Test("working days in a range match a day-by-day count")
    func workdayArithmetic() throws {
        let cal = try WorkCalendar(holidays: [Self.day("2026-05-01"), Self.day("2026-05-02")], extraWorkdays: [Self.day("2026-05-09")])
        for start in 0..<14 {
            for length in 0..<40 {
                let a = TallyDate(days: Self.day("2026-04-20").days + Int32(start))
                let b = TallyDate(days: a.days + Int32(length))
                let slow = (a.days...b.days).filter { cal.isWorkday(TallyDate(days: $0)) }.count
                #expect(cal.workdays(from: a, to: b) == slow)
            }
        }
        #expect(cal.workdays(from: Self.day("2026-05-02"), to: Self.day("2026-05-01")) == 0)
    }
}
