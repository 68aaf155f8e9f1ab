import TallyCore

/// A call bound to its declarations, handed to a built-in that reads its arguments as it
/// needs them: table functions evaluate conditions and new columns with the table's columns
/// in scope. Every argument is reached by its parameter's name, through an accessor of its
/// declared kind; the binder has already refused unknown, repeated and missing ones.
public struct CallContext {
    public let function: String
    let parameters: [Parameter]
    let bound: BoundArguments
    public let span: SourceSpan
    let evaluator: Evaluator
    /// The columns the caller will read from a table result (nil: all); see `Evaluator.demand`.
    public internal(set) var demand: Set<String>?

    init(_ fn: Builtin, bound: BoundArguments, span: SourceSpan, evaluator: Evaluator) {
        self.function = fn.name
        self.parameters = fn.parameters
        self.bound = bound
        self.span = span
        self.evaluator = evaluator
    }

    /// The signature line, from the declarations: `top(t, n, by: column)`.
    public var usage: String {
        Builtin.signature(function, parameters)
    }

    /// The built-ins in scope.
    public var registry: Registry { evaluator.registry }

    /// The argument given for the parameter `name`, nil when it was left out.
    public func argument(_ name: String) -> Argument? { bound.given[name] }

    /// The arguments of the variadic parameter, in call order.
    public var rest: [Argument] { bound.rest }

    /// True when no argument was given at all.
    public var isEmpty: Bool { bound.given.isEmpty && bound.rest.isEmpty }

    /// Evaluates in the caller's scope.
    public func evaluate(_ e: Expr) throws(TallyError) -> Value { try evaluator.evaluate(e) }

    /// Evaluates with `t`'s columns visible as bare names (row-wise, vectorised).
    public func evaluate(_ e: Expr, columnsOf t: Table) throws(TallyError) -> Value {
        var ev = evaluator
        ev.columns = t
        ev.group = nil
        return try ev.evaluate(e)
    }

    /// Evaluates an aggregate expression once per group (`sum(amount) / count()`).
    func evaluate(_ e: Expr, grouped g: GroupContext) throws(TallyError) -> Value {
        var ev = evaluator
        ev.columns = g.table
        ev.group = g
        return try ev.evaluate(e)
    }

    /// The table an argument evaluates to, or an error naming what it got.
    func table(_ a: Argument) throws(TallyError) -> Table {
        let v = try evaluate(a.value)
        if case .table(let t) = v { return t }
        if case .error(let e) = v { throw TallyError(.evaluation(e), span: a.value.span) }
        throw TallyError(.arguments("\(function) needs a table, got a \(v.typeName)"), span: a.value.span)
    }

    /// A column named by a bare name or a text, checked against `t`.
    public func columnName(_ e: Expr, in t: Table) throws(TallyError) -> String {
        let name: String
        switch e {
        case .name(let n, _): name = n
        case .text(let s, _): name = s
        default:
            let v = try evaluate(e)
            guard case .text(let s) = v else {
                throw TallyError(.arguments("\(function): expected a column name, got a \(v.typeName)"), span: e.span)
            }
            name = s
        }
        guard t.column(named: name) != nil else {
            var tableName = "the table"
            if let p = parameters.first(where: { $0.kind == .table }), case .name(let n, _)? = bound.given[p.name]?.value { tableName = n }
            throw TallyError(.unknownColumn(column: name, table: tableName), span: e.span,
                             hint: Suggestions.closest(to: name, among: t.names).map { "did you mean `\($0)`?" }
                                ?? "its columns: " + t.names.joined(separator: ", "))
        }
        return name
    }

    /// The most rows a row count may name.
    public static let maxRows = 999_999_999_999.0

    /// A whole number argument (row counts), 0 to `maxRows`.
    public func count(_ e: Expr) throws(TallyError) -> Int {
        try wholeNumber(e, what: "a whole number of rows", unit: "rows", upTo: CallContext.maxRows)
    }

    /// A whole number from 0 to `limit` (at most 2^53); the message names what is wrong:
    /// not a whole number, negative, or beyond the limit ("N rows is too many" with `unit`).
    public func wholeNumber(_ e: Expr, what: String, label: String? = nil, unit: String? = nil, upTo limit: Double) throws(TallyError) -> Int {
        let v = try evaluate(e)
        let named = label.map { "`\($0):` " } ?? ""
        guard case .number(let x, _) = v, x == x.rounded(), x >= 0 else {
            throw TallyError(.arguments("\(function): \(named)expected \(what) (0 or more), got \(Operators.display(v))"), span: e.span)
        }
        guard x <= limit else {
            let most = String(Int(saturating: limit))
            let problem = unit.map { "\(Operators.display(v)) \($0) is too many (at most \(most))" } ?? "\(Operators.display(v)) is too large (at most \(most))"
            throw TallyError(.arguments("\(function): \(named)\(problem)"), span: e.span)
        }
        return Int(saturating: x)
    }

    /// The most rows a table function may build (`set max_rows`, 50,000,000 by default).
    public var rowLimit: Int { evaluator.maxRows }

    /// Refuses a result of `count` rows (or cells) above `limit`, before anything is built:
    /// "join: the result would have 6,250,000 rows (at most 1,000,000)".
    public func checkSize(_ count: Int, limit: Int, unit: String = "rows", at e: Expr? = nil, hint: String) throws(TallyError) {
        guard count > limit else { return }
        let shown = count == Int.max ? "more than \(CallContext.grouped(Int.max))" : CallContext.grouped(count)
        throw fail("the result would have \(shown) \(unit) (at most \(CallContext.grouped(limit)))", at: e,
                   hint: hint + "; `set max_rows N` changes the limit")
    }

    /// 1234567 as "1,234,567".
    static func grouped(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, ch) in s.enumerated() {
            if i > 0, (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }

    /// Throws when the user pressed Ctrl-C; long loops call it every few thousand rows.
    public func checkInterrupted() throws(TallyError) {
        if evaluator.isInterrupted() { throw TallyError(.interrupted, span: span) }
    }

    /// A refusal pointing at `e` (or the whole call).
    public func fail(_ message: String, at e: Expr? = nil, hint: String? = nil) -> TallyError {
        TallyError(.arguments("\(function): \(message)"), span: e?.span ?? span, hint: hint)
    }
}
