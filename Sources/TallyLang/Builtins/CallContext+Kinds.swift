import TallyCore

/// The typed accessors of a bound call: one per parameter kind. Each reads the argument
/// bound to a declared parameter (or its default) and refuses a wrong kind with a message
/// pointing at the argument.
extension CallContext {
    /// The declaration of `name`; asking for an undeclared parameter is a bug in the built-in.
    func parameter(_ name: String) throws(TallyError) -> Parameter {
        guard let p = parameters.first(where: { $0.name == name }) else {
            throw TallyError(.arguments("\(function): internal error: no parameter `\(name)` is declared"), span: span)
        }
        return p
    }

    /// The argument of a required parameter (the binder has made sure it is there).
    public func required(_ name: String) throws(TallyError) -> Argument {
        _ = try parameter(name)
        guard let a = argument(name) else { throw fail("needs `\(name)`") }
        return a
    }

    /// The value of `name` evaluated in the caller's scope, its default when left out, nil without one.
    public func value(_ name: String) throws(TallyError) -> Value? {
        let p = try parameter(name)
        guard let a = argument(name) else { return p.defaultValue }
        return try evaluate(a.value)
    }

    /// The table bound to `name` (kind `.table`).
    public func table(_ name: String) throws(TallyError) -> Table {
        try table(try required(name))
    }

    /// The column of `t` that `name` names (kind `.column(of:)`), nil when left out.
    public func column(_ name: String, in t: Table) throws(TallyError) -> String? {
        let p = try parameter(name)
        guard let a = argument(name) else {
            if case .text(let s)? = p.defaultValue, t.column(named: s) != nil { return s }
            return nil
        }
        return try columnName(a.value, in: t)
    }

    /// One column of `t` or a list of them (kind `.columns(of:)`), nil when left out.
    public func columns(_ name: String, in t: Table) throws(TallyError) -> [String]? {
        _ = try parameter(name)
        guard let a = argument(name) else { return nil }
        if case .list(let items, _) = a.value {
            var out: [String] = []
            for e in items { out.append(try columnName(e, in: t)) }
            return out
        }
        return [try columnName(a.value, in: t)]
    }

    /// A number of rows (kind `.rowCount`), its default when left out.
    public func rowCount(_ name: String) throws(TallyError) -> Int {
        let p = try parameter(name)
        guard let a = argument(name) else {
            if case .number(let x, _)? = p.defaultValue { return Int(x) }
            throw fail("needs `\(name)`")
        }
        return try count(a.value)
    }

    /// A whole number from 0 to `limit` (kind `.wholeNumber`), its default when left out.
    public func wholeNumber(_ name: String, upTo limit: Double) throws(TallyError) -> Int {
        let p = try parameter(name)
        guard let a = argument(name) else {
            if case .number(let x, _)? = p.defaultValue { return Int(x) }
            throw fail("needs `\(name)`")
        }
        return try wholeNumber(a.value, what: "a whole number", label: p.isLabelOnly ? name : nil, upTo: limit)
    }

    /// The value of a row expression (kind `.rowExpression(of:)`): evaluated with `t`'s columns as bare names.
    public func rowValue(_ name: String, of t: Table) throws(TallyError) -> (Value, Expr)? {
        _ = try parameter(name)
        guard let a = argument(name) else { return nil }
        return (try evaluate(a.value, columnsOf: t), a.value)
    }

    /// One of the declared words (kind `.choice`), its default when left out.
    public func choice(_ name: String) throws(TallyError) -> String {
        let p = try parameter(name)
        guard case .choice(let allowed) = p.kind else { throw fail("internal error: `\(name)` is not a choice") }
        guard let a = argument(name) else {
            if case .text(let s)? = p.defaultValue { return s }
            return allowed.first ?? ""
        }
        let v = try evaluate(a.value)
        if case .error(let e) = v { throw TallyError(.evaluation(e), span: e.span ?? a.value.span) }
        let list = allowed.map { "\"\($0)\"" }.joined(separator: " or ")
        guard case .text(let s) = v else { throw fail("\(name) must be \(list), got \(SplitSupport.article(v.typeName))", at: a.value) }
        guard allowed.contains(s) else {
            let hint = Suggestions.closest(to: s, among: allowed).map { "did you mean \"\($0)\"?" }
            throw fail("\(name) must be \(list), not \"\(s)\"", at: a.value, hint: hint)
        }
        return s
    }

    /// A share from 0 to 1, 80% or 0.8 (kind `.share`); 80 is refused with a hint to write 80%.
    public func share(_ name: String) throws(TallyError) -> Double {
        let p = try parameter(name)
        guard let a = argument(name) else {
            if case .number(let x, _)? = p.defaultValue { return x }
            throw fail("needs `\(name)`")
        }
        let v = try evaluate(a.value)
        guard case .number(let x, _) = v else {
            throw fail("\(name) must be a share like 80%, got \(SplitSupport.article(v.typeName))", at: a.value)
        }
        guard x >= 0, x <= 1 else {
            let hint = x > 1 && x <= 100 ? "write \(name): \(Operators.plainNumber(x))%" : nil
            throw fail("\(name) must be a share from 0% to 100%, got \(Operators.plainNumber(x))", at: a.value, hint: hint)
        }
        return x
    }

    // MARK: value kinds. A wrong value is an error value the formula keeps (it may come from
    // a cell that changes), not a refusal; an error value passes through.

    /// How a message names a parameter: "the total", "`unit:`".
    private func what(_ p: Parameter) -> String { p.isLabelOnly ? "`\(p.name):`" : "the \(p.name)" }

    /// The evaluated argument of `name` and its declaration; an error value is thrown as it is.
    private func given(_ name: String) throws -> (Value, Parameter, Expr)? {
        let p = try parameter(name)
        guard let a = argument(name) else { return nil }
        let v = try evaluate(a.value)
        if case .error(let e) = v { throw e }
        return (v, p, a.value)
    }

    private func wrong(_ p: Parameter, _ v: Value, _ e: Expr, _ expected: String) -> ErrorValue {
        ErrorValue(.value, "\(function): \(what(p)) must be \(expected), got \(SplitSupport.article(v.typeName))", span: e.span)
    }

    /// A number and its format (kind `.number`), the default when left out, nil without one.
    public func number(_ name: String) throws -> (Double, NumberFormat)? {
        guard let (v, p, e) = try given(name) else {
            if case .number(let x, let f)? = try parameter(name).defaultValue { return (x, f) }
            return nil
        }
        guard case .number(let x, let f) = v else { throw wrong(p, v, e, "a number") }
        return (x, f)
    }

    /// True or false (kind `.boolean`), the default (or false) when left out.
    public func boolean(_ name: String) throws -> Bool {
        guard let (v, p, e) = try given(name) else {
            if case .bool(let b)? = try parameter(name).defaultValue { return b }
            return false
        }
        guard case .bool(let b) = v else { throw wrong(p, v, e, "true or false") }
        return b
    }

    /// A text (kind `.text`), the default when left out, nil without one.
    public func text(_ name: String) throws -> String? {
        guard let (v, p, e) = try given(name) else {
            if case .text(let s)? = try parameter(name).defaultValue { return s }
            return nil
        }
        guard case .text(let s) = v else { throw wrong(p, v, e, "a text") }
        return s
    }

    /// A date, also written as a text "2026-05-15" (kind `.date`), nil when left out.
    public func date(_ name: String) throws -> TallyDate? {
        guard let (v, p, e) = try given(name) else { return nil }
        switch v {
        case .date(let d): return d
        case .text(let s) where Registry.parseDate(s) != nil: return Registry.parseDate(s) ?? TallyDate(days: 0)
        default: throw wrong(p, v, e, "a date")
        }
    }

    /// A list of dates or texts that read as dates (kind `.dates`); none when left out.
    public func dates(_ name: String) throws -> [TallyDate] {
        guard let (v, _, _) = try given(name) else { return [] }
        return try CalendarSupport.dates(v, function: function, what: name)
    }
}
