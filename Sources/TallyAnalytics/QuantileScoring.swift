import TallyCore

/// The breaks found by quantile scoring of one measure, to state them to the user.
///
/// Tie rule: `score = 1 + floor(bins * k / n)`, where `n` is the number of values and `k`
/// the number of values strictly *worse* than this one (strictly smaller when higher is
/// better; strictly larger when lower is better, as for recency). Equal values therefore
/// always share a score, and a tie block takes the score of its first position.
///
/// Equivalently, with `cuts[j]` (j = 0 ..< bins-1) the value at sorted position
/// `ceil((j+1) * n / bins) - 1` counted from the worst end, a value's score is
/// 1 + the number of cuts it is strictly better than.
public struct QuantileBreaks: Sendable, Equatable {
    /// Number of bins (the top score).
    public var bins: Int
    /// True for F and M (bigger is better); false for R (recent, i.e. smaller, is better).
    public var higherIsBetter: Bool
    /// `bins - 1` cut values: a value strictly better than `cuts[j]` scores at least `j + 2`.
    public var cuts: [Double]
    /// How many values received each score (index 0 is score 1).
    public var counts: [Int]
    /// The smallest and largest value with each score (nil for an empty bin).
    public var ranges: [ClosedRange<Double>?]

    /// The score of one value under these breaks.
    public func score(_ x: Double) -> Int {
        var s = 1
        if higherIsBetter {
            for c in cuts where x > c { s += 1 }
        } else {
            for c in cuts where x < c { s += 1 }
        }
        return s
    }

    /// The scores (1-based) that no value received.
    public var emptyScores: [Int] { counts.indices.filter { counts[$0] == 0 }.map { $0 + 1 } }
}

/// Quantile scores of one measure with the breaks and the warnings to show.
public struct QuantileScores: Sendable, Equatable {
    /// 1 ... bins (at most 9), one byte each.
    public var scores: [UInt8]
    public var breaks: QuantileBreaks
    /// Empty bins and tie blocks larger than one bin, in words.
    /// Typed notes (the REPL words and formats them).
    public var warnings: [Note]
}

extension RfmScoring {
    /// Scores values into `bins` quantile bins (2 ... 9), equal values always in the same
    /// bin; the rule is documented on `QuantileBreaks`. `higherIsBetter: false` reverses the
    /// direction (recency: the most recent customers score highest). `label` names the
    /// measure in warnings ("R").
    public static func quantile(_ values: [Double], bins: Int = 5, higherIsBetter: Bool, label: String = "value") throws(RfmError) -> QuantileScores {
        guard (2...9).contains(bins) else { throw .badBins(bins) }
        for (i, v) in values.enumerated() where !v.isFinite {
            throw .nonFiniteValue(metric: label, index: i)
        }
        let n = values.count
        guard n > 0 else {
            let b = QuantileBreaks(bins: bins, higherIsBetter: higherIsBetter, cuts: [], counts: Array(repeating: 0, count: bins),
                                   ranges: Array(repeating: nil, count: bins))
            return QuantileScores(scores: [], breaks: b, warnings: [Note(.quantileNoValues, [.text(label)])])
        }
        // Sorted from the worst value to the best.
        var sorted = values
        if higherIsBetter { sorted.sort() } else { sorted.sort(by: >) }
        var cuts: [Double] = []
        cuts.reserveCapacity(bins - 1)
        for j in 1..<bins {
            // First rank that reaches score j + 1: ceil(j * n / bins).
            let rank = (j * n + bins - 1) / bins
            cuts.append(sorted[rank - 1])
        }
        var breaks = QuantileBreaks(bins: bins, higherIsBetter: higherIsBetter, cuts: cuts,
                                    counts: Array(repeating: 0, count: bins), ranges: Array(repeating: nil, count: bins))
        var scores = [UInt8](repeating: 1, count: n)
        var lo = [Double](repeating: .infinity, count: bins)
        var hi = [Double](repeating: -.infinity, count: bins)
        for (i, v) in values.enumerated() {
            let s = breaks.score(v)
            scores[i] = UInt8(truncatingIfNeeded: s)
            breaks.counts[s - 1] += 1
            if v < lo[s - 1] { lo[s - 1] = v }
            if v > hi[s - 1] { hi[s - 1] = v }
        }
        for b in 0..<bins where breaks.counts[b] > 0 { breaks.ranges[b] = lo[b]...hi[b] }
        return QuantileScores(scores: scores, breaks: breaks, warnings: quantileWarnings(sorted: sorted, breaks: breaks, label: label))
    }

    /// Warnings for empty bins and for tie blocks bigger than one bin.
    static func quantileWarnings(sorted: [Double], breaks: QuantileBreaks, label: String) -> [Note] {
        var warnings: [Note] = []
        let n = sorted.count
        let empty = breaks.emptyScores
        if let only = sorted.first, sorted.last == only {
            warnings.append(Note(.quantileAllEqual, [.text(label), .count(n), .number(only, .plain)]))
            return warnings
        }
        if !empty.isEmpty {
            warnings.append(Note(empty.count > 1 ? .quantileEmptyScores : .quantileEmptyScore,
                                 [.text(label), .joined(empty.map { .count($0) }, ", "), .count(breaks.bins)]))
        }
        // Tie blocks holding more than one bin's worth of values (collapsed bins).
        let share = Double(n) / Double(breaks.bins)
        var start = 0
        var big: [NotePart] = []
        while start < n {
            var end = start + 1
            while end < n, sorted[end] == sorted[start] { end += 1 }
            let size = end - start
            if Double(size) > share {
                big.append(.phrase(.quantileTie, [.count(size), .number(sorted[start], .plain), .number(Double(size) / Double(n), .percent),
                                                  .count(breaks.score(sorted[start]))]))
            }
            start = end
        }
        if !big.isEmpty {
            warnings.append(Note(.quantileCollapsed, [.text(label), .number(1 / Double(breaks.bins), .percent), .joined(big, "; ")]))
        }
        return warnings
    }
}
