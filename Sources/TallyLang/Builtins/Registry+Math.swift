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
            let p = pow(10.0, Double(abs(d)))
            let r = d >= 0 ? (x * p).rounded(.toNearestOrAwayFromZero) / p : (x / p).rounded(.toNearestOrAwayFromZero) * p
            return .number(r, a.format("x"))
        },
        Builtin("mod", category: .math, parameters: [.required("a", .number), .required("b", .number)],
                summary: "The remainder of a / b, with the sign of b (as in Excel).",
                example: "mod(17, 5)", elementwise: true) { a in
            if a.hasEmpty { return .empty }
            let x = try a.number("a"), y = try a.number("b")
            guard y != 0 else { throw ErrorValue(.divisionByZero, "mod: division by zero") }
            return .num(x - y * (x / y).rounded(.down))
        },
        unary("floor", "Rounds down to a whole number.", "floor(3.7)") { x in .number(x.rounded(.down), .plain) },
        unary("ceil", "Rounds up to a whole number.", "ceil(3.2)") { x in .number(x.rounded(.up), .plain) },
        unary("abs", "The absolute value.", "abs(-42)", keepsFormat: true) { x in .num(abs(x)) },
        unary("sqrt", "The square root.", "sqrt(16)") { x in
            guard x >= 0 else { throw ErrorValue(.number, "sqrt of a negative number") }
            return .num(x.squareRoot())
        },
        unary("ln", "The natural logarithm.", "ln(exp(2))") { x in
            guard x > 0 else { throw ErrorValue(.number, "ln of a number that is not positive") }
            return .num(Foundation.log(x))
        },
        unary("exp", "e raised to a power.", "exp(1)") { x in .num(Foundation.exp(x)) },
    ]

    /// A one-argument elementwise numeric function.
    private static func unary(_ name: String, _ summary: String, _ example: String, keepsFormat: Bool = false,
                              _ f: @escaping @Sendable (Double) throws -> Value) -> Builtin {
        Builtin(name, category: .math, parameters: [.required("x", .number)], summary: summary, example: example,
                elementwise: true) { a in
            if a.hasEmpty { return .empty }
            let r = try f(try a.number("x"))
            if keepsFormat, case .number(let v, _) = r { return .number(v, a.format("x")) }
            return r
        }
    }
}
