/// How a tier's share is divided among its rows.
public enum WithinRule: Sendable, Equatable {
    /// Equally (each row weight 1), leftover units by key.
    case equal
    /// By one weight per row (a column), in input order.
    case weights([Double])
}

/// One row of a tier split.
public struct TierRow: Sendable, Equatable {
    public var key: String
    public var tier: String
    /// The row's weight within its tier (1 for `.equal`).
    public var weight: Double
    /// The row's quota within its tier's (rounded) amount.
    public var exactQuota: Double
    public var amountUnits: Int64
    public var amount: Double
}

/// One tier's total.
public struct TierTotal: Sendable, Equatable {
    public var tier: String
    public var weight: Double
    /// weight / Σ tier weights.
    public var share: Double
    public var exactQuota: Double
    public var amountUnits: Int64
    public var amount: Double
    /// Rows in the tier.
    public var members: Int
}

/// A tier split: rows in input order, tiers in the order their weights were given.
public struct TierAllocation: Sendable, Equatable {
    public var rows: [TierRow]
    public var tiers: [TierTotal]
    /// Σ tier weights as given (1 when they are percentages adding up to 100%); shares are
    /// normalised by it, so a caller may warn when it is not 1.
    public var weightSum: Double
}

extension Allocation {
    /// Splits `total` among tiers by `tierWeights` (in the order given; `{high: 40%,
    /// medium: 35%, low: 25%}`), then each tier's rounded amount among its rows (`keys[i]`
    /// in tier `tierOfRow[i]`) equally or by a column, each step by the split's rules.
    /// Errors: a tier in the data without a weight (`missingWeight`), a positive weight for a
    /// tier without rows (`emptyGroup`: its share would vanish), a tier named twice in the
    /// weights, a tier with a positive weight whose rows' weights are all zero.
    public static func tiers(total: Double, keys: [String], tierOfRow: [String], tierWeights: [(tier: String, weight: Double)],
                             within: WithinRule = .equal, unit: Double = 1) throws(Failure) -> TierAllocation {
        guard tierOfRow.count == keys.count else { throw .lengthMismatch(expected: keys.count, got: tierOfRow.count) }
        guard !keys.isEmpty else { throw .noParts }
        let tierNames = tierWeights.map(\.tier)
        let tw = tierWeights.map(\.weight)
        var position: [String: Int] = [:]
        for (j, name) in tierNames.enumerated() {
            guard position[name] == nil else { throw .duplicatePart(part: name) }
            position[name] = j
        }
        try validate(tw, names: tierNames)
        var members = [[Int]](repeating: [], count: tierNames.count)
        for (i, tier) in tierOfRow.enumerated() {
            guard let j = position[tier] else { throw .missingWeight(part: tier) }
            members[j].append(i)
        }
        let rowWeights: [Double]
        switch within {
        case .equal: rowWeights = [Double](repeating: 1, count: keys.count)
        case .weights(let w):
            guard w.count == keys.count else { throw .lengthMismatch(expected: keys.count, got: w.count) }
            rowWeights = w
        }
        for (i, w) in rowWeights.enumerated() {
            guard w.isFinite else { throw .invalidWeight(part: keys[i]) }
            guard w >= 0 else { throw .negativeWeight(part: keys[i]) }
        }
        for j in tierNames.indices where tw[j] > 0 {
            guard !members[j].isEmpty else { throw .emptyGroup(part: tierNames[j]) }
            guard members[j].contains(where: { rowWeights[$0] > 0 }) else { throw .allZeroWithin(group: tierNames[j]) }
        }
        let u = try AllocationUnit(unit)
        let t = try u.units(of: total)
        let tierPrepared = PreparedWeights(tw)
        let (tierUnits, tierQuotas) = distribute(t, tierPrepared, keys: tierNames)
        let shares = tierPrepared.shares()
        var rows = [TierRow?](repeating: nil, count: keys.count)
        var totals: [TierTotal] = []
        for j in tierNames.indices {
            let idx = members[j]
            let inner = PreparedWeights(idx.map { rowWeights[$0] })
            let (units, quotas) = distribute(tierUnits[j], inner, keys: idx.map { keys[$0] })
            for (k, i) in idx.enumerated() {
                rows[i] = TierRow(key: keys[i], tier: tierNames[j], weight: rowWeights[i], exactQuota: u.amount(quotaUnits: quotas[k]),
                                  amountUnits: units[k], amount: u.amount(units: units[k]))
            }
            totals.append(TierTotal(tier: tierNames[j], weight: tw[j], share: shares[j], exactQuota: u.amount(quotaUnits: tierQuotas[j]),
                                    amountUnits: tierUnits[j], amount: u.amount(units: tierUnits[j]), members: idx.count))
        }
        return TierAllocation(rows: rows.compactMap { $0 }, tiers: totals, weightSum: PreparedWeights.orderFreeSum(tw))
    }
}
