import Foundation
import TallyCore

/// A comparison in a segment condition.
public enum SegmentComparison: String, Sendable, Equatable, CaseIterable {
    case lessThan = "<", atMost = "<=", greaterThan = ">", atLeast = ">=", equal = "==", notEqual = "!="

    func holds(_ a: Int, _ b: Int) -> Bool {
        switch self {
        case .lessThan: return a < b
        case .atMost: return a <= b
        case .greaterThan: return a > b
        case .atLeast: return a >= b
        case .equal: return a == b
        case .notEqual: return a != b
        }
    }
}

/// What a condition asks of one score.
public enum SegmentTest: Sendable, Equatable {
    /// The score is strictly above that score's mean over all customers.
    case high
    /// The score is at or below the mean.
    case low
    /// The score compared with a number (`r >= 4`).
    case compare(SegmentComparison, Int)
}

/// One condition on one score: `r >= 4`, `f high`, `m low`.
public struct SegmentCondition: Sendable, Equatable, CustomStringConvertible {
    public var metric: RfmMetric
    public var test: SegmentTest

    public init(_ metric: RfmMetric, _ test: SegmentTest) {
        self.metric = metric
        self.test = test
    }

    /// Reads `r >= 4`, `f high`, `M low`, `m = 5` (`=` means `==`); spaces optional around
    /// the operator.
    public init(parsing text: String) throws(RfmError) {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let first = s.first, let metric = RfmMetric(rawValue: String(first)) else { throw .badCondition(text) }
        let rest = s.dropFirst().trimmingCharacters(in: .whitespaces)
        if rest == "high" { self.init(metric, .high); return }
        if rest == "low" { self.init(metric, .low); return }
        for op in ["<=", ">=", "==", "!=", "<", ">", "="] where rest.hasPrefix(op) {
            let number = rest.dropFirst(op.count).trimmingCharacters(in: .whitespaces)
            guard let v = Int(number) else { throw .badCondition(text) }
            let cmp = SegmentComparison(rawValue: op == "=" ? "==" : op) ?? .equal
            self.init(metric, .compare(cmp, v))
            return
        }
        throw .badCondition(text)
    }

    /// `r >= 4`, `f high`.
    public var description: String {
        switch test {
        case .high: return "\(metric.rawValue) high"
        case .low: return "\(metric.rawValue) low"
        case .compare(let op, let v): return "\(metric.rawValue) \(op.rawValue) \(v)"
        }
    }

    /// Whether the condition holds for a score and its high/low flag.
    func holds(score: Int, high: Bool) -> Bool {
        switch test {
        case .high: return high
        case .low: return !high
        case .compare(let op, let v): return op.holds(score, v)
        }
    }
}

/// A named segment: every condition must hold (an empty list matches everyone).
public struct SegmentRule: Sendable, Equatable {
    public var name: String
    /// The Chinese name; the English one when nil.
    public var nameZh: String?
    public var conditions: [SegmentCondition]

    public init(name: String, nameZh: String? = nil, conditions: [SegmentCondition]) {
        self.name = name
        self.nameZh = nameZh
        self.conditions = conditions
    }

    /// A rule with no conditions.
    public var isCatchAll: Bool { conditions.isEmpty }

    /// The name in the language asked for (`zh` or anything else for English).
    public func name(lang: String) -> String { lang == "zh" ? (nameZh ?? name) : name }

    /// `r high, f low, m high`, or `catch-all`.
    public var conditionText: String {
        conditions.isEmpty ? "catch-all" : conditions.map(\.description).joined(separator: ", ")
    }

    func matches(r: Int, f: Int, m: Int, rHigh: Bool, fHigh: Bool, mHigh: Bool) -> Bool {
        for c in conditions {
            let ok: Bool
            switch c.metric {
            case .r: ok = c.holds(score: r, high: rHigh)
            case .f: ok = c.holds(score: f, high: fHigh)
            case .m: ok = c.holds(score: m, high: mHigh)
            }
            if !ok { return false }
        }
        return true
    }
}

/// The mean of each score over all customers, kept as exact integer sums so that
/// "high" (strictly above the mean) is decided without rounding: `score * count > sum`.
public struct RfmMeans: Sendable, Equatable {
    public var sums: RfmTriple<Int>
    public var count: Int

    public init(scores: RfmScores) {
        func sum(_ xs: [UInt8]) -> Int { xs.reduce(0) { $0 + Int($1) } }
        sums = RfmTriple(r: sum(scores.r), f: sum(scores.f), m: sum(scores.m))
        count = scores.r.count
    }

    /// The mean of one score (NaN with no customers).
    public func mean(_ metric: RfmMetric) -> Double { count == 0 ? .nan : Double(sums[metric]) / Double(count) }

    /// Whether `score` is strictly above the mean of that score.
    @inline(__always)
    public func isHigh(_ score: Int, _ metric: RfmMetric) -> Bool { score * count > sums[metric] }
}

/// An ordered list of segment rules: the first rule whose conditions all hold names the
/// customer's segment. The list must end with a catch-all (a rule without conditions), or
/// be provably exhaustive (every combination of scores 1-9 and high/low flags matches
/// some rule, as the default eight do); a catch-all anywhere but last is an error, since
/// the rules after it could never match.
public struct SegmentRules: Sendable, Equatable {
    public private(set) var rules: [SegmentRule]

    public init(_ rules: [SegmentRule]) throws(RfmError) {
        guard let last = rules.last else { throw .noRules }
        if let early = rules.dropLast().first(where: \.isCatchAll) { throw .unreachableRules(after: early.name) }
        self.rules = rules
        if !last.isCatchAll, !isExhaustive { throw .noCatchAll }
    }

    private init(unchecked rules: [SegmentRule]) { self.rules = rules }

    /// The eight segments of SEEDS.md section 4 (high = above that score's mean).
    public static let standard: SegmentRules = {
        let table: [(Bool, Bool, Bool, String, String)] = [
            (true, true, true, "重要价值客户", "important value"),
            (true, false, true, "重要发展客户", "important development"),
            (false, true, true, "重要保持客户", "important retention"),
            (false, false, true, "重要挽留客户", "important win-back"),
            (true, true, false, "一般价值客户", "general value"),
            (true, false, false, "一般发展客户", "general development"),
            (false, true, false, "一般保持客户", "general retention"),
            (false, false, false, "一般挽留客户", "general win-back (low value)"),
        ]
        return SegmentRules(unchecked: table.map { r, f, m, zh, en in
            SegmentRule(name: en, nameZh: zh, conditions: [
                SegmentCondition(.r, r ? .high : .low), SegmentCondition(.f, f ? .high : .low),
                SegmentCondition(.m, m ? .high : .low),
            ])
        })
    }()

    /// True when every combination of scores 1...9 and high/low flags matches some rule.
    public var isExhaustive: Bool {
        if rules.contains(where: \.isCatchAll) { return true }
        for r in 1...9 { for f in 1...9 { for m in 1...9 { for flags in 0..<8 {
            let hit = rules.contains {
                $0.matches(r: r, f: f, m: m, rHigh: flags & 1 != 0, fHigh: flags & 2 != 0, mHigh: flags & 4 != 0)
            }
            if !hit { return false }
        } } } }
        return true
    }

    /// The index of the first rule that matches the scores (the last rule if, against the
    /// construction checks, none does).
    public func segment(r: Int, f: Int, m: Int, means: RfmMeans) -> Int {
        let rh = means.isHigh(r, .r), fh = means.isHigh(f, .f), mh = means.isHigh(m, .m)
        for (i, rule) in rules.enumerated() where rule.matches(r: r, f: f, m: m, rHigh: rh, fHigh: fh, mHigh: mh) {
            return i
        }
        return rules.count - 1
    }

    /// Every customer's segment index, with the means used; once `stop` (Ctrl-C) says true
    /// the rest are left unclassified.
    /// A segment index is an `Int32` (4 MB over a million customers, not 8).
    public func classify(_ scores: RfmScores, stop: () -> Bool = { false }) -> (segments: [Int32], means: RfmMeans) {
        let means = RfmMeans(scores: scores)
        var out = [Int32](repeating: 0, count: scores.r.count)
        for i in out.indices {
            if i & RfmScoring.stopEvery == 0 && stop() { break }
            out[i] = Int32(truncatingIfNeeded: segment(r: Int(scores.r[i]), f: Int(scores.f[i]), m: Int(scores.m[i]), means: means))
        }
        return (out, means)
    }
}
