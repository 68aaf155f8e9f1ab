import Foundation
import TallyCore

extension Registry {
    /// round, mod, floor, ceil, abs, sqrt, ln, exp. (`min` and `max` are aggregates.)
    static let mathFunctions: [Builtin] = [
        Builtin("round", category: .math, parameters: [.required("x", .number), .optional("digits", .num(0), .wholeNumber)],
                summary: "Rounds to a number of decimal digits (half away from zero); negative digits round to tens, hundreds...",
                example: "round(1234.567, 2)", elementwise: true) { a in
            if a.hasEmpty { return .empty }
            let x = try a.number("x"), d = try a.integer("digits")
            guard abs(d) <= 15 else { throw ErrorValue(.value, "round: digits must be between -15 and 15") }
            return .number(rounding(d)(x), a.format("x"))
        }.looping(.unary { a, format in
            guard a.named["digits"]?.isEmpty == false, let d = try? a.integer("digits"), abs(d) <= 15 else { return nil }
            return (rounding(d), format)
        }),
        Builtin("mod", category: .math, parameters: [.required("a", .number), .required("b", .number)],
                summary: "The remainder of a / b, with the sign of b (as in Excel).",
                example: "mod(17, 5)", elementwise: true) { a in
            if a.hasEmpty { return .empty }
            let x = try a.number("a"), y = try a.number("b")
            guard y != 0 else { throw ErrorValue(.divisionByZero, "mod: division by zero") }
            return .num(remainder(x, y))
        }.looping(.binary(remainder, format: { _, _ in .plain })),
        unary("floor", "Rounds down to a whole number.", "floor(3.7)", format: .plain) { $0.rounded(.down) },
        unary("ceil", "Rounds up to a whole number.", "ceil(3.2)", format: .plain) { $0.rounded(.up) },
        unary("abs", "The absolute value.", "abs(-42)", format: nil) { Swift.abs($0) },
        unary("sqrt", "The square root.", "sqrt(16)", failure: { $0 < 0 ? "sqrt of a negative number" : nil }) { $0.squareRoot() },
        unary("ln", "The natural logarithm.", "ln(exp(2))",
              failure: { $0 > 0 ? nil : "ln of a number that is not positive" }) { Foundation.log($0) },
        unary("exp", "e raised to a power.", "exp(1)") { Foundation.exp($0) },
    ]

    /// Half away from zero to `digits` decimals (tens, hundreds... when negative).
    static func rounding(_ digits: Int) -> @Sendable (Double) -> Double {
        if digits == 0 { return { x in halfAwayFromZero(x) } }
        let p = pow(10.0, Double(abs(digits)))
        if digits >= 0 { return { x in halfAwayFromZero(x * p) / p } }
        return { x in halfAwayFromZero(x / p) * p }
    }

    /// `x.rounded(.toNearestOrAwayFromZero)` by truncation through an integer, which is two
    /// instructions where `rounded` calls libm's `round`. Exact: below 2^52 the fraction
    /// `a - whole` is computed without error; from 2^52 on (and for NaN and the
    /// infinities) every double is its own rounding. The sign is kept, so -0.4 gives -0.
    @inline(__always)
    static func halfAwayFromZero(_ x: Double) -> Double {
        let a = Swift.abs(x)
        guard a < 4_503_599_627_370_496 else { return x }
        let whole = Double(Int64(a))
        let up: Double = a - whole >= 0.5 ? 1 : 0
        return Double(signOf: x, magnitudeOf: whole + up)
    }

    /// Excel's MOD: the sign of the divisor. Not finite for y = 0 (the one-row path says why).
    static func remainder(_ x: Double, _ y: Double) -> Double {
        y == 0 ? .nan : x - y * (x / y).rounded(.down)
    }

    /// A one-argument elementwise numeric function and its typed loop: `f` is the function,
    /// `failure` names the inputs outside its domain (the loop gives them NaN or an
    /// infinity, which sends them to the one-row path and this message). `format` is the
    /// result's display format, nil to keep the argument's.
    private static func unary(_ name: String, _ summary: String, _ example: String, format: NumberFormat? = .plain,
                              failure: @escaping @Sendable (Double) -> String? = { _ in nil },
                              _ f: @escaping @Sendable (Double) -> Double) -> Builtin {
        Builtin(name, category: .math, parameters: [.required("x", .number)], summary: summary, example: example,
                elementwise: true) { a in
            if a.hasEmpty { return .empty }
            let x = try a.number("x")
            if let why = failure(x) { throw ErrorValue(.number, why) }
            return .number(f(x), format ?? a.format("x"))
        }.looping(.unary { _, columnFormat in (f, format ?? columnFormat) })
    }
}
