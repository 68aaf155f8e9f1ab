import TallyCore

/// Fused evaluation: an element-wise expression over columns (`t.amount * 1.1 + 2`,
/// `month(order_date) == 3 and amount > 500`) runs in one chunked pass (`FusedRun`), and
/// `sum`, `avg` and `count` over it, or `count(where(t, cond))`, consume the chunks
/// without any column being built. Whatever the fused form cannot decide (an error cell,
/// a division by zero) makes the run give up, and the general evaluation, which is the
/// definition, runs instead; the differential tests hold both equal.
extension Evaluator {
    /// Columns shorter than this run the general way, which is as quick on them.
    static let fusedMinimumRows = 4096

    /// `e`'s value by a fused run, or nil when it has no fused form.
    func fused(_ e: Expr) throws(TallyError) -> Value? {
        guard fusion, group == nil, bound == nil else { return nil }
        if case .call(let name, _, let args, _) = e, let fn = registry.lookup(name), fn.category == .aggregate {
            return try fusedAggregate(fn, args, e)
        }
        var compiler = FusedCompiler(self)
        guard let root = compiler.compileRoot(e, minimumRows: Self.fusedMinimumRows), let rows = compiler.rows,
              compiler.operations >= 2 || root is FusedLookup || root is FusedIf else { return nil }
        do { return .column(try fusedRun(root, rows, e.span).column()) } catch { return try fallback(error, e) }
    }

    /// `sum(expr)`, `avg(expr)`, `count(expr)` and `count(where(t, cond))` over a fused
    /// expression; nil for anything else (a plain column is summed by `sum` itself).
    private func fusedAggregate(_ fn: Builtin, _ args: [Argument], _ e: Expr) throws(TallyError) -> Value? {
        guard ["sum", "avg", "count"].contains(fn.name), args.count == 1, args[0].label == nil else { return nil }
        let arg = args[0].value
        if fn.name == "count", case .call(let w, _, let wargs, let wspan) = arg, w == "where",
           let whereFn = registry.lookup("where"), let bound = try? Binder.bind(whereFn, wargs, span: wspan),
           let tArg = bound.given["t"], case .name(let tName, let tSpan) = tArg.value,
           let condition = bound.given["condition"] {
            guard case .table(let t) = try resolve(tName, tSpan) else { return nil }
            var inner = self
            inner.columns = t
            var compiler = FusedCompiler(inner)
            guard let root = compiler.compileRoot(condition.value, minimumRows: Self.fusedMinimumRows),
                  root.kind == .bool, compiler.rows == t.rowCount else { return nil }
            do {
                return .num(Double(try fusedRun(root, t.rowCount, e.span).count(trueOnly: true)))
            } catch {
                return try fallback(error, e)
            }
        }
        var compiler = FusedCompiler(self)
        guard let root = compiler.compileRoot(arg, minimumRows: Self.fusedMinimumRows), let rows = compiler.rows,
              fn.name == "count" || root.kind == .number else { return nil }
        let run = fusedRun(root, rows, e.span)
        let result: (sum: Double, count: Int)
        do {
            if fn.name == "count" { return .num(Double(try run.count(trueOnly: false))) }
            result = try run.sum()
        } catch {
            return try fallback(error, e)
        }
        if fn.name == "sum" { return .number(result.sum, result.count > 0 ? run.format() : .plain) }
        // avg of nothing: the general path gives its error.
        guard result.count > 0 else { return try fallback(.bail, e) }
        return .number(result.sum / Double(result.count), run.format())
    }

    private func fusedRun(_ root: FusedNode, _ rows: Int, _ span: SourceSpan) -> FusedRun {
        FusedRun(root: root, rows: rows, interrupted: isInterrupted, stop: TallyError(.interrupted, span: span))
    }

    /// After a fused run gave up: the general evaluation of `e` (fusion off inside it, so
    /// no part of it tries again); Ctrl-C stops the statement.
    private func fallback(_ error: FusedError, _ e: Expr) throws(TallyError) -> Value {
        if case .interrupted(let stop) = error { throw stop }
        var general = self
        general.fusion = false
        return try general.eval(e)
    }
}
