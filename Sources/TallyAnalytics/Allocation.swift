import TallyCore

/// Splitting a total into parts that add up to it exactly after rounding to a unit: the
/// largest-remainder (Hamilton) method.
///
/// The rules, shared by `split`, `tree` and `tiers`:
/// - The total is counted in whole units (`AllocationUnit`); every part gets a whole number
///   of units and the parts' units add up to the total's units exactly.
/// - Each part's exact quota is `total × weight / Σ weights`. Every part first gets its
///   quota rounded down to a unit; the units left over (fewer than the number of parts) go
///   one each to the parts with the **largest fractional remainder**, ties going to the
///   **larger exact quota** (equivalently the larger weight), then to the **key that sorts
///   first** (Swift `String` order). No rule looks at a part's position, so reordering the
///   input changes no amount. (Only parts with the same key *and* the same weight, which
///   are indistinguishable, fall back to input order.)
/// - Every amount is therefore within one unit of its exact quota, and a part whose weight
///   is zero gets exactly zero.
/// - A negative total is split as its magnitude and negated: `split(−x) = −split(x)`.
/// - Weights are read as decimals with up to 9 decimal places when they are (`0.35`,
///   `40%` = `0.4`, `1234.56`), so quotas and remainders are compared exactly in integer
///   arithmetic; other weights (`1/3`, `1e-12`) fall back to double precision, still
///   summed in a fixed order so that the result does not depend on the input order.
/// - Weights must be finite and non-negative, and not all zero; the error names the part.
public enum Allocation {
    /// Why an allocation was refused.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// No parts (an empty list of weights or rows).
        case noParts
        /// A weight below zero.
        case negativeWeight(part: String)
        /// A weight that is not a finite number (NaN or infinite).
        case invalidWeight(part: String)
        /// A tier (group) present in the data that has no weight.
        case missingWeight(part: String)
        /// A positive weight for a tier with no rows: its share would vanish.
        case emptyGroup(part: String)
        /// The same part named twice where names must be unique.
        case duplicatePart(part: String)
        /// Every weight is zero.
        case allZero
        /// Every weight inside a group with a positive share is zero.
        case allZeroWithin(group: String)
        /// The unit is not a positive decimal with at most 9 decimal places.
        case badUnit
        /// The total is NaN or infinite.
        case invalidTotal
        /// The total is not a whole number of units (`0.005` with unit `0.01`).
        case notWholeUnits
        /// A part's amount (a parent of a cascading split) is not a whole number of units.
        case partNotWholeUnits(part: String)
        /// The total counted in the unit's smallest decimal exceeds 2^53.
        case tooLarge
        /// Two inputs that must have one entry per part differ in length.
        case lengthMismatch(expected: Int, got: Int)
        /// Key paths of a goal tree differ in depth (or are empty); the 1-based row.
        case raggedPath(row: Int)

        public var description: String {
            switch self {
            case .noParts: return "nothing to split: no parts"
            case .negativeWeight(let p): return "weight of \(p) is negative"
            case .invalidWeight(let p): return "weight of \(p) is not a number"
            case .missingWeight(let p): return "no weight given for \(p)"
            case .emptyGroup(let p): return "\(p) has a weight but no rows; its share would be lost"
            case .duplicatePart(let p): return "\(p) is named twice"
            case .allZero: return "all weights are zero"
            case .allZeroWithin(let g): return "all weights within \(g) are zero"
            case .badUnit: return "unit must be a positive decimal with at most 9 decimal places"
            case .invalidTotal: return "total is not a number"
            case .notWholeUnits: return "total is not a whole number of units"
            case .partNotWholeUnits(let p): return "the amount of \(p) is not a whole number of units"
            case .tooLarge: return "total is too large to split exactly (over 2^53 of the unit's smallest decimal)"
            case .lengthMismatch(let e, let g): return "expected \(e) entries, got \(g)"
            case .raggedPath(let r): return "row \(r): every row needs one key per level"
            }
        }
    }

    static let pow10: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    /// Splits `total` by `weights` (one per key) into amounts that are whole multiples of
    /// `unit` and add up to `total` exactly; see the type's rules. Parts come back in input
    /// order.
    public static func split(total: Double, weights: [Double], keys: [String], unit: Double = 1) throws(Failure) -> [AllocatedPart] {
        guard weights.count == keys.count else { throw .lengthMismatch(expected: keys.count, got: weights.count) }
        try validate(weights, names: keys)
        let u = try AllocationUnit(unit)
        let t = try u.units(of: total)
        let prepared = PreparedWeights(weights)
        let (units, quotas) = distribute(t, prepared, keys: keys)
        let shares = prepared.shares()
        var parts: [AllocatedPart] = []
        parts.reserveCapacity(keys.count)
        for i in keys.indices {
            parts.append(AllocatedPart(key: keys[i], weight: weights[i], share: shares[i],
                                       exactQuota: u.amount(quotaUnits: quotas[i]),
                                       amountUnits: units[i], amount: u.amount(units: units[i])))
        }
        return parts
    }

    /// Checks that there are weights, each finite and non-negative, not all zero.
    static func validate(_ weights: [Double], names: [String]) throws(Failure) {
        guard !weights.isEmpty else { throw .noParts }
        var anyPositive = false
        for (i, w) in weights.enumerated() {
            guard w.isFinite else { throw .invalidWeight(part: names[i]) }
            guard w >= 0 else { throw .negativeWeight(part: names[i]) }
            if w > 0 { anyPositive = true }
        }
        guard anyPositive else { throw .allZero }
    }

    /// The largest-remainder core: splits `total` units by `weights`. Returns each part's
    /// units and its exact quota in units. All-zero weights give all zeros (callers that
    /// must refuse them check first).
    static func distribute(_ total: Int64, _ weights: PreparedWeights, keys: [String]) -> (units: [Int64], quotas: [Double]) {
        let n = weights.count
        let sign: Int64 = total < 0 ? -1 : 1
        let t = Int64(truncatingIfNeeded: total.magnitude)  // |total| <= 2^53: no overflow
        var units = [Int64](repeating: 0, count: n)
        var quotas = [Double](repeating: 0, count: n)
        if let ints = weights.integers {
            let sum = ints.reduce(Int128(0), +)
            guard sum > 0 else { return (units, quotas) }
            var rems = [Int128](repeating: 0, count: n)
            var given = Int128(0)
            for i in 0..<n {
                let (q, r) = (Int128(t) * ints[i]).quotientAndRemainder(dividingBy: sum)
                units[i] = Int64(truncatingIfNeeded: q)
                rems[i] = r
                given += q
                quotas[i] = Double(q) + Double(r) / Double(sum)
            }
            let positive = (0..<n).filter { ints[$0] > 0 }
            let ranked = rankForLeftover(positive, remainders: rems, weights: ints, keys: keys)
            hand(Int64(truncatingIfNeeded: Int128(t) - given), to: ranked, units: &units)
        } else {
            let f = weights.fractions
            let sum = PreparedWeights.orderFreeSum(f)
            guard sum > 0 else { return (units, quotas) }
            var rems = [Double](repeating: 0, count: n)
            var given: Int64 = 0
            for i in 0..<n where f[i] > 0 {
                let q = Double(t) * f[i] / sum
                // A NaN quota (never expected: the fractions are finite) gives nothing, not a trap.
                let fl = q.isFinite ? min(max(q.rounded(.down), 0), Double(t)) : 0
                units[i] = Int64(fl)
                rems[i] = q - fl
                given += units[i]
                quotas[i] = q
            }
            let positive = (0..<n).filter { f[$0] > 0 }
            let ranked = rankForLeftover(positive, remainders: rems, weights: f, keys: keys)
            hand(t - given, to: ranked, units: &units)
        }
        if sign < 0 {
            for i in 0..<n { units[i] = -units[i]; quotas[i] = -quotas[i] }
        }
        return (units, quotas)
    }

    /// Hands `left` units one each down the ranking (taking them back from the bottom when
    /// negative, which only double-precision rounding can cause).
    private static func hand(_ left: Int64, to ranked: [Int], units: inout [Int64]) {
        guard !ranked.isEmpty else { return }
        if left >= 0 {
            for j in 0..<Int(left) { units[ranked[j % ranked.count]] += 1 }
        } else {
            var owed = -left
            while owed > 0 {
                var took = false
                for i in ranked.reversed() where owed > 0 && units[i] > 0 {
                    units[i] -= 1; owed -= 1; took = true
                }
                if !took { return }
            }
        }
    }

    /// Candidates ordered by the leftover rule: larger remainder, larger weight, smaller key,
    /// then input position (reached only by parts identical in key and weight).
    static func rankForLeftover<R: Comparable, W: Comparable>(_ candidates: [Int], remainders: [R], weights: [W], keys: [String]) -> [Int] {
        candidates.sorted { a, b in
            if remainders[a] != remainders[b] { return remainders[a] > remainders[b] }
            if weights[a] != weights[b] { return weights[a] > weights[b] }
            if keys[a] != keys[b] { return keys[a] < keys[b] }
            return a < b
        }
    }
}

/// One part of a split.
public struct AllocatedPart: Sendable, Equatable {
    /// The part's name.
    public var key: String
    /// The weight as given.
    public var weight: Double
    /// weight / Σ weights.
    public var share: Double
    /// The unrounded amount, total × share (the `audit: true` column).
    public var exactQuota: Double
    /// The amount in whole units; these add up to the total's units exactly.
    public var amountUnits: Int64
    /// The amount, `amountUnits × unit`, the nearest double to that decimal.
    public var amount: Double
}

/// A rounding unit: a positive decimal with at most 9 decimal places (`1`, `0.01`, `10000`,
/// `0.05`), held as `numerator / 10^decimals` so that amounts are computed exactly.
public struct AllocationUnit: Sendable, Equatable {
    /// The unit as given.
    public let value: Double
    /// The unit in its smallest decimal: 1 for `0.01`, 10000 for `10000`.
    public let numerator: Int64
    /// Decimal places an amount in this unit needs: 2 for `0.01`, 0 for `10000`.
    public let decimals: Int
    /// The largest count of the smallest decimal a total may hold (2^53).
    public static let limit: Int64 = 1 << 53

    public init(_ value: Double) throws(Allocation.Failure) {
        guard value.isFinite, value > 0 else { throw .badUnit }
        for k in 0...9 {
            let s = value * Allocation.pow10[k]
            let r = s.rounded()
            if r >= 1, r <= Double(Self.limit), abs(s - r) <= 1e-12 * r {
                self.value = value
                numerator = Int64(r)
                decimals = k
                return
            }
        }
        throw .badUnit
    }

    /// The total counted in units. A total is whole when `total / unit` lies within 1e-6 of
    /// an integer (or within 8 ulps, for counts so large that doubles are coarser than that).
    /// `|total|` in the unit's smallest decimal must not exceed 2^53, so that every amount
    /// is an exact integer before the final scaling.
    public func units(of total: Double) throws(Allocation.Failure) -> Int64 {
        guard total.isFinite else { throw .invalidTotal }
        let x = total * Allocation.pow10[decimals] / Double(numerator)
        guard (abs(x) * Double(numerator)).rounded() <= Double(Self.limit) else { throw .tooLarge }
        let r = x.rounded()
        guard abs(x - r) <= Swift.max(1e-6, 8 * x.ulp) else { throw .notWholeUnits }
        return Int64(r)
    }

    /// `units × unit` as the double nearest that decimal (one exact product, one division).
    public func amount(units: Int64) -> Double {
        let (p, overflow) = units.multipliedReportingOverflow(by: numerator)
        let scaled = overflow ? Double(units) * Double(numerator) : Double(p)
        return scaled / Allocation.pow10[decimals]
    }

    /// A fractional count of units as an amount.
    func amount(quotaUnits q: Double) -> Double {
        q * Double(numerator) / Allocation.pow10[decimals]
    }
}

/// Weights prepared for exact division: as integers `w × 10^k` when every weight is a
/// decimal with at most 9 places (and small enough), otherwise as `w / max w`.
struct PreparedWeights: Sendable {
    /// `w × 10^k` for the smallest common k, or nil.
    var integers: [Int128]?
    /// `w / max w` (used when `integers` is nil).
    var fractions: [Double]
    /// The weights as given, for display sums.
    var raw: [Double]

    var count: Int { raw.count }

    /// Whether some weight is above zero.
    var hasPositive: Bool { integers.map { $0.contains { $0 > 0 } } ?? fractions.contains { $0 > 0 } }

    init(_ weights: [Double]) {
        raw = weights
        integers = PreparedWeights.decimalIntegers(weights)
        if integers == nil {
            let top = weights.max() ?? 0
            fractions = weights.map { top > 0 ? $0 / top : 0 }
        } else {
            fractions = []
        }
    }

    private init(integers: [Int128]?, fractions: [Double], raw: [Double]) {
        self.integers = integers; self.fractions = fractions; self.raw = raw
    }

    /// The weights at `idx`, keeping the representation (and so the exactness).
    func subset(_ idx: [Int]) -> PreparedWeights {
        PreparedWeights(integers: integers.map { ints in idx.map { ints[$0] } },
                        fractions: integers == nil ? idx.map { fractions[$0] } : [],
                        raw: idx.map { raw[$0] })
    }

    /// One weight per group, the sum of its members' weights (exact, or order-free).
    func grouped(_ groups: [[Int]]) -> PreparedWeights {
        PreparedWeights(integers: integers.map { ints in groups.map { g in g.reduce(Int128(0)) { $0 + ints[$1] } } },
                        fractions: integers == nil ? groups.map { g in Self.orderFreeSum(g.map { fractions[$0] }) } : [],
                        raw: groups.map { g in Self.orderFreeSum(g.map { raw[$0] }) })
    }

    /// Each weight / Σ weights (0 when all are zero).
    func shares() -> [Double] {
        if let ints = integers {
            let s = ints.reduce(Int128(0), +)
            return ints.map { s > 0 ? Double($0) / Double(s) : 0 }
        }
        let s = Self.orderFreeSum(fractions)
        return fractions.map { s > 0 ? $0 / s : 0 }
    }

    /// A sum that does not depend on the order of the terms: sorted, then compensated.
    static func orderFreeSum(_ xs: [Double]) -> Double {
        var s = CompensatedSum()
        for x in xs.sorted() { s.add(x) }
        return s.value
    }

    /// The weights times the smallest `10^k` (k ≤ 9) that makes every one an integer (to
    /// 1e-12 relative), each at most 2^62 and a positive weight never becoming 0; or nil.
    static func decimalIntegers(_ weights: [Double]) -> [Int128]? {
        let cap = Double(Int64(1) << 62)
        search: for k in 0...9 {
            var out: [Int128] = []
            out.reserveCapacity(weights.count)
            for w in weights {
                let s = w * Allocation.pow10[k]
                guard s.isFinite, s <= cap else { return nil }
                let r = s.rounded()
                guard abs(s - r) <= 1e-12 * Swift.max(1, r), w == 0 || r >= 1 else { continue search }
                out.append(Int128(Int64(r)))
            }
            return out
        }
        return nil
    }
}
