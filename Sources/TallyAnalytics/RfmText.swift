import Foundation
import TallyCore

/// Number formatting for the messages and explanations of this module (plain, locale-free).
enum RfmText {
    /// Whole numbers without decimals, others with up to `digits` decimals, trailing zeros cut.
    static func number(_ x: Double, digits: Int = 2) -> String {
        guard x.isFinite else { return ErrorValue.Kind.number.rawValue }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        var s = String(format: "%.\(digits)f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// Money with exactly two decimals.
    static func money(_ x: Double) -> String {
        guard x.isFinite else { return number(x) }
        return String(format: "%.2f", x)
    }

    /// Money from integer cents, exact.
    static func money(cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let a = cents.magnitude
        let frac = a % 100
        return "\(sign)\(a / 100).\(frac < 10 ? "0" : "")\(frac)"
    }

    /// A fraction as a percentage with two decimals ("27.40%").
    static func percent(_ x: Double) -> String {
        guard x.isFinite else { return number(x) }
        return String(format: "%.2f%%", x * 100)
    }
}
