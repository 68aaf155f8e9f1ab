import TallyAnalytics
import TallyCore

/// The notes of an RFM result and of `why`, as typed data: thresholds, breaks and means
/// stay numbers the REPL formats with the settings in force.
enum RfmNotes {
    /// A value of a measure: money for M, else plain.
    static func value(_ x: Double, _ metric: RfmMetric) -> NotePart {
        .number(x, metric == .m ? .money : .plain)
    }

    /// The scoring in words: `scores by the standard fixed thresholds ...`.
    static func title(_ method: RfmMethod) -> Note {
        switch method {
        case .fixed(let t): return Note(t == .standard ? .rfmTitleStandard : .rfmTitleGiven)
        case .quantile(let bins): return Note(.rfmTitleQuantile, [.count(bins)])
        }
    }

    /// One line stating a measure's scale: the thresholds or breaks in force and the rule.
    static func scale(_ scale: RfmScale, metric: RfmMetric, indent: Int = 1) -> Note {
        let L = NotePart.text(metric.letter)
        func band(_ key: MessageKey, _ x: Double, _ score: Int) -> NotePart { .phrase(key, [L, value(x, metric), .count(score)]) }
        switch scale {
        case .upperBounds(let e):
            let top = e.count + 1
            let parts = e.enumerated().map { band(.rfmAtMost, $1, top - $0) } + [.phrase(.elseOne)]
            return Note(.rfmScaleUpper, [L, .joined(e.map { value($0, metric) }, ", "), .joined(parts, ", ")], indent: indent)
        case .lowerBounds(let e):
            let parts = e.enumerated().reversed().map { band(.rfmAtLeast, $1, $0 + 2) } + [.phrase(.elseOne)]
            return Note(.rfmScaleLower, [L, .joined(e.map { value($0, metric) }, ", "),
                                         metric == .m ? .phrase(.rfmInCents) : .text(""), .joined(parts, ", ")], indent: indent)
        case .quantile(let b):
            let parts = b.cuts.enumerated().reversed().map { band(b.higherIsBetter ? .rfmAbove : .rfmBelow, $1, $0 + 2) } + [.phrase(.elseOne)]
            return Note(.rfmScaleQuantile, [L, .count(b.bins), .phrase(b.higherIsBetter ? .rfmHigherBetter : .rfmLowerBetter),
                                            .joined(parts, ", "), .phrase(b.higherIsBetter ? .rfmSmaller : .rfmLarger)], indent: indent)
        }
    }

    /// `R 4.20, F 3.40, M 3.60`: each mean shown with enough digits to be compared with scores.
    static func means(_ m: RfmMeans) -> NotePart {
        .list(RfmMetric.allCases.map { .phrase(.rfmMean, [.text($0.letter), .threshold(m.mean($0), .plain)]) })
    }

    /// `segments: a score is high when above its mean (...); the first matching rule of ... names the segment`.
    static func segments(_ r: RfmResult) -> Note {
        let rules = r.rules.rules
        let which: NotePart = rules == SegmentRules.standard.rules ? .phrase(.rfmStandardRules) : .phrase(.rfmYourRules, [.count(rules.count)])
        return Note(.rfmSegments, [means(r.means), which])
    }

    /// The notes of `why`: the customer's values and code, the scales, the means and the rule that matched.
    static func why(_ r: RfmResult, index i: Int) -> [Note] {
        let values = [r.recency.value(at: i), r.frequency.value(at: i), r.monetary.value(at: i)]
        var notes = [Note(.whyHead, [.text(r.customers[i]), .number(values[0], .plain), .counted(Int(exactly: values[1]) ?? 0, .nounOrder),
                                     .number(values[2], .money), .text(r.code(i))])]
        notes += RfmMetric.allCases.map { scale(r.scales[$0], metric: $0, indent: 0) }
        notes.append(Note(.whyMeans, [.counted(r.means.count, .nounCustomer), means(r.means)]))
        let k = Int(r.segments[i])
        let rule = r.rule(i)
        let name: NotePart = rule.nameZh.map { zh in zh == rule.name ? .text(rule.name) : .phrase(.whySegmentNamed, [.text(rule.name), .text(zh)]) }
            ?? .text(rule.name)
        notes.append(Note(.whySegment, [name, .count(k + 1), .count(r.rules.rules.count), .text(rule.conditionText)]))
        return notes
    }
}
