import TallyCore

/// An ABC class.
public enum AbcClass: String, Sendable, Equatable, CaseIterable {
    case a = "A", b = "B", c = "C"
}

/// How a row is put in a class by the running total.
public enum AbcRule: String, Sendable, Equatable {
    /// By the cumulative share *before* the row: the row that crosses a cut-off stays in the
    /// higher class (A while `cum_before < a * total`, B while `cum_before < b * total`).
    case before
    /// By the cumulative share *including* the row (SEEDS.md section 1, the bench's rule):
    /// A while `cum <= a * total`, B while `cum <= b * total`, else C.
    case including
}

/// Why an ABC analysis was refused.
public enum AbcError: Error, Equatable, Sendable {
    case lengthMismatch(String)
    case validityMismatch(String)
    /// The cut-offs must satisfy `0 <= a <= b <= 1`.
    case badCutoffs(String)
    /// A value is NaN, infinite, or too large to hold in 64-bit cents.
    case badValue(index: Int)
    /// The total left the range of 64-bit cents.
    case sumOverflow
    case wrongColumnType(argument: String, expected: String, found: String)

    /// A one-line message for the user.
    public var message: String {
        switch self {
        case .lengthMismatch(let s): return "inputs differ in length: \(s)"
        case .validityMismatch(let s): return "validity bitmap has the wrong length: \(s)"
        case .badCutoffs(let s): return "bad ABC cut-offs: \(s)"
        case .badValue(let i):
            return "value at row \(i + 1) is not a usable number: ABC counts whole cents, so each value must be a number "
                + "between -\(RfmText.number(GroupKernel.maxCents / 100)) and \(RfmText.number(GroupKernel.maxCents / 100))"
        case .sumOverflow: return "the total is too large to sum exactly in cents"
        case .wrongColumnType(let a, let e, let f): return "\(a) must be a \(e) column, not \(f)"
        }
    }
}

/// One class's size and value.
public struct AbcClassSummary: Sendable, Equatable {
    public var abcClass: AbcClass
    public var count: Int
    /// Sum of the class's values in integer cents (exact).
    public var cents: Int64
    /// The class's share of the total of positive values.
    public var share: Double
    /// The class's value (`cents / 100`).
    public var value: Double { Double(cents) / 100 }
}

/// A ranked ABC table. Arrays are in rank order (rank 1 = largest value; ties by key
/// ascending); `order[k]` is the input row at rank `k + 1`.
public struct AbcResult: Sendable, Equatable {
    public var order: [Int]
    public var keys: [String]
    public var values: [Double]
    /// 1 ... n.
    public var rank: [Int]
    /// Value / total (the total of the positive values).
    public var share: [Double]
    /// Running total / total, including the row.
    public var cumShare: [Double]
    public var classes: [AbcClass]
    /// Sum of the positive values, the base of every share.
    public var total: Double { Double(totalCents) / 100 }
    public var totalCents: Int64
    public var a: Double
    public var b: Double
    public var rule: AbcRule
    /// A, B and C, in that order.
    public var summary: [AbcClassSummary]
    /// Keys whose value is zero or negative: always class C, not counted in the total.
    public var nonPositiveKeys: [String]
    /// Typed notes (the REPL words and formats them).
    public var warnings: [Note]

    /// The class of each input row, in input order.
    public var classesInInputOrder: [AbcClass] {
        var out = [AbcClass](repeating: .c, count: order.count)
        for (k, row) in order.enumerated() { out[row] = classes[k] }
        return out
    }
}

/// A value and its row, sorted together for cache-friendly ranking.
struct RankPair {
    var value: Double
    var row: Int32
}

/// ABC analysis: rank by value, walk the running total, cut into classes A, B, C.
public enum Abc {
    /// Values in whole cents, as the bench's integer-cent checksums count them.
    static func centsOf(_ values: [Double]) throws(AbcError) -> [Int64] {
        var cents = [Int64](repeating: 0, count: values.count)
        for (i, v) in values.enumerated() {
            let c = (v * 100).rounded()
            guard abs(c) < GroupKernel.maxCents else { throw .badValue(index: i) }
            cents[i] = Int64(c)
        }
        return cents
    }

    /// Ranks `values` (descending, ties by key ascending) and classes them by cumulative
    /// share with cut-offs `a` and `b` (fractions: 0.8 for 80%). All comparisons are exact
    /// in integer cents: `cum * 10^6 <= total * round(a * 10^6)` (for a = 0.8 that is the
    /// bench's `cum * 100 <= total * 80`). Zero and negative values are class C, left out of
    /// the total, and reported.
    public static func classify(keys: [String], values: [Double], a: Double = 0.8, b: Double = 0.95, rule: AbcRule = .before) throws(AbcError) -> AbcResult {
        guard keys.count == values.count else { throw .lengthMismatch("\(keys.count) keys but \(values.count) values") }
        let cents = try centsOf(values)
        let order = rankOrder(keys: keys, values: values)
        return try classify(keys: keys, values: values, cents: cents, order: order, a: a, b: b, rule: rule)
    }

    /// Row indices by value descending, ties by key ascending.
    static func rankOrder(keys: [String], values: [Double]) -> [Int] {
        // Sort compact (value, row) pairs, then order each run of equal values by key.
        var pairs = values.enumerated().map { RankPair(value: $1, row: Int32(truncatingIfNeeded: $0)) }
        pairs.sort { $0.value > $1.value || ($0.value == $1.value && $0.row < $1.row) }
        var start = 0
        while start < pairs.count {
            var end = start + 1
            while end < pairs.count, pairs[end].value == pairs[start].value { end += 1 }
            if end - start > 1 {
                pairs[start..<end].sort { keys[Int($0.row)] < keys[Int($1.row)] }
            }
            start = end
        }
        return pairs.map { Int($0.row) }
    }

    /// Checks the cut-offs and returns them in millionths.
    static func cutoffMillionths(a: Double, b: Double) throws(AbcError) -> (Int64, Int64) {
        guard a.isFinite, b.isFinite, a >= 0, b <= 1, a <= b else {
            throw .badCutoffs("need 0 <= a <= b <= 100%, got a = \(RfmText.percent(a)), b = \(RfmText.percent(b))")
        }
        return (Int64((a * 1_000_000).rounded()), Int64((b * 1_000_000).rounded()))
    }

    /// Classes rows already ranked by `order`, with exact cents.
    /// With `positions`, the first `positions.a` ranks are A and ranks up to `positions.b`
    /// are B (the computed method); otherwise the cut-offs and the rule decide.
    static func classify(
        keys: [String], values: [Double], cents: [Int64], order: [Int], a: Double, b: Double, rule: AbcRule,
        positions: (a: Int, b: Int)? = nil
    ) throws(AbcError) -> AbcResult {
        let (aM, bM) = try cutoffMillionths(a: a, b: b)
        var total: Int64 = 0
        for c in cents where c > 0 {
            let (s, o) = total.addingReportingOverflow(c)
            if o { throw .sumOverflow }
            total = s
        }
        let n = order.count
        let t128 = Int128(total)
        let aLimit = t128 * Int128(aM), bLimit = t128 * Int128(bM)
        var classes = [AbcClass](repeating: .c, count: n)
        var share = [Double](repeating: 0, count: n)
        var cumShare = [Double](repeating: 0, count: n)
        var nonPositive: [String] = []
        var counts = [0, 0, 0]
        var classCents: [Int64] = [0, 0, 0]
        var cum: Int64 = 0
        let denominator = Double(total)
        let including = rule == .including
        for (k, row) in order.enumerated() {
            let c = cents[row]
            let before = Int128(cum) * 1_000_000
            cum = cum &+ c
            let cls: AbcClass
            if c <= 0 {
                cls = .c
                nonPositive.append(keys[row])
            } else if let positions {
                cls = k < positions.a ? .a : (k < positions.b ? .b : .c)
            } else if including {
                let after = Int128(cum) * 1_000_000
                cls = after <= aLimit ? .a : (after <= bLimit ? .b : .c)
            } else {
                cls = before < aLimit ? .a : (before < bLimit ? .b : .c)
            }
            let slot = cls == .a ? 0 : (cls == .b ? 1 : 2)
            counts[slot] += 1
            classCents[slot] = classCents[slot] &+ c
            classes[k] = cls
            share[k] = total > 0 ? Double(c) / denominator : 0
            cumShare[k] = total > 0 ? Double(cum) / denominator : 0
        }
        let summary = AbcClass.allCases.enumerated().map { k, cls in
            AbcClassSummary(abcClass: cls, count: counts[k], cents: classCents[k], share: total > 0 ? Double(classCents[k]) / denominator : 0)
        }
        var result = AbcResult(order: order, keys: order.map { keys[$0] }, values: order.map { values[$0] },
                               rank: Array(1..<(n + 1)), share: share, cumShare: cumShare, classes: classes,
                               totalCents: total, a: a, b: b, rule: rule, summary: summary,
                               nonPositiveKeys: nonPositive, warnings: [])
        result.warnings = warnings(result, counts: counts)
        return result
    }

    static func warnings(_ r: AbcResult, counts: [Int]) -> [Note] {
        var w: [Note] = []
        if !r.nonPositiveKeys.isEmpty {
            let shown = r.nonPositiveKeys.prefix(5).map(NotePart.text) + (r.nonPositiveKeys.count > 5 ? [.text("...")] : [])
            w.append(Note(.abcNonPositive, [.counted(r.nonPositiveKeys.count, .nounKey), .joined(shown, ", ")]))
        }
        if r.totalCents <= 0, !r.order.isEmpty {
            w.append(Note(.abcNoPositive))
        } else if counts[0] == 0, r.a > 0, let first = r.share.first {
            w.append(Note(.abcNoA, [.number(first, .percent), .threshold(r.a, .percent),
                                    r.rule == .including ? .phrase(.abcBeforeWould) : .text("")]))
        }
        return w
    }
}
