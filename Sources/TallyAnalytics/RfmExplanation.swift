import TallyCore

/// Plain-language explanations of RFM scores (`why(r, "C0042")`), unlike the R and Python
/// rfm packages whose users keep asking "why is this customer 541?".
public enum RfmExplanation {
    /// The lines explaining one customer: values, each score with the band it fell into and
    /// the thresholds or quantile breaks in force, the means, high/low, and the segment rule
    /// that matched.
    public static func explain(_ result: RfmResult, customer: String) throws(RfmError) -> [String] {
        guard let i = result.index(of: customer) else { throw .unknownCustomer(customer) }
        return explain(result, index: i)
    }

    /// The explanation of the customer at row `i` (see `explain(_:customer:)`); empty when
    /// `i` is out of range.
    public static func explain(_ result: RfmResult, index i: Int) -> [String] {
        guard result.customers.indices.contains(i) else { return [] }
        var lines: [String] = []
        let values = RfmTriple(r: result.recency.value(at: i), f: result.frequency.value(at: i), m: result.monetary.value(at: i))
        let scores = result.scores.of(i)
        lines.append("\(result.customers[i]): recency \(RfmText.number(values.r)) \(Plural.noun(values.r, "day")), frequency \(RfmText.number(values.f)) \(Plural.noun(values.f, "order")), monetary \(RfmText.money(values.m)) -> \(result.code(i))")
        for metric in RfmMetric.allCases {
            let scale = result.scales[metric]
            let band = bandText(scale, metric: metric, score: scores[metric])
            lines.append("\(metric.letter) = \(scores[metric]): \(metric.noun) \(format(values[metric], metric)) is in the band \(band)")
            lines.append("  " + describe(scale, metric: metric))
        }
        let means = result.means
        let meanText = RfmMetric.allCases.map { "\($0.letter) \(RfmText.number(means.mean($0)))" }.joined(separator: ", ")
        lines.append("means over \(means.count) customer\(means.count == 1 ? "" : "s"): \(meanText)")
        let flags = RfmMetric.allCases.map { m -> String in
            let s = scores[m]
            let mean = RfmText.number(means.mean(m))
            return means.isHigh(s, m) ? "\(m.letter) \(s) is high (above the mean \(mean))" : "\(m.letter) \(s) is low (not above the mean \(mean))"
        }
        lines.append(flags.joined(separator: "; "))
        let k = Int(result.segments[i])
        let rule = result.rules.rules[k]
        var seg = "segment: \(rule.name)"
        if let zh = rule.nameZh, zh != rule.name { seg += " (\(zh))" }
        seg += ": rule \(k + 1) of \(result.rules.rules.count) (\(rule.conditionText)) is the first that matches"
        lines.append(seg)
        return lines
    }

    /// One line stating a measure's scale: the thresholds or breaks in force and the rule.
    public static func describe(_ scale: RfmScale, metric: RfmMetric) -> String {
        let L = metric.letter
        switch scale {
        case .upperBounds(let e):
            let top = e.count + 1
            let parts = e.enumerated().map { "\(L) <= \(format($1, metric)) -> \(top - $0)" } + ["else 1"]
            return "\(L): fixed edges \(e.map { format($0, metric) }.joined(separator: ", ")) (upper bounds, inclusive): " + parts.joined(separator: ", ")
        case .lowerBounds(let e):
            let parts = e.enumerated().reversed().map { "\(L) >= \(format($1, metric)) -> \($0 + 2)" } + ["else 1"]
            let cents = metric == .m ? ", compared in cents" : ""
            return "\(L): fixed edges \(e.map { format($0, metric) }.joined(separator: ", ")) (lower bounds, inclusive\(cents)): " + parts.joined(separator: ", ")
        case .quantile(let b):
            let op = b.higherIsBetter ? ">" : "<"
            let parts = b.cuts.enumerated().reversed().map { "\(L) \(op) \(format($1, metric)) -> \($0 + 2)" } + ["else 1"]
            let direction = b.higherIsBetter ? "higher is better" : "lower (more recent) is better"
            let worse = b.higherIsBetter ? "smaller" : "larger"
            return "\(L): \(b.bins) quantile bins, \(direction); breaks: " + parts.joined(separator: ", ")
                + "; tie rule: score = 1 + floor(\(b.bins) * k / n), k = values strictly \(worse), so equal values share a score"
        }
    }

    /// The band a score stands for, e.g. `30 < R <= 90`.
    public static func bandText(_ scale: RfmScale, metric: RfmMetric, score s: Int) -> String {
        let L = metric.letter
        switch scale {
        case .upperBounds(let e):
            let top = e.count + 1
            let hiIndex = top - s, loIndex = top - s - 1
            let lo = e.indices.contains(loIndex) ? "\(format(e[loIndex], metric)) < " : ""
            let hi = e.indices.contains(hiIndex) ? " <= \(format(e[hiIndex], metric))" : ""
            return "\(lo)\(L)\(hi)"
        case .lowerBounds(let e):
            let lo = e.indices.contains(s - 2) ? "\(format(e[s - 2], metric)) <= " : ""
            let hi = e.indices.contains(s - 1) ? " < \(format(e[s - 1], metric))" : ""
            return "\(lo)\(L)\(hi)"
        case .quantile(let b):
            let c = b.cuts
            if b.higherIsBetter {
                let lo = c.indices.contains(s - 2) ? "\(format(c[s - 2], metric)) < " : ""
                let hi = c.indices.contains(s - 1) ? " <= \(format(c[s - 1], metric))" : ""
                return "\(lo)\(L)\(hi)"
            }
            let lo = c.indices.contains(s - 1) ? "\(format(c[s - 1], metric)) <= " : ""
            let hi = c.indices.contains(s - 2) ? " < \(format(c[s - 2], metric))" : ""
            return "\(lo)\(L)\(hi)"
        }
    }

    /// A value of a measure: money with two decimals, others plain.
    static func format(_ x: Double, _ metric: RfmMetric) -> String {
        metric == .m ? RfmText.money(x) : RfmText.number(x)
    }
}

extension RfmThresholds {
    /// One line per measure stating these thresholds (for `help rfm`).
    public var descriptionLines: [String] {
        [RfmExplanation.describe(.upperBounds(r), metric: .r),
         RfmExplanation.describe(.lowerBounds(f), metric: .f),
         RfmExplanation.describe(.lowerBounds(m), metric: .m)]
    }
}
