import TallyCore

/// Per-key totals of a transactions table (`abc(t, value: amount, by: customer)`).
public struct AbcTotals: Sendable, Equatable {
    /// The keys that have at least one usable row, in dictionary order.
    public var keys: [String]
    /// Each key's total, exact to the cent.
    public var values: [Double]
    /// Each key's total in integer cents.
    public var cents: [Int64]
    /// Rows summed.
    public var rowsUsed: Int
    /// Rows skipped for an empty key or value (or an empty-string key).
    public var skippedEmptyRows: Int
    /// Rows skipped because the value is not a finite number of sensible size.
    public var skippedBadValueRows: Int
}

extension Abc {
    /// Sums `values` per key with the code-indexed kernel of `RfmAggregation` (flat arrays
    /// indexed by dictionary code, integer cents, both cores on large inputs).
    public static func aggregate(
        keyCodes: [Int32], keyDictionary: [String], values: [Double],
        keyValidity: Bitmap? = nil, valueValidity: Bitmap? = nil, threads: Int? = nil
    ) throws(AbcError) -> AbcTotals {
        let totals: GroupTotals
        do {
            totals = try GroupKernel.group(
                codes: keyCodes, dictionarySize: keyDictionary.count, dates: nil, amounts: values,
                validity: [keyValidity, valueValidity], asof: 0, threads: threads)
        } catch {
            switch error {
            case .lengths(let s): throw .lengthMismatch(s)
            case .validity(let s): throw .validityMismatch(s)
            }
        }
        if totals.stats.overflow { throw .sumOverflow }
        var out = AbcTotals(keys: [], values: [], cents: [], rowsUsed: 0,
                            skippedEmptyRows: totals.stats.emptyRows, skippedBadValueRows: totals.stats.badAmountRows)
        for (code, p) in totals.partials.enumerated() where p.count > 0 {
            let key = keyDictionary[code]
            if key.isEmpty { out.skippedEmptyRows += Int(p.count); continue }
            out.keys.append(key)
            out.cents.append(p.cents)
            out.values.append(Double(p.cents) / 100)
            out.rowsUsed += Int(p.count)
        }
        return out
    }

    /// Sums from table columns: `key` text, `value` number.
    public static func aggregate(key: Column, value: Column, threads: Int? = nil) throws(AbcError) -> AbcTotals {
        guard case .text(let codes, let dictionary) = key.storage else {
            throw .wrongColumnType(argument: "by", expected: "text", found: key.typeName)
        }
        guard case .number(let values) = value.storage else {
            throw .wrongColumnType(argument: "value", expected: "number", found: value.typeName)
        }
        return try aggregate(keyCodes: codes, keyDictionary: dictionary, values: values.doubles,
                             keyValidity: key.validity, valueValidity: value.validity, threads: threads)
    }

    /// Classes per-key totals (the `by:` form), adding a warning for skipped rows.
    public static func classify(_ totals: AbcTotals, a: Double = 0.8, b: Double = 0.95, rule: AbcRule = .before) throws(AbcError) -> AbcResult {
        let order = rankOrder(keys: totals.keys, values: totals.values)
        var r = try classify(keys: totals.keys, values: totals.values, cents: totals.cents, order: order, a: a, b: b, rule: rule)
        let skipped = totals.skippedEmptyRows + totals.skippedBadValueRows
        if skipped > 0 {
            r.warnings.insert(Note(.abcSkipped, [.counted(skipped, .nounRow)]), at: 0)
        }
        return r
    }
}
