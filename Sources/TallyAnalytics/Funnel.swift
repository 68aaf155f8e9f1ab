import TallyCore

/// Why a funnel was refused.
public enum FunnelError: Error, Equatable, Sendable {
    case lengthMismatch(stages: Int, counts: Int)
    case empty
    case negativeCount(stage: String)
    case notANumber(stage: String)

    /// A one-line message for the user.
    public var message: String {
        switch self {
        case .lengthMismatch(let s, let c): return "\(s) \(Plural.noun(s, "stage")) but \(c) \(Plural.noun(c, "count"))"
        case .empty: return "a funnel needs at least one stage"
        case .negativeCount(let s): return "stage \"\(s)\" has a negative count"
        case .notANumber(let s): return "stage \"\(s)\" has a count that is not a number"
        }
    }
}

/// One stage of a funnel.
public struct FunnelStage: Sendable, Equatable {
    public var name: String
    public var count: Double
    /// Conversion from the previous stage (count / previous count); nil for the first stage.
    public var fromPrevious: KpiResult?
    /// Conversion from the first stage (count / first count).
    public var fromFirst: KpiResult
    /// How many were lost since the previous stage (previous - count); nil for the first.
    public var dropOff: Double?
}

/// A computed funnel: stages in order, with warnings (a stage larger than the one before).
public struct FunnelResult: Sendable, Equatable {
    public var stages: [FunnelStage]
    /// Typed notes (the REPL words and formats them).
    public var warnings: [Note]
    /// Conversion from the first stage to the last.
    public var overall: KpiResult { stages.last?.fromFirst ?? .divisionByZero }
}

/// The sales funnel of SEEDS.md section 6: stage counts and stage-to-stage conversion.
public enum Funnel {
    /// Computes each stage's conversion from the previous stage and from the first.
    /// Counts must be non-negative numbers, one per stage; a stage larger than the previous
    /// one is allowed (conversion above 100%) but warned about. A zero stage makes the
    /// next stage's conversion `#DIV/0!`.
    public static func compute(stages: [String], counts: [Double]) throws(FunnelError) -> FunnelResult {
        guard stages.count == counts.count else { throw .lengthMismatch(stages: stages.count, counts: counts.count) }
        guard let first = counts.first else { throw .empty }
        for (name, c) in zip(stages, counts) {
            guard c.isFinite else { throw .notANumber(stage: name) }
            guard c >= 0 else { throw .negativeCount(stage: name) }
        }
        var out: [FunnelStage] = []
        var warnings: [Note] = []
        for (i, (name, c)) in zip(stages, counts).enumerated() {
            let previous = i > 0 ? counts[i - 1] : nil
            if let previous, c > previous {
                warnings.append(Note(.funnelLarger, [.text(name), .number(c, .plain), .text(stages[i - 1]), .number(previous, .plain)]))
            }
            out.append(FunnelStage(
                name: name, count: c,
                fromPrevious: previous.map { Kpi.ratio(c, $0) },
                fromFirst: Kpi.ratio(c, first),
                dropOff: previous.map { $0 - c }))
        }
        return FunnelResult(stages: out, warnings: warnings)
    }
}
