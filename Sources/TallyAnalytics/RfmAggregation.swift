import TallyCore

/// Per-customer recency, frequency and monetary totals of a transactions table.
///
/// Parallel arrays, one entry per customer that has at least one usable order, in the
/// order of the customer dictionary (first appearance, for a loaded column).
public struct RfmAggregate: Sendable, Equatable {
    /// Customer names.
    public var customers: [String]
    /// Each customer's code in the input dictionary (to join results back to the rows).
    public var customerCodes: [Int32]
    /// Days from the customer's last order to `asof` (negative when the last order is later).
    public var recency: [Int]
    /// Number of orders (rows).
    public var frequency: [Int]
    /// Total amount, exact to the cent (`monetaryCents / 100`).
    public var monetary: [Double]
    /// Total amount in integer cents: the exact figure that scores compare.
    public var monetaryCents: [Int64]
    /// The date of the last order, days since 1970-01-01.
    public var lastOrder: [Int32]
    /// The reference date the recency is counted from.
    public var asof: Int32
    /// Rows aggregated.
    public var rowsUsed: Int
    /// Rows skipped because the customer, date or amount was empty (or the customer text
    /// was the empty string).
    public var skippedEmptyRows: Int
    /// Rows skipped because the amount was not a finite number of sensible size.
    public var skippedBadAmountRows: Int
    /// Rows dated after `asof` (they give a negative recency; worth a warning).
    public var rowsAfterAsof: Int

    /// Rows skipped for any reason.
    public var skippedRows: Int { skippedEmptyRows + skippedBadAmountRows }
}

/// Groups transactions per customer for RFM, built for tens of millions of rows: the
/// customer column's dictionary codes index flat arrays (no hashing per row), money is
/// summed in integer cents, and large inputs are split across the cores.
public enum RfmAggregation {
    /// Aggregates transactions per customer.
    ///
    /// - Parameters:
    ///   - customerCodes: per row, the index of the customer in `customerDictionary`.
    ///   - customerDictionary: distinct customer names (entries are assumed distinct).
    ///   - dates: per row, the order date in days since 1970-01-01.
    ///   - amounts: per row, the order amount; summed as `(amount * 100).rounded()` cents.
    ///   - customerValidity, dateValidity, amountValidity: optional bitmaps; a clear bit
    ///     marks an empty cell and the row is skipped and counted.
    ///   - asof: the reference date (days); recency = `asof - last order date`.
    ///   - threads: worker threads; nil picks one for small inputs, else one per core.
    ///   - stop: asked every 131,072 rows (Ctrl-C); once it says true the result is
    ///     incomplete and the caller must drop it.
    public static func aggregate(
        customerCodes: [Int32], customerDictionary: [String], dates: [Int32], amounts: [Double],
        customerValidity: Bitmap? = nil, dateValidity: Bitmap? = nil, amountValidity: Bitmap? = nil,
        asof: Int32, threads: Int? = nil, stop: () -> Bool = { false }
    ) throws(RfmError) -> RfmAggregate {
        let totals: GroupTotals
        do {
            totals = try GroupKernel.group(
                codes: customerCodes, dictionarySize: customerDictionary.count, dates: dates,
                amounts: amounts, validity: [customerValidity, dateValidity, amountValidity],
                asof: asof, threads: threads, stop: stop)
        } catch {
            switch error {
            case .lengths(let s): throw .lengthMismatch(s)
            case .validity(let s): throw .validityMismatch(s)
            }
        }
        if totals.stats.overflow { throw .sumOverflow }
        var out = RfmAggregate(
            customers: [], customerCodes: [], recency: [], frequency: [], monetary: [],
            monetaryCents: [], lastOrder: [], asof: asof, rowsUsed: 0,
            skippedEmptyRows: totals.stats.emptyRows, skippedBadAmountRows: totals.stats.badAmountRows,
            rowsAfterAsof: totals.stats.rowsAfterAsof)
        let groups = totals.partials.reduce(0) { $0 + ($1.count > 0 ? 1 : 0) }
        out.customers.reserveCapacity(groups)
        out.customerCodes.reserveCapacity(groups)
        out.recency.reserveCapacity(groups)
        out.frequency.reserveCapacity(groups)
        out.monetary.reserveCapacity(groups)
        out.monetaryCents.reserveCapacity(groups)
        out.lastOrder.reserveCapacity(groups)
        var used = 0
        for (code, p) in totals.partials.enumerated() where p.count > 0 {
            if code & RfmScoring.stopEvery == 0 && stop() { break }
            let name = customerDictionary[code]
            if name.isEmpty {
                out.skippedEmptyRows += Int(p.count)
                continue
            }
            used += Int(p.count)
            out.customers.append(name)
            out.customerCodes.append(Int32(code))
            out.recency.append(Int(asof) - Int(p.last))
            out.frequency.append(Int(p.count))
            out.monetaryCents.append(p.cents)
            out.monetary.append(Double(p.cents) / 100)
            out.lastOrder.append(p.last)
        }
        out.rowsUsed = used
        return out
    }

    /// Aggregates from table columns: `customer` text, `date` date, `amount` number.
    /// Empty cells (validity) are skipped and counted.
    public static func aggregate(customer: Column, date: Column, amount: Column, asof: Int32, threads: Int? = nil) throws(RfmError) -> RfmAggregate {
        guard case .text(let codes, let dictionary) = customer.storage else {
            throw .wrongColumnType(argument: "customer", expected: "text", found: customer.typeName)
        }
        guard case .date(let days) = date.storage else {
            throw .wrongColumnType(argument: "date", expected: "date", found: date.typeName)
        }
        guard case .number(let amountCells) = amount.storage else {
            throw .wrongColumnType(argument: "amount", expected: "number", found: amount.typeName)
        }
        return try aggregate(
            customerCodes: codes, customerDictionary: dictionary, dates: days, amounts: amountCells.doubles,
            customerValidity: customer.validity, dateValidity: date.validity, amountValidity: amount.validity,
            asof: asof, threads: threads)
    }
}
