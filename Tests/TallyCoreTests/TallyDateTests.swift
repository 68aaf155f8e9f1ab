import Testing
@testable import TallyCore

struct TallyDateTests {
    @Test("civil dates round-trip through day numbers", arguments: [
        (1970, 1, 1, 0), (1970, 1, 2, 1), (1969, 12, 31, -1), (2000, 2, 29, 11016),
        (2026, 7, 1, 20635), (2024, 12, 31, 20088), (1900, 3, 1, -25508),
    ])
    func civil(_ y: Int, _ m: Int, _ d: Int, _ days: Int32) throws {
        let date = try #require(TallyDate(year: y, month: m, day: d))
        #expect(date.days == days)
        #expect(date.components == (y, m, d))
    }

    @Test("impossible dates are refused", arguments: [(2026, 2, 29), (2025, 13, 1), (2026, 4, 31), (2026, 0, 10), (2026, 1, 0), (1900, 2, 29)])
    func invalid(_ y: Int, _ m: Int, _ d: Int) {
        #expect(TallyDate(year: y, month: m, day: d) == nil)
    }

    @Test("ISO text, quarter, weekday and ISO week", arguments: [
        ("2026-07-01", 3, 3, 2026, 27), ("2026-01-01", 1, 4, 2026, 1), ("2027-01-01", 1, 5, 2026, 53),
        ("2024-12-30", 4, 1, 2025, 1), ("2021-01-03", 1, 7, 2020, 53),
    ])
    func fields(_ iso: String, _ quarter: Int, _ weekday: Int, _ weekYear: Int, _ week: Int) throws {
        let p = iso.split(separator: "-").compactMap { Int($0) }
        let d = try #require(TallyDate(year: p[0], month: p[1], day: p[2]))
        #expect(d.iso == iso)
        #expect(d.quarter == quarter)
        #expect(d.weekday == weekday)
        #expect(d.isoWeek == (weekYear, week))
    }

    @Test("adding months clamps to the month's end", arguments: [
        ("2026-01-31", 1, "2026-02-28"), ("2024-01-31", 1, "2024-02-29"), ("2026-03-15", -3, "2025-12-15"),
        ("2026-12-31", 2, "2027-02-28"), ("2026-05-31", -1, "2026-04-30"), ("2026-07-01", 12, "2027-07-01"),
    ])
    func months(_ from: String, _ n: Int, _ expected: String) throws {
        let p = from.split(separator: "-").compactMap { Int($0) }
        let d = try #require(TallyDate(year: p[0], month: p[1], day: p[2]))
        #expect(d.addingMonths(n)?.iso == expected)
    }
}
