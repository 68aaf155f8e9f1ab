import TallyCore

/// The arguments of one call, bound to the function's parameters by position or name.
/// Accessors throw `ErrorValue`, which the evaluator turns into the call's error value.
public struct Arguments: Sendable {
    public let function: String
    /// Bound values by parameter name (defaults filled in).
    public var named: [String: Value]
    /// The values of the variadic parameter.
    public var rest: [Value]

    public init(function: String, named: [String: Value], rest: [Value] = []) {
        self.function = function
        self.named = named
        self.rest = rest
    }

    /// True when an argument is an empty cell (numeric functions then give empty, as arithmetic does).
    public var hasEmpty: Bool { named.values.contains { $0.isEmpty } }

    public subscript(name: String) -> Value? {
        guard let v = named[name], !v.isEmpty else { return nil }
        return v
    }

    public func value(_ name: String) throws -> Value {
        guard let v = named[name] else { throw ErrorValue(.value, "\(function): `\(name)` is missing") }
        return v
    }

    public func number(_ name: String) throws -> Double {
        let v = try value(name)
        guard case .number(let x, _) = v else {
            throw ErrorValue(.value, "\(function): `\(name)` must be a number, got \(article(v.typeName))")
        }
        return x
    }

    /// A whole number (digits, counts, months).
    public func integer(_ name: String) throws -> Int {
        let x = try number(name)
        guard x == x.rounded() else {
            throw ErrorValue(.value, "\(function): `\(name)` must be a whole number, got \(Operators.plainNumber(x))")
        }
        guard abs(x) < 1e9 else {
            throw ErrorValue(.value, "\(function): `\(name)` is out of range (at most 999,999,999 either way)")
        }
        return Int(x)
    }

    public func text(_ name: String) throws -> String {
        let v = try value(name)
        guard case .text(let s) = v else {
            throw ErrorValue(.value, "\(function): `\(name)` must be a text, got \(article(v.typeName))")
        }
        return s
    }

    public func date(_ name: String) throws -> TallyDate {
        let v = try value(name)
        guard case .date(let d) = v else {
            throw ErrorValue(.value, "\(function): `\(name)` must be a date, got \(article(v.typeName))")
        }
        return d
    }

    public func bool(_ name: String) throws -> Bool {
        let v = try value(name)
        guard case .bool(let b) = v else {
            throw ErrorValue(.value, "\(function): `\(name)` must be true or false, got \(article(v.typeName))")
        }
        return b
    }

    /// "a number", "an empty", "an error".
    func article(_ word: String) -> String {
        (word.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + word
    }

    /// The number format of a numeric argument (plain for anything else).
    public func format(_ name: String) -> NumberFormat {
        if case .number(_, let f)? = named[name] { return f }
        return .plain
    }
}
