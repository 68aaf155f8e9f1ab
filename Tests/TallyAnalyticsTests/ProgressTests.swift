import Foundation
import Testing
import TallyCore
@testable import TallyAnalytics

/// Completion, gap and run rates (SEEDS.md 7).
struct ProgressTests {
    static let july = Period(label: "2026-07", start: TallyDate(year: 2026, month: 7, day: 1) ?? TallyDate(days: 0),
                             end: TallyDate(year: 2026, month: 7, day: 31) ?? TallyDate(days: 0), days: 31, workdays: 23)

    static func day(_ d: Int) -> TallyDate { TallyDate(year: 2026, month: 7, day: d) ?? TallyDate(days: 0) }

    @Test("completion and gap", arguments: [
        (400.0, 1000.0, 0.4 as Double?, 600.0), (1200, 1000, 1.2, -200), (0, 500, 0, 500), (300, 0, nil, -300),
    ])
    func completion(_ actual: Double, _ target: Double, _ rate: Double?, _ gap: Double) {
        let p = TargetProgress.compute(actual: actual, target: target)
        #expect(p.completion == rate)
        #expect(p.gap == gap)
        #expect(p.neededDailyRate == nil)
        #expect(p.days == nil)
    }

    @Test("run rate needed for the rest of July, in calendar days")
    func calendarDays() {
        let days = RunDays(period: Self.july, asOf: Self.day(15))
        #expect(days.elapsed == 15 && days.total == 31 && days.remaining == 16)
        let p = TargetProgress.compute(actual: 400_000, target: 1_000_000, days: days)
        #expect(p.neededDailyRate == 37_500)
        #expect(p.timeElapsed == 15.0 / 31)
        #expect(p.currentDailyRate == 400_000.0 / 15)
        #expect(abs((p.projected ?? 0) - 826_666.666_666_7) < 1e-6)
    }

    @Test("run rate in working days")
    func workdays() {
        let days = RunDays(period: Self.july, asOf: Self.day(15), workdaysOnly: true)
        #expect(days.elapsed == 11 && days.total == 23)
        #expect(TargetProgress.compute(actual: 400_000, target: 1_000_000, days: days).neededDailyRate == 50_000)
    }

    @Test("edges of the period: before it, on its last day, target already reached")
    func edges() throws {
        let before = RunDays(period: Self.july, asOf: TallyDate(year: 2026, month: 6, day: 30) ?? TallyDate(days: 0))
        #expect(before.elapsed == 0 && before.remaining == 31)
        let p = TargetProgress.compute(actual: 0, target: 3100, days: before)
        #expect(p.neededDailyRate == 100)
        #expect(p.currentDailyRate == nil && p.projected == nil)

        let last = RunDays(period: Self.july, asOf: Self.day(31))
        #expect(last.remaining == 0)
        #expect(TargetProgress.compute(actual: 10, target: 20, days: last).neededDailyRate == nil)
        let after = RunDays(period: Self.july, asOf: TallyDate(year: 2026, month: 9, day: 1) ?? TallyDate(days: 0))
        #expect(after.elapsed == 31)

        let done = try TargetProgress.compute(actual: 1500, target: 1000, daysElapsed: 10, daysTotal: 30)
        #expect(done.neededDailyRate == 0)
        #expect(done.gap == -500)
    }

    @Test("day counts must be consistent")
    func badDays() {
        #expect(throws: TargetProgress.Failure.badDays(elapsed: 5, total: 3)) {
            try TargetProgress.compute(actual: 1, target: 2, daysElapsed: 5, daysTotal: 3)
        }
        #expect(throws: TargetProgress.Failure.badDays(elapsed: -1, total: 3)) {
            try TargetProgress.compute(actual: 1, target: 2, daysElapsed: -1, daysTotal: 3)
        }
    }

    @Test("joining actual and target by key")
    func byKey() {
        let actual: [(key: String, value: Double)] = [("Wang", 300), ("Li", 500), ("Wang", 200), ("Zhao", 50)]
        let target: [(key: String, value: Double)] = [("Li", 1000), ("Wang", 500), ("Chen", 800), ("Ghost", 0)]
        let rows = TargetProgress.byKey(actual: actual, target: target)
        #expect(rows.map(\.key) == ["Li", "Wang", "Chen", "Ghost", "Zhao"])
        #expect(rows.map { $0.progress?.completion } == [0.5, 1.0, 0, nil, nil])
        #expect(rows.map(\.hasActual) == [true, true, false, false, true])
        #expect(rows[2].progress?.gap == 800)
        #expect(rows[4].progress == nil && rows[4].actual == 50)
    }
}
