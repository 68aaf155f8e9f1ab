import TallyCore

/// The result of a KPI formula: a number, a division by zero (shown as `#DIV/0!`), or an
/// input that is not usable (NaN, infinite, a negative count), never a crash or a silent
/// infinity.
public enum KpiResult: Sendable, Equatable {
    case value(Double)
    case divisionByZero
    case invalid(String)

    /// The number, if there is one.
    public var value: Double? {
        if case .value(let v) = self { return v }
        return nil
    }

    /// The spreadsheet error this result stands for (nil for a number).
    public var errorValue: ErrorValue? {
        switch self {
        case .value: return nil
        case .divisionByZero: return ErrorValue(.divisionByZero, "division by zero")
        case .invalid(let why): return ErrorValue(.number, why)
        }
    }
}

/// The KPI formulas of SEEDS.md section 5. Ratios are returned as fractions (0.25 for
/// 25%); the caller formats them as percentages.
public enum Kpi {
    /// `numerator / denominator`, `.divisionByZero` when the denominator is 0 (including
    /// 0 / 0), `.invalid` for non-finite inputs.
    public static func ratio(_ numerator: Double, _ denominator: Double) -> KpiResult {
        guard numerator.isFinite, denominator.isFinite else { return .invalid("not a finite number") }
        guard denominator != 0 else { return .divisionByZero }
        return .value(numerator / denominator)
    }

    /// Conversion rate = buyers / visitors.
    public static func conversion(_ buyers: Double, _ visitors: Double) -> KpiResult { ratio(buyers, visitors) }
    /// Average order value (客单价) = sales / orders.
    public static func aov(_ sales: Double, _ orders: Double) -> KpiResult { ratio(sales, orders) }
    /// Profit margin = profit / sales.
    public static func margin(_ profit: Double, _ sales: Double) -> KpiResult { ratio(profit, sales) }
    /// ROI = return / investment, as SEEDS.md states it: pass the net gain
    /// (revenue - cost) as `gain` for the usual "net ROI".
    public static func roi(_ gain: Double, _ cost: Double) -> KpiResult { ratio(gain, cost) }
    /// ROAS = ad revenue / ad spend.
    public static func roas(_ revenue: Double, _ spend: Double) -> KpiResult { ratio(revenue, spend) }
    /// CAC = acquisition cost / new customers.
    public static func cac(_ cost: Double, _ newCustomers: Double) -> KpiResult { ratio(cost, newCustomers) }
    /// Collection rate (回款率) = cash collected / sales.
    public static func collectionRate(_ collected: Double, _ sales: Double) -> KpiResult { ratio(collected, sales) }
    /// Churn rate = customers lost in the period / customers at the start.
    public static func churnRate(_ lost: Double, _ start: Double) -> KpiResult { ratio(lost, start) }
    /// Completion rate = actual / target.
    public static func completion(_ actual: Double, _ target: Double) -> KpiResult { ratio(actual, target) }

    /// Growth = (now - before) / |before|. Dividing by the magnitude keeps the sign
    /// meaningful when the base is negative (a loss of 100 turning into a profit of 50 is
    /// +150%, not -150%).
    public static func growth(_ now: Double, _ before: Double) -> KpiResult {
        guard now.isFinite, before.isFinite else { return .invalid("not a finite number") }
        return ratio(now - before, abs(before))
    }

    /// Repeat purchase rate = customers with 2 or more orders / customers with 1 or more.
    /// `ordersPerCustomer` holds one order count per customer; zeros are ignored.
    public static func repeatRate(_ ordersPerCustomer: [Double]) -> KpiResult {
        var buyers = 0, repeaters = 0
        for x in ordersPerCustomer {
            guard x.isFinite, x >= 0 else { return .invalid("order counts must be non-negative numbers") }
            if x >= 1 { buyers += 1 }
            if x >= 2 { repeaters += 1 }
        }
        return ratio(Double(repeaters), Double(buyers))
    }

    /// Repeat purchase rate from integer order counts per customer.
    public static func repeatRate(_ ordersPerCustomer: [Int]) -> KpiResult {
        repeatRate(ordersPerCustomer.map(Double.init))
    }

    /// Repeat purchase rate from an order table's customer column (one row per order):
    /// counts the orders per dictionary code with a flat array, no hashing. Rows whose
    /// validity bit is clear, or whose code is outside the dictionary, are ignored.
    public static func repeatRate(customerCodes: [Int32], dictionarySize: Int, validity: Bitmap? = nil) -> KpiResult {
        var counts = [UInt32](repeating: 0, count: max(0, dictionarySize))
        let limit = UInt32(truncatingIfNeeded: max(0, dictionarySize))
        for (i, code) in customerCodes.enumerated() {
            if let validity, i < validity.count, !validity[i] { continue }
            let u = UInt32(bitPattern: code)
            if u < limit { counts[Int(u)] &+= 1 }
        }
        var buyers = 0, repeaters = 0
        for c in counts {
            if c >= 1 { buyers += 1 }
            if c >= 2 { repeaters += 1 }
        }
        return ratio(Double(repeaters), Double(buyers))
    }

    /// Customer lifetime value = AOV x purchase frequency (per period) x lifespan (periods)
    /// x margin (1 for revenue LTV).
    public static func ltv(aov: Double, frequency: Double, lifespan: Double, margin: Double = 1) -> KpiResult {
        let v = aov * frequency * lifespan * margin
        guard v.isFinite else { return .invalid("not a finite number") }
        return .value(v)
    }

    /// Customer lifetime value = ARPU x margin / churn rate (per period).
    public static func ltvChurn(arpu: Double, margin: Double, churn: Double) -> KpiResult {
        guard arpu.isFinite, margin.isFinite else { return .invalid("not a finite number") }
        return ratio(arpu * margin, churn)
    }
}
