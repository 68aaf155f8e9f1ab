import TallyCore

/// Elapsed and total days of a period, for run rates: counted in calendar days or working
/// days.
public struct RunDays: Sendable, Equatable {
    /// Days already past, `0...total`.
    public let elapsed: Int
    /// Days in the whole period.
    public let total: Int
    /// `total - elapsed`.
    public var remaining: Int { total - elapsed }

    /// Requires `0 <= elapsed <= total`.
    public init(elapsed: Int, total: Int) throws(TargetProgress.Failure) {
        guard total >= 0, elapsed >= 0, elapsed <= total else { throw .badDays(elapsed: elapsed, total: total) }
        self.elapsed = elapsed
        self.total = total
    }

    /// The days of `period` as of the end of `asOf`: the as-of day itself counts as elapsed
    /// (the figures include it), so on the period's last day no days remain. A date before
    /// the period gives 0 elapsed, one after it gives all. With `workdaysOnly`, only the
    /// working days of `calendar` count.
    public init(period: Period, asOf: TallyDate, workdaysOnly: Bool = false, calendar: WorkCalendar = .weekdays) {
        let last = min(asOf, period.end)
        if workdaysOnly {
            total = calendar.workdays(from: period.start, to: period.end)
            elapsed = calendar.workdays(from: period.start, to: last)
        } else {
            total = Int(period.end.days) - Int(period.start.days) + 1
            elapsed = max(0, Int(last.days) - Int(period.start.days) + 1)
        }
    }
}

/// Actual against target for one key or in total (SEEDS.md 7).
public struct ProgressResult: Sendable, Equatable {
    public var actual: Double
    public var target: Double
    /// actual / target; nil when the target is 0 (shown as `#DIV/0!`).
    public var completion: Double?
    /// target - actual: what is still missing (negative once the target is exceeded).
    public var gap: Double
    /// The period's days, when given.
    public var days: RunDays?
    /// elapsed / total days (时间进度), to compare with `completion`; nil without days or
    /// for an empty period.
    public var timeElapsed: Double?
    /// actual / elapsed days; nil without days or before the first day.
    public var currentDailyRate: Double?
    /// max(gap, 0) / remaining days: what each remaining day must bring in (0 once the
    /// target is reached); nil without days or when no days remain.
    public var neededDailyRate: Double?
    /// currentDailyRate × total days: where the current pace ends the period.
    public var projected: Double?
}

/// One key of `progress(actual, target, by: col)`.
public struct KeyedProgress: Sendable, Equatable {
    public var key: String
    /// False when the key has a target but no actual rows (its actual is 0).
    public var hasActual: Bool
    /// Nil when the key has actual rows but no target: nothing to compare with.
    public var progress: ProgressResult?
    /// The summed actual (0 when `hasActual` is false).
    public var actual: Double
}

/// Completion, gap and run rates: `progress(actual, target, by:)`. (Not `Progress`, which
/// would clash with Foundation's `Progress` wherever both modules are imported.)
public enum TargetProgress {
    /// Why progress was refused.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case badDays(elapsed: Int, total: Int)

        public var description: String {
            switch self {
            case .badDays(let e, let t): return "elapsed days (\(e)) must lie between 0 and the period's days (\(t))"
            }
        }
    }

    /// Completion and gap, and with `days` the run rates (see `ProgressResult`).
    public static func compute(actual: Double, target: Double, days: RunDays? = nil) -> ProgressResult {
        var r = ProgressResult(actual: actual, target: target, completion: target == 0 ? nil : actual / target,
                               gap: target - actual, days: days)
        if let d = days {
            r.timeElapsed = d.total > 0 ? Double(d.elapsed) / Double(d.total) : nil
            if d.elapsed > 0 {
                let rate = actual / Double(d.elapsed)
                r.currentDailyRate = rate
                r.projected = rate * Double(d.total)
            }
            if d.remaining > 0 { r.neededDailyRate = max(r.gap, 0) / Double(d.remaining) }
        }
        return r
    }

    /// `compute` with the days given as counts; `0 <= daysElapsed <= daysTotal`.
    public static func compute(actual: Double, target: Double, daysElapsed: Int, daysTotal: Int) throws(Failure) -> ProgressResult {
        compute(actual: actual, target: target, days: try RunDays(elapsed: daysElapsed, total: daysTotal))
    }

    /// Joins actual and target rows by key: the values of repeated keys are summed; keys come
    /// in the order of the targets, then keys with actual rows only, in order of first
    /// appearance. A target key without actual rows has actual 0; an actual key without a
    /// target gets no progress.
    public static func byKey(actual: [(key: String, value: Double)], target: [(key: String, value: Double)],
                             days: RunDays? = nil) -> [KeyedProgress] {
        let (actualKeys, actualSums) = sums(actual)
        let (targetKeys, targetSums) = sums(target)
        var out: [KeyedProgress] = []
        for k in targetKeys {
            let a = actualSums[k]
            out.append(KeyedProgress(key: k, hasActual: a != nil,
                                     progress: compute(actual: a ?? 0, target: targetSums[k] ?? 0, days: days), actual: a ?? 0))
        }
        for k in actualKeys where targetSums[k] == nil {
            out.append(KeyedProgress(key: k, hasActual: true, progress: nil, actual: actualSums[k] ?? 0))
        }
        return out
    }

    /// Keys in first-appearance order and their compensated sums.
    private static func sums(_ rows: [(key: String, value: Double)]) -> ([String], [String: Double]) {
        var order: [String] = []
        var acc: [String: CompensatedSum] = [:]
        for (k, v) in rows {
            if acc[k] == nil { order.append(k); acc[k] = CompensatedSum() }
            acc[k]?.add(v)
        }
        return (order, acc.mapValues(\.value))
    }
}
