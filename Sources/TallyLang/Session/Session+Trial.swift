import TallyCore

/// Trial evaluation: values of formulas with some cells replaced, computed beside the
/// workspace (an overlay the evaluator reads first) so the workspace never changes.
/// `what if`, scenarios, goal seek, data tables and sensitivity are all built on it.
extension Session {
    /// The cells to recompute, in order, when `overridden` change: their dependents,
    /// narrowed to what `targets` need when targets are given (`needed`, when the caller
    /// asks many times for the same targets).
    func trialOrder(overriding overridden: Set<String>, targets: Set<String>?, needed known: Set<String>? = nil,
                    plan: [String]? = nil) -> [String] {
        var closure = DependencyGraph.dependents(of: overridden, in: workspace)
        closure.subtract(overridden)
        // A plan (everything the targets need, in order) filtered keeps its order.
        if let plan { return plan.filter { closure.contains($0) } }
        if let targets {
            let needed = known ?? neededFor(targets)
            closure.formIntersection(needed)
        }
        return DependencyGraph.topologicalOrder(closure, in: workspace)
    }

    /// The targets and everything they depend on.
    func neededFor(_ targets: Set<String>) -> Set<String> {
        var needed = targets
        for t in targets { needed.formUnion(DependencyGraph.ancestors(of: t, in: workspace)) }
        return needed
    }

    /// Computes `order` with `overrides` in place; returns the value of every name in it
    /// (the overrides included). As in recalculation, only the nodes a changed value
    /// reaches are computed, and a failing formula holds its error value.
    func runTrial(_ order: [String], overrides: [String: Value]) throws(TallyError) -> [String: Value] {
        var values = overrides
        values.reserveCapacity(overrides.count + order.count)
        var changed = Set(overrides.keys)
        for name in order {
            guard let cell = workspace[name] else { continue }
            let value: Value
            do {
                value = try recompute(cell, after: changed, overlay: values)?.value ?? cell.value
            } catch let e where e.kind == .interrupted {
                throw e
            } catch {
                value = .error(ErrorValue(.reference, error.message, span: error.span ?? cell.span))
            }
            values[name] = value
            if value != cell.value { changed.insert(name) }
        }
        return values
    }

    /// The value of each override's expression, evaluated against the workspace as it is
    /// (so `visitors = visitors * 1.1` means 10% more than now). Unknown names are refused.
    func overrideValues(_ overrides: [Override]) throws(TallyError) -> [String: Value] {
        var out: [String: Value] = [:]
        for o in overrides {
            guard workspace[o.name.name] != nil else { throw unknown(o.name) }
            let v = try evaluator(for: nil).evaluate(o.expr)
            if case .error(let e) = v {
                throw TallyError(.evaluation(e), span: o.expr.span, hint: "the value of `\(o.name.name)` must not be an error")
            }
            out[o.name.name] = v
        }
        return out
    }

    /// Names of overrides that replace a formula rather than an input.
    func overriddenFormulas(_ overrides: [Override]) -> [String] {
        overrides.compactMap { o in
            guard let c = workspace[o.name.name], !c.isInput else { return nil }
            return o.name.name
        }
    }

    /// For a table: the first total (or else the sum of the last number column) as one
    /// number and what it is, so a comparison of tables shows how their totals move.
    static func headline(_ v: Value, preferring moved: [Value] = []) -> (label: String, value: Value)? {
        guard case .table(let t) = v else { return nil }
        // The first total that another version of the table has at a different value.
        for n in t.names {
            guard let total = t.display.totals[n], case .number = total else { continue }
            let differs = moved.contains { other in
                guard case .table(let u) = other else { return false }
                return u.display.totals[n].map { $0 != total } ?? false
            }
            if differs { return ("total \(n)", total) }
        }
        for n in t.names {
            if let total = t.display.totals[n], case .number = total { return ("total \(n)", total) }
        }
        for (n, c) in zip(t.names, t.columns).reversed() {
            if case .number(let xs) = c.storage {
                var s = CompensatedSum()
                for (i, x) in xs.doubles.enumerated() where c.validity?[i] ?? true { s.add(x) }
                return ("sum of \(n)", .number(s.value, c.format))
            }
        }
        return ("rows", .number(Double(t.rowCount), .plain))
    }

    /// Base value against trial value: change and % change where both are numbers.
    static func difference(_ base: Value, _ trial: Value) -> (change: Value, percent: Value) {
        guard case .number(let a, let f) = base, case .number(let b, _) = trial else {
            return (base == trial ? .text("same") : .empty, .empty)
        }
        let d = b - a
        guard d.isFinite else { return (.error(ErrorValue(.number, "the change is too large to represent")), .empty) }
        let pct: Value = a == 0 ? (d == 0 ? .number(0, .percent) : .error(ErrorValue(.divisionByZero, "the base is 0")))
            : .number(d / abs(a), .percent)
        return (.number(d, f == .percent ? .percent : f), pct)
    }
}
