import TallyCore

/// A point of the ABC curve: after the `items` largest values (effort = items / n),
/// the share of the total they hold (yield).
public struct AbcCurvePoint: Sendable, Equatable {
    public var items: Int
    public var effort: Double
    public var yield: Double
}

/// The cut-offs found by the computed ABC analysis and the resulting classes.
public struct AbcComputedResult: Sendable, Equatable {
    /// The classes: the first `demarcation.items` ranks are A, ranks up to
    /// `submarginal.items` are B, the rest (and every zero or negative value) C.
    /// Its `a` and `b` are the yields at the two limits.
    public var classification: AbcResult
    /// The curve point closest to the ideal (0, 1).
    public var pareto: AbcCurvePoint
    /// The point where the curve's slope is closest to 1 (the item nearest the mean value).
    public var breakEven: AbcCurvePoint
    /// The A/B limit: the earlier of the Pareto and break-even points.
    public var demarcation: AbcCurvePoint
    /// The B/C limit: the point closest to (effort of the later of Pareto and break-even, 1).
    public var submarginal: AbcCurvePoint

    /// The cut-offs as notes for the user, one a line.
    public var notes: [Note] {
        func p(_ x: AbcCurvePoint) -> NotePart {
            .phrase(.abcComputedPoint, [.counted(x.items, .nounItem), .number(x.effort, .percent), .number(x.yield, .percent)])
        }
        return [
            Note(.abcComputedLead, [.count(classification.order.count - classification.nonPositiveKeys.count)]),
            Note(.abcComputedPareto, [p(pareto)]),
            Note(.abcComputedBreakEven, [p(breakEven)]),
            Note(.abcComputedAB, [p(demarcation)]),
            Note(.abcComputedBC, [p(submarginal)]),
        ]
    }
}

extension Abc {
    /// Ultsch & Lötsch's computed ABC analysis (PLoS ONE 2015): the cut-offs come from
    /// the data rather than fixed percentages.
    ///
    /// The ABC curve joins (i / n, cum_i / total) for the positive values in rank order
    /// (value descending, ties by key), from (0, 0) to (1, 1). The Pareto point is the curve
    /// point nearest (0, 1); the break-even point is where the slope of the curve,
    /// `n * value_i / total` (the item's value over the mean), is closest to 1. The A/B limit
    /// is the earlier of the two; the B/C limit is the submarginal point, the curve point
    /// nearest (effort of the later of the two, 1). Distances are Euclidean; the first of
    /// equal minima wins. Zero and negative values are class C and not on the curve.
    public static func computed(keys: [String], values: [Double]) throws(AbcError) -> AbcComputedResult {
        guard keys.count == values.count else { throw .lengthMismatch("\(keys.count) keys but \(values.count) values") }
        let cents = try centsOf(values)
        let order = rankOrder(keys: keys, values: values)
        return try computed(keys: keys, values: values, cents: cents, order: order)
    }

    /// The computed ABC analysis of per-key totals (the `by:` form).
    public static func computed(_ totals: AbcTotals) throws(AbcError) -> AbcComputedResult {
        try computed(keys: totals.keys, values: totals.values, cents: totals.cents,
                     order: rankOrder(keys: totals.keys, values: totals.values))
    }

    static func computed(keys: [String], values: [Double], cents: [Int64], order: [Int]) throws(AbcError) -> AbcComputedResult {
        let ranked = order.map { cents[$0] }
        let n = ranked.prefix { $0 > 0 }.count
        var total: Int64 = 0
        for c in ranked.prefix(n) {
            let (s, o) = total.addingReportingOverflow(c)
            if o { throw .sumOverflow }
            total = s
        }
        // yield[i] for i = 0 ... n.
        var yield = [Double](repeating: 0, count: n + 1)
        var cum: Int64 = 0
        for i in 0..<n {
            cum += ranked[i]
            yield[i + 1] = total > 0 ? Double(cum) / Double(total) : 0
        }
        let count = Double(max(n, 1))
        func point(_ i: Int) -> AbcCurvePoint { AbcCurvePoint(items: i, effort: Double(i) / count, yield: yield[i]) }
        func nearest(_ x: Double, _ y: Double) -> Int {
            var best = 0
            var bestD = Double.infinity
            for i in 0...n {
                let dx = Double(i) / count - x, dy = yield[i] - y
                let d = dx * dx + dy * dy
                if d < bestD { bestD = d; best = i }
            }
            return best
        }
        let pareto = nearest(0, 1)
        var breakEven = 0
        if n > 0, total > 0 {
            var bestGap = Double.infinity
            for i in 1...n {
                let slope = count * Double(ranked[i - 1]) / Double(total)
                let gap = abs(slope - 1)
                if gap < bestGap { bestGap = gap; breakEven = i }
            }
        }
        let demarcation = min(pareto, breakEven)
        let sub = max(nearest(Double(max(pareto, breakEven)) / count, 1), demarcation)
        let a = yield[demarcation], b = yield[sub]
        var result = try classify(keys: keys, values: values, cents: cents, order: order,
                                  a: min(a, b), b: b, rule: .including, positions: (demarcation, sub))
        result.warnings.removeAll { $0.key == .abcNoA }
        return AbcComputedResult(classification: result, pareto: point(pareto), breakEven: point(breakEven),
                                 demarcation: point(demarcation), submarginal: point(sub))
    }
}
