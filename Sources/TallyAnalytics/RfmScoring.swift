import TallyCore

/// The three RFM measures.
public enum RfmMetric: String, Sendable, CaseIterable, Hashable {
    case r, f, m

    /// The upper-case letter used in messages ("R").
    public var letter: String { rawValue.uppercased() }
    /// The measure's name ("recency").
    public var noun: String {
        switch self {
        case .r: return "recency"
        case .f: return "frequency"
        case .m: return "monetary"
        }
    }
}

/// Fixed band edges for scoring, read as in SEEDS.md section 4.
///
/// - `r` (days), ascending: the inclusive *upper* bounds of scores top, top-1, ..., 2.
///   With `[30, 90, 180, 365]`: R <= 30 -> 5, 31-90 -> 4, 91-180 -> 3, 181-365 -> 2, > 365 -> 1.
/// - `f` (orders), ascending: the inclusive *lower* bounds of scores 2, 3, ..., top.
///   With `[1, 2, 5, 10]`: 0 -> 1, 1 -> 2, 2-4 -> 3, 5-9 -> 4, >= 10 -> 5.
/// - `m` (money), ascending: the inclusive lower bounds of scores 2, ..., top, compared in
///   integer cents. With `[100, 500, 2000, 5000]`: < 100 -> 1, 100-499.99 -> 2,
///   500-1999.99 -> 3, 2000-4999.99 -> 4, >= 5000 -> 5.
///
/// `k` edges give scores 1 ... k+1; one to eight edges per measure, finite, strictly ascending.
public struct RfmThresholds: Sendable, Equatable {
    public var r: [Double]
    public var f: [Double]
    public var m: [Double]

    public init(r: [Double], f: [Double], m: [Double]) {
        self.r = r
        self.f = f
        self.m = m
    }

    /// The thresholds of SEEDS.md section 4.
    public static let standard = RfmThresholds(r: [30, 90, 180, 365], f: [1, 2, 5, 10], m: [100, 500, 2000, 5000])

    /// The edges of one measure.
    public func edges(_ metric: RfmMetric) -> [Double] {
        switch metric {
        case .r: return r
        case .f: return f
        case .m: return m
        }
    }

    /// Throws unless every measure has one to eight finite, strictly ascending edges.
    public func validate() throws(RfmError) {
        for metric in RfmMetric.allCases {
            let e = edges(metric)
            guard (1...8).contains(e.count) else {
                throw .badEdges(metric: metric.letter, reason: "give 1 to 8 edges, not \(e.count)")
            }
            guard e.allSatisfy({ $0.isFinite }) else { throw .badEdges(metric: metric.letter, reason: "edges must be numbers") }
            for i in 1..<e.count where !(e[i - 1] < e[i]) {
                throw .badEdges(metric: metric.letter, reason: "edges must be strictly ascending")
            }
            if metric == .m, e.contains(where: { abs($0) >= 9.0e13 }) {
                throw .badEdges(metric: "M", reason: "edge too large")
            }
        }
    }
}

/// Scores of the three measures, parallel to the customers. A score is 1 ... 9 (at most 8
/// edges or 9 bins), so each is one byte: over a million customers the three take 3 MB,
/// not the 24 MB of `Int`s.
public struct RfmScores: Sendable, Equatable {
    public var r: [UInt8]
    public var f: [UInt8]
    public var m: [UInt8]
    /// The highest score of each measure (edges + 1, or the number of bins).
    public var top: RfmTriple<Int>

    public init(r: [UInt8], f: [UInt8], m: [UInt8], top: RfmTriple<Int>) {
        self.r = r
        self.f = f
        self.m = m
        self.top = top
    }

    /// The scores of one measure.
    public func scores(_ metric: RfmMetric) -> [UInt8] {
        switch metric {
        case .r: return r
        case .f: return f
        case .m: return m
        }
    }

    /// The three scores of customer `i`.
    public func of(_ i: Int) -> RfmTriple<Int> { RfmTriple(r: Int(r[i]), f: Int(f[i]), m: Int(m[i])) }
}

/// One value per RFM measure.
public struct RfmTriple<T: Sendable & Equatable>: Sendable, Equatable {
    public var r: T
    public var f: T
    public var m: T

    public init(r: T, f: T, m: T) {
        self.r = r
        self.f = f
        self.m = m
    }

    public subscript(metric: RfmMetric) -> T {
        switch metric {
        case .r: return r
        case .f: return f
        case .m: return m
        }
    }
}

/// Turns recency, frequency and monetary values into scores.
public enum RfmScoring {
    /// Fixed-threshold scores with the edges read as documented on `RfmThresholds`.
    /// Monetary values are compared in integer cents (`(m * 100).rounded()`), so
    /// 4999.99 scores 4 and 5000.00 scores 5 with the standard edges.
    public static func fixed(
        recency: [Double], frequency: [Double], monetary: [Double],
        rEdges: [Double] = RfmThresholds.standard.r, fEdges: [Double] = RfmThresholds.standard.f,
        mEdges: [Double] = RfmThresholds.standard.m
    ) throws(RfmError) -> RfmScores {
        try fixed(recency: recency, frequency: frequency, monetary: monetary,
                  thresholds: RfmThresholds(r: rEdges, f: fEdges, m: mEdges))
    }

    /// Fixed-threshold scores for integer recency and frequency (the aggregation's output).
    public static func fixed(
        recency: [Int], frequency: [Int], monetary: [Double],
        rEdges: [Double] = RfmThresholds.standard.r, fEdges: [Double] = RfmThresholds.standard.f,
        mEdges: [Double] = RfmThresholds.standard.m
    ) throws(RfmError) -> RfmScores {
        try fixed(recency: recency.map(Double.init), frequency: frequency.map(Double.init), monetary: monetary,
                  thresholds: RfmThresholds(r: rEdges, f: fEdges, m: mEdges))
    }

    /// Customers scored between two questions to `stop` (Ctrl-C).
    static let stopEvery = 0x3FFF

    /// Fixed-threshold scores; once `stop` says true the scores are left unfinished.
    public static func fixed(recency: [Double], frequency: [Double], monetary: [Double], thresholds t: RfmThresholds,
                             stop: () -> Bool = { false }) throws(RfmError) -> RfmScores {
        try fixed(recency: NumberCells(recency), frequency: NumberCells(frequency), monetary: NumberCells(monetary),
                  thresholds: t, stop: stop)
    }

    /// Fixed-threshold scores of measures at any width, each read as doubles only while
    /// it is scored.
    public static func fixed(recency: NumberCells, frequency: NumberCells, monetary: NumberCells, thresholds t: RfmThresholds,
                             stop: () -> Bool = { false }) throws(RfmError) -> RfmScores {
        try t.validate()
        let n = recency.count
        guard frequency.count == n, monetary.count == n else {
            throw .lengthMismatch("\(n) recency, \(frequency.count) frequency, \(monetary.count) monetary values")
        }
        let r = try scoreUpper(recency.doubles, edges: t.r, metric: .r, stop: stop)
        let f = try scoreLower(frequency.doubles, edges: t.f, metric: .f, stop: stop)
        let m = scoreCents(cents: try cents(monetary.doubles, metric: "M", stop: stop), edges: t.m, stop: stop)
        return RfmScores(r: r, f: f, m: m, top: RfmTriple(r: t.r.count + 1, f: t.f.count + 1, m: t.m.count + 1))
    }

    /// Score by inclusive upper bounds: `top - (number of edges below the value)`.
    static func scoreUpper(_ xs: [Double], edges: [Double], metric: RfmMetric, stop: () -> Bool = { false }) throws(RfmError) -> [UInt8] {
        let top = edges.count + 1
        var out = [UInt8](repeating: 0, count: xs.count)
        for (i, x) in xs.enumerated() {
            if i & stopEvery == 0 && stop() { break }
            guard x.isFinite else { throw .nonFiniteValue(metric: metric.letter, index: i) }
            var above = 0
            for e in edges where x > e { above += 1 }
            out[i] = UInt8(truncatingIfNeeded: top - above)
        }
        return out
    }

    /// Score by inclusive lower bounds: `1 + (number of edges at or below the value)`.
    static func scoreLower(_ xs: [Double], edges: [Double], metric: RfmMetric, stop: () -> Bool = { false }) throws(RfmError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: xs.count)
        for (i, x) in xs.enumerated() {
            if i & stopEvery == 0 && stop() { break }
            guard x.isFinite else { throw .nonFiniteValue(metric: metric.letter, index: i) }
            var reached: UInt8 = 1
            for e in edges where x >= e { reached &+= 1 }
            out[i] = reached
        }
        return out
    }

    /// Monetary scores compared in integer cents.
    static func scoreCents(_ xs: [Double], edges: [Double]) throws(RfmError) -> [UInt8] {
        scoreCents(cents: try cents(xs, metric: "M"), edges: edges)
    }

    /// Monetary scores from integer cents.
    static func scoreCents(cents: [Int64], edges: [Double], stop: () -> Bool = { false }) -> [UInt8] {
        let edgeCents = edges.map { Int64(($0 * 100).rounded()) }
        var out = [UInt8](repeating: 0, count: cents.count)
        for (i, c) in cents.enumerated() {
            if i & stopEvery == 0 && stop() { break }
            var reached: UInt8 = 1
            for e in edgeCents where c >= e { reached &+= 1 }
            out[i] = reached
        }
        return out
    }

    /// Exact cents of money values, or an error naming the first that cannot be held.
    static func cents(_ xs: [Double], metric: String, stop: () -> Bool = { false }) throws(RfmError) -> [Int64] {
        var out = [Int64](repeating: 0, count: xs.count)
        for (i, x) in xs.enumerated() {
            if i & stopEvery == 0 && stop() { break }
            let c = (x * 100).rounded()
            guard abs(c) < GroupKernel.maxCents else { throw .nonFiniteValue(metric: metric, index: i) }
            out[i] = Int64(c)
        }
        return out
    }
}
