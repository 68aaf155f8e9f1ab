import TallyCore

/// How RFM scores are assigned.
public enum RfmMethod: Sendable, Equatable {
    /// Fixed band edges (SEEDS.md section 4 by default).
    case fixed(RfmThresholds)
    /// Quantile bins (quintiles for 5), ties kept in one bin, R reversed.
    case quantile(bins: Int)

    /// The SEEDS.md thresholds.
    public static let standard = RfmMethod.fixed(.standard)
}

/// The scale in force for one measure, to state and explain it.
public enum RfmScale: Sendable, Equatable {
    /// Ascending inclusive upper bounds of scores top ... 2 (recency).
    case upperBounds([Double])
    /// Ascending inclusive lower bounds of scores 2 ... top (frequency; monetary in cents).
    case lowerBounds([Double])
    /// Quantile cuts found in the data.
    case quantile(QuantileBreaks)
}

/// A scored and segmented RFM table: parallel arrays, one entry per customer.
public struct RfmResult: Sendable, Equatable {
    public var customers: [String]
    /// The measures as scored, kept as given (days and counts are usually narrow).
    public var recency: NumberCells
    public var frequency: NumberCells
    public var monetary: NumberCells
    public var scores: RfmScores
    /// Index into `rules.rules` for each customer.
    public var segments: [Int32]
    public var rules: SegmentRules
    public var means: RfmMeans
    public var method: RfmMethod
    /// The scale in force for each measure.
    public var scales: RfmTriple<RfmScale>
    /// Empty or collapsed quantile bins, future orders, skipped rows... in words.
    /// Typed notes (the REPL words and formats them).
    public var warnings: [Note]

    /// The score string of customer `i` ("545").
    public func code(_ i: Int) -> String { "\(scores.r[i])\(scores.f[i])\(scores.m[i])" }

    /// The segment rule of customer `i`.
    public func rule(_ i: Int) -> SegmentRule { rules.rules[Int(segments[i])] }

    /// The segment name of customer `i` in `lang` ("zh" or English).
    public func segmentName(_ i: Int, lang: String = "en") -> String {
        rule(i).name(lang: lang)
    }

    /// The row of a customer, if present.
    public func index(of customer: String) -> Int? { customers.firstIndex(of: customer) }

    /// The thresholds or breaks in force and the tie rule, one line per measure.
    public var scaleDescription: [String] {
        RfmMetric.allCases.map { RfmExplanation.describe(scales[$0], metric: $0) }
    }
}

/// Scoring and segmenting of aggregated RFM values.
public enum Rfm {
    /// Scores aggregated values (`rfm_score`): recency in days, frequency in orders,
    /// monetary in money; then names each customer's segment with `segments`.
    /// The inputs are not modified. `stop` is asked every few thousand customers (Ctrl-C);
    /// once it says true the rest is skipped and the result is meaningless: the caller
    /// asks its own interrupt flag and throws.
    public static func score(
        customers: [String], recency: [Double], frequency: [Double], monetary: [Double],
        method: RfmMethod = .standard, segments: SegmentRules = .standard, stop: () -> Bool = { false }
    ) throws(RfmError) -> RfmResult {
        try score(customers: customers, recency: NumberCells(recency), frequency: NumberCells(frequency),
                  monetary: NumberCells(monetary), method: method, segments: segments, stop: stop)
    }

    /// Scores measures kept at any width. Each measure is read as doubles only while it
    /// is scored, so over a million customers at most one 8 MB copy exists at a time.
    public static func score(
        customers: [String], recency: NumberCells, frequency: NumberCells, monetary: NumberCells,
        method: RfmMethod = .standard, segments: SegmentRules = .standard, stop: () -> Bool = { false }
    ) throws(RfmError) -> RfmResult {
        let n = customers.count
        guard recency.count == n, frequency.count == n, monetary.count == n else {
            throw .lengthMismatch("\(n) customers, \(recency.count) recency, \(frequency.count) frequency, \(monetary.count) monetary values")
        }
        let scores: RfmScores
        let scales: RfmTriple<RfmScale>
        var warnings: [Note] = []
        switch method {
        case .fixed(let t):
            scores = try RfmScoring.fixed(recency: recency, frequency: frequency, monetary: monetary, thresholds: t, stop: stop)
            scales = RfmTriple(r: .upperBounds(t.r), f: .lowerBounds(t.f), m: .lowerBounds(t.m))
        case .quantile(let bins):
            let r = try RfmScoring.quantile(recency.doubles, bins: bins, higherIsBetter: false, label: "R")
            let f = stop() ? r : try RfmScoring.quantile(frequency.doubles, bins: bins, higherIsBetter: true, label: "F")
            let mc = try RfmScoring.cents(monetary.doubles, metric: "M", stop: stop)
            let m = try RfmScoring.quantile(mc.map { Double($0) / 100 }, bins: bins, higherIsBetter: true, label: "M")
            scores = RfmScores(r: r.scores, f: f.scores, m: m.scores, top: RfmTriple(r: bins, f: bins, m: bins))
            scales = RfmTriple(r: .quantile(r.breaks), f: .quantile(f.breaks), m: .quantile(m.breaks))
            warnings += r.warnings + f.warnings + m.warnings
        }
        let (seg, means) = segments.classify(scores, stop: stop)
        let future = (0..<n).reduce(0) { $0 + (recency.value(at: $1) < 0 ? 1 : 0) }
        if future > 0 {
            warnings.append(Note(.rfmFuture, [.counted(future, .nounCustomerHas)]))
        }
        return RfmResult(customers: customers, recency: recency, frequency: frequency, monetary: monetary,
                         scores: scores, segments: seg, rules: segments, means: means, method: method,
                         scales: scales, warnings: warnings)
    }

    /// Scores the output of `RfmAggregation.aggregate`, adding warnings for skipped rows.
    public static func score(_ agg: RfmAggregate, method: RfmMethod = .standard, segments: SegmentRules = .standard,
                             stop: () -> Bool = { false }) throws(RfmError) -> RfmResult {
        var result = try score(customers: agg.customers, recency: .narrowest(agg.recency),
                               frequency: .narrowest(agg.frequency), monetary: NumberCells(agg.monetary),
                               method: method, segments: segments, stop: stop)
        var notes: [Note] = []
        if agg.skippedEmptyRows > 0 { notes.append(Note(.rfmSkippedEmpty, [.counted(agg.skippedEmptyRows, .nounRow)])) }
        if agg.skippedBadAmountRows > 0 { notes.append(Note(.rfmSkippedBadAmount, [.counted(agg.skippedBadAmountRows, .nounRow)])) }
        result.warnings = notes + result.warnings
        return result
    }
}
