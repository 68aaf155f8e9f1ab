import TallyCore

/// Evaluates expressions against what a scope can see. Static problems (an unknown name,
/// a wrong argument) throw `TallyError` so the statement is refused; failures of the
/// computation itself become error values that the formula keeps.
public struct Evaluator {
    public let registry: Registry
    /// Resolves a workspace name to its current value.
    public var lookup: (String) -> Value?
    /// Every workspace name, for "did you mean".
    public var namesInScope: () -> [String]
    /// Columns visible as bare names (inside table functions and computed columns).
    public var columns: Table?
    /// Set while evaluating the aggregates of `group`: aggregate calls reduce per group.
    var group: GroupContext?
    /// While an expression is evaluated once per distinct value of a column: that column's
    /// leaf (`channel` or `t.channel`) and the value standing for it.
    var bound: (key: String, value: Value)?
    /// The columns the consumer of the call being evaluated will read from a table result
    /// (nil: all of them): `count(where(t, c))` reads none, `where(t, c).amount` one. A
    /// filter then gathers only those instead of every column of the table.
    var demand: Set<String>?
    /// Whether element-wise expressions over columns may run fused (`FusedCompiler`); off
    /// while a fused run's fallback evaluates the same expression the general way.
    var fusion = true
    /// Polled between steps; true aborts the evaluation.
    public var isInterrupted: () -> Bool
    /// A function the session adds that reads the workspace (`compare(revenue)` reads the
    /// scenarios): given a call's name, its value, or nil for the registry to handle it.
    public var workspaceFunction: ((_ name: String, _ arguments: [Argument], _ span: SourceSpan) throws -> Value?)?
    /// The most rows a table function may build (`set max_rows`); joins and pivots that
    /// would make more are refused before anything is allocated.
    public var maxRows = Evaluator.defaultMaxRows
    /// Runs operations over remote tables on their server (nil: there are none).
    public var remote: RemoteTables?
    /// 50,000,000 rows.
    public static let defaultMaxRows = 50_000_000

    public init(registry: Registry = .standard, lookup: @escaping (String) -> Value?,
                namesInScope: @escaping () -> [String] = { [] },
                isInterrupted: @escaping () -> Bool = { false }) {
        self.registry = registry
        self.lookup = lookup
        self.namesInScope = namesInScope
        self.isInterrupted = isInterrupted
    }

    /// Evaluates `e`; a deeply nested expression is evaluated on a large stack.
    public func evaluate(_ e: Expr) throws(TallyError) -> Value {
        if e.nests(deeperThan: 24), !LargeStack.isCurrent {
            return try LargeStack.run { () throws(TallyError) -> Value in try eval(e) }
        }
        return try eval(e)
    }

    /// The recursive evaluation (children are evaluated with `eval`, not `evaluate`).
    func eval(_ e: Expr) throws(TallyError) -> Value {
        if isInterrupted() { throw TallyError(.interrupted, span: e.span) }
        switch e {
        case .number(let x, let f, _): return .number(x, f)
        case .text(let s, _): return .text(s)
        case .bool(let b, _): return .bool(b)
        case .name(let n, let span): return try resolve(n, span)
        case .list(let items, _):
            var out: [Value] = []
            for i in items { out.append(try eval(i)) }
            return .list(out)
        case .record(let fields, _):
            var r = Record()
            for f in fields { r[f.name] = try eval(f.value) }
            return .record(r)
        case .unary(let op, let x, let span):
            if let v = try byDistinctValues(e) { return v }
            if let v = try fused(e) { return v }
            return try unary(op, try eval(x), span)
        case .binary(let op, let a, let b, let span):
            if let v = try byDistinctValues(e) { return v }
            if let v = try fused(e) { return v }
            return try binary(op, try eval(a), try eval(b), span)
        case .chain(let first, let links, let span):
            if let v = try byDistinctValues(e) { return v }
            if let v = try fused(e) { return v }
            return try chain(first, links, span)
        case .member(let base, let field, let span):
            if let b = bound, case .name(let t, _) = base, b.key == t + "." + field { return b.value }
            if case .name(let t, let tSpan) = base, let (stand, source) = remoteTable(named: t), let remote {
                // `o.amount`: that one column from the server, not every column of `o`; a
                // column it does not have is refused from the stand-in's names, unfetched.
                guard stand.column(named: field) != nil else { return try member(.table(stand), field, base: base, span: span) }
                return .column(try remote.fetch(stand, source: source, columns: [field], span: tSpan).columns[0])
            }
            guard case .call = base else { return try member(try eval(base), field, base: base, span: span) }
            var reading = self
            reading.demand = [field]
            return try member(try reading.eval(base), field, base: base, span: span)
        case .format(let x, let f, let span):
            return located(Self.applyFormat(f, try eval(x)), span)
        case .call(let name, let nameSpan, let args, let span):
            if let remote, let v = try remote.evaluate(e, evaluator: self) { return v }
            if let v = try byDistinctValues(e) { return v }
            if let v = try fused(e) { return v }
            return try call(name, nameSpan: nameSpan, args, span: span)
        }
    }

    /// `a + b - c` left to right in a loop, each step located like the `.binary` it stands for.
    private func chain(_ first: Expr, _ links: [ChainLink], _ span: SourceSpan) throws(TallyError) -> Value {
        var acc = try eval(first)
        for (i, link) in links.enumerated() {
            let step = Expr.chainStepSpan(first, links, i, span)
            acc = try binary(link.op, acc, try eval(link.operand), step)
        }
        return acc
    }

    /// An operator; over a column, its typed loop, stoppable with Ctrl-C.
    private func binary(_ op: BinaryOp, _ a: Value, _ b: Value, _ span: SourceSpan) throws(TallyError) -> Value {
        let isColumn: (Value) -> Bool = { if case .column = $0 { return true } else { return false } }
        let isList: (Value) -> Bool = { if case .list = $0 { return true } else { return false } }
        guard isColumn(a) || isColumn(b), !isList(a), !isList(b), !a.isError, !b.isError else {
            return located(Operators.binary(op, a, b), span)
        }
        let (m, k) = (Operators.length(a), Operators.length(b))
        if let m, let k, m != k { return located(Operators.binary(op, a, b), span) }
        return try columnRun(span) { check in try Operators.columns(op, a, b, count: m ?? k ?? 0, check: check) }
    }

    private func unary(_ op: UnaryOp, _ x: Value, _ span: SourceSpan) throws(TallyError) -> Value {
        guard case .column(let c) = x else { return located(Operators.unary(op, x), span) }
        return try columnRun(span) { check in try Operators.columns(op, c, check: check) }
    }

    /// Runs a column computation that polls Ctrl-C; its error cells get `span`.
    func columnRun(_ span: SourceSpan, _ body: (@escaping () throws -> Void) throws -> Column) throws(TallyError) -> Value {
        let interrupted = isInterrupted
        do {
            return .column(try body { if interrupted() { throw TallyError(.interrupted, span: span) } }.locatingErrors(span))
        } catch let e as TallyError {
            throw e
        } catch {
            return .error(ErrorValue(.value, "\(error)", span: span))
        }
    }

    /// Gives a fresh error value the span of the operation that produced it.
    private func located(_ v: Value, _ span: SourceSpan) -> Value {
        if case .error(var e) = v, e.span == nil { e.span = span; return .error(e) }
        return v
    }

    /// The remote table a name resolves to (as `resolve` would find it), with its source;
    /// nil when the name is bound, a group key, a column in scope or anything else.
    func remoteTable(named n: String) -> (Table, RemoteSource)? {
        guard remote != nil, bound?.key != n, group == nil, columns?.column(named: n) == nil,
              case .table(let t)? = lookup(n), let source = RemoteSource(t) else { return nil }
        return (t, source)
    }

    func resolve(_ n: String, _ span: SourceSpan) throws(TallyError) -> Value {
        if let b = bound, b.key == n { return b.value }
        if let g = group {
            if let k = g.keys[n] { return .column(k) }
            if g.table.column(named: n) != nil {
                throw TallyError(.arguments("`\(n)` is not a key of the group"), span: span,
                                 hint: "aggregate it, e.g. sum(\(n)), or add it to the keys")
            }
        }
        if let c = columns?.column(named: n) { return .column(c) }
        if let v = lookup(n) {
            if let remote, case .table(let t) = v, let source = RemoteSource(t) {
                return .table(try remote.fetch(t, source: source, columns: nil, span: span))
            }
            return v
        }
        if registry.lookup(n) != nil {
            throw TallyError(.unknownName(n), span: span, hint: "`\(n)` is a function: call it as \(n)(...)")
        }
        let candidates = namesInScope() + (columns?.names ?? [])
        let hint = Suggestions.closest(to: n, among: candidates).map { "did you mean `\($0)`?" }
        throw TallyError(.unknownName(n), span: span, hint: hint)
    }

    private func member(_ v: Value, _ field: String, base: Expr, span: SourceSpan) throws(TallyError) -> Value {
        switch v {
        case .table(let t):
            if let c = t.column(named: field) { return .column(c) }
            var tableName = "table"
            if case .name(let n, _) = base { tableName = n }
            throw TallyError(.unknownColumn(column: field, table: tableName), span: span,
                             hint: Suggestions.closest(to: field, among: t.names).map { "did you mean `\($0)`?" }
                                ?? "its columns: " + t.names.joined(separator: ", "))
        case .record(let r):
            if let x = r[field] { return x }
            throw TallyError(.syntax("the record has no field `\(field)`"), span: span,
                             hint: Suggestions.closest(to: field, among: r.names).map { "did you mean `\($0)`?" })
        case .error: return v
        default:
            return .error(ErrorValue(.value, "a \(v.typeName) has no field `\(field)`", span: span))
        }
    }

    static func applyFormat(_ f: NumberFormat, _ v: Value) -> Value {
        switch v {
        case .number(let x, _): return .number(x, f)
        case .list(let xs): return .list(xs.map { applyFormat(f, $0) })
        case .column(var c):
            if case .number = c.storage { c.format = f; return .column(c) }
            return .column(Column(values: c.values.map { applyFormat(f, $0) }))
        case .empty, .error: return v
        default: return .error(ErrorValue(.value, "only numbers take a format, got a \(v.typeName)"))
        }
    }
}
