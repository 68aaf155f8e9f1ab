/// One parent of a cascading split and its result.
public struct CascadeParent: Sendable, Equatable {
    public var key: String
    /// The parent's amount (a quarter's target), split among its children.
    public var amount: Double
    public var amountUnits: Int64
}

/// A cascading split: each parent's amount split among its own children.
public struct CascadeAllocation: Sendable, Equatable {
    /// One per child, in input order; `share` is the child's share within its parent.
    public var children: [AllocatedPart]
    public var parents: [CascadeParent]
}

extension Allocation {
    /// Splits every parent's amount (a quarter's target) among its own children (the
    /// months inside it) by their weights, each parent by the split's rules, so that every
    /// parent's children add up to it exactly. `parentOfChild[i]` is the index of child i's
    /// parent. Each parent amount must be a whole number of units; a parent with a non-zero
    /// amount needs at least one child (`emptyGroup`) with a positive weight
    /// (`allZeroWithin`). Errors name the parent or the child.
    public static func cascade(parents: [(key: String, amount: Double)], parentOfChild: [Int], weights: [Double], keys: [String],
                               unit: Double = 1) throws(Failure) -> CascadeAllocation {
        guard weights.count == keys.count else { throw .lengthMismatch(expected: keys.count, got: weights.count) }
        guard parentOfChild.count == keys.count else { throw .lengthMismatch(expected: keys.count, got: parentOfChild.count) }
        guard !parents.isEmpty else { throw .noParts }
        for (i, w) in weights.enumerated() {
            guard w.isFinite else { throw .invalidWeight(part: keys[i]) }
            guard w >= 0 else { throw .negativeWeight(part: keys[i]) }
        }
        let u = try AllocationUnit(unit)
        var members = [[Int]](repeating: [], count: parents.count)
        for (i, p) in parentOfChild.enumerated() {
            guard members.indices.contains(p) else { throw .lengthMismatch(expected: parents.count, got: p + 1) }
            members[p].append(i)
        }
        var out = [AllocatedPart?](repeating: nil, count: keys.count)
        var results: [CascadeParent] = []
        for (j, parent) in parents.enumerated() {
            guard parent.amount.isFinite else { throw .invalidWeight(part: parent.key) }
            let t: Int64
            do {
                t = try u.units(of: parent.amount)
            } catch .notWholeUnits {
                throw .partNotWholeUnits(part: parent.key)
            }
            results.append(CascadeParent(key: parent.key, amount: parent.amount, amountUnits: t))
            let idx = members[j]
            if t != 0 {
                guard !idx.isEmpty else { throw .emptyGroup(part: parent.key) }
                guard idx.contains(where: { weights[$0] > 0 }) else { throw .allZeroWithin(group: parent.key) }
            }
            guard !idx.isEmpty else { continue }
            let prepared = PreparedWeights(idx.map { weights[$0] })
            let (units, quotas) = distribute(t, prepared, keys: idx.map { keys[$0] })
            let shares = prepared.shares()
            for (k, i) in idx.enumerated() {
                out[i] = AllocatedPart(key: keys[i], weight: weights[i], share: shares[k], exactQuota: u.amount(quotaUnits: quotas[k]),
                                       amountUnits: units[k], amount: u.amount(units: units[k]))
            }
        }
        return CascadeAllocation(children: out.compactMap { $0 }, parents: results)
    }
}
