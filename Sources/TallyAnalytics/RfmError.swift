import TallyCore

/// Why an RFM computation (aggregation, scoring, segment rules) was refused.
public enum RfmError: Error, Equatable, Sendable {
    /// Two input arrays that must be parallel differ in length.
    case lengthMismatch(String)
    /// A validity bitmap does not have one bit per row.
    case validityMismatch(String)
    /// A customer's money total left the range of 64-bit integer cents.
    case sumOverflow
    /// Band edges must be finite and strictly ascending, one to eight of them.
    case badEdges(metric: String, reason: String)
    /// The quantile method needs 2 to 9 bins.
    case badBins(Int)
    /// A value that cannot be scored (NaN or infinite).
    case nonFiniteValue(metric: String, index: Int)
    /// A segment rule list must be non-empty and end with a catch-all rule.
    case noCatchAll
    /// A rule with no conditions that is not the last: every rule after it is unreachable.
    case unreachableRules(after: String)
    /// An empty rule list.
    case noRules
    /// A condition text that cannot be read (`r >= 4`, `f high`, `m low`...).
    case badCondition(String)
    /// The customer is not in the result.
    case unknownCustomer(String)
    /// A column of the wrong type was given (text for customer, date for date...).
    case wrongColumnType(argument: String, expected: String, found: String)

    /// A one-line message for the user.
    public var message: String {
        switch self {
        case .lengthMismatch(let s): return "inputs differ in length: \(s)"
        case .validityMismatch(let s): return "validity bitmap has the wrong length: \(s)"
        case .sumOverflow: return "a customer's total is too large to sum exactly in cents"
        case .badEdges(let m, let r): return "bad \(m) edges: \(r)"
        case .badBins(let n): return "bins must be between 2 and 9, got \(n)"
        case .nonFiniteValue(let m, let i): return "\(m) value at row \(i + 1) is not a finite number"
        case .noCatchAll: return "the last segment rule must be a catch-all (no conditions)"
        case .unreachableRules(let name): return "rule \"\(name)\" has no conditions, so the rules after it can never match"
        case .noRules: return "no segment rules given"
        case .badCondition(let s): return "cannot read the condition \"\(s)\" (write e.g. r >= 4, f high, m low)"
        case .unknownCustomer(let c): return "no customer \"\(c)\" in the result"
        case .wrongColumnType(let a, let e, let f): return "\(a) must be a \(e) column, not \(f)"
        }
    }
}
