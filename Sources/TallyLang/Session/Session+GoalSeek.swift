import TallyAnalytics
import TallyCore

extension Session {
    /// A number from a formula's value: a number, or a list or column of one number.
    static func scalar(_ v: Value) -> Double? {
        switch v {
        case .number(let x, _): return x
        case .list(let xs) where xs.count == 1: return scalar(xs[0])
        case .column(let c) where c.count == 1: return scalar(c[0])
        default: return nil
        }
    }

    /// The input cell `name` as a number, refusing formulas and non-numbers with a reason.
    func numericInput(_ name: NameRef, for command: String) throws(TallyError) -> (Cell, Double, NumberFormat) {
        guard let cell = workspace[name.name] else { throw unknown(name) }
        guard cell.isInput else {
            let deps = cell.dependencies.sorted().prefix(3).map { "`\($0)`" }.joined(separator: ", ")
            throw TallyError(.command("`\(name.name)` is a formula, not an input: \(command) changes inputs"), span: name.span,
                             hint: deps.isEmpty ? "define it as a number first" : "it is computed from \(deps); change one of those inputs")
        }
        guard case .number(let x, let f) = cell.value else {
            throw TallyError(.command("`\(name.name)` is a \(cell.value.typeName), not a number"), span: name.span)
        }
        return (cell, x, f)
    }

    /// `goalseek f = value by input, range: [lo, hi]`.
    func goalseek(_ target: NameRef, value: Expr, by input: NameRef, options: [CommandOption], text: String) throws(TallyError) -> [Event] {
        guard let targetCell = workspace[target.name] else { throw unknown(target) }
        let (_, x0, format) = try numericInput(input, for: "goal seek")
        guard Session.scalar(targetCell.value) != nil || targetCell.value.isError else {
            throw TallyError(.command("`\(target.name)` is a \(targetCell.value.typeName), not a number"), span: target.span,
                             hint: "goal seek a formula that gives one number, e.g. total = sum(\(target.name).target)")
        }
        guard DependencyGraph.ancestors(of: target.name, in: workspace).contains(input.name) else {
            throw TallyError(.command("`\(target.name)` does not depend on `\(input.name)`"), span: input.span,
                             hint: "goal seek by an input that `\(target.name)` is computed from")
        }
        let goalValue = try evaluator(for: nil).evaluate(value)
        guard let goal = Session.scalar(goalValue) else {
            throw TallyError(.command("the goal must be a number, not a \(goalValue.typeName)"), span: value.span)
        }
        var range: ClosedRange<Double>?
        for o in options {
            guard o.label.name == "range" else {
                throw TallyError(.syntax("`goalseek` has no option `\(o.label.name)`"), span: o.label.span, hint: "range: [low, high]")
            }
            let v = try evaluator(for: nil).evaluate(o.value)
            guard case .list(let xs) = v, xs.count == 2, let lo = Session.scalar(xs[0]), let hi = Session.scalar(xs[1]) else {
                throw TallyError(.syntax("`range` is a list of two numbers: [low, high]"), span: o.value.span)
            }
            guard lo < hi else {
                throw TallyError(.command("the range is empty or reversed: \(Operators.shortNumber(lo)) is not below \(Operators.shortNumber(hi))"),
                                 span: o.value.span, hint: "range: [low, high] with low < high")
            }
            range = lo...hi
        }
        let order = trialOrder(overriding: [input.name], targets: [target.name])
        var interrupted = false
        // Some formulas take only whole units of their input (a split of a total into
        // units of 10,000): where the input itself gives no number, the nearest whole
        // number, ten, hundred, ... that does stands in for it.
        var used: [Double: Double] = [:]
        func residual(_ x: Double) -> Double? {
            for grain in [0, 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000] as [Double] {
                let y = grain == 0 ? x : (x / grain).rounded() * grain
                if grain > 0, y == x { continue }
                do {
                    let values = try runTrial(order, overrides: [input.name: .number(y, format)])
                    if let r = values[target.name].flatMap(Session.scalar) {
                        used[x] = y
                        return r - goal
                    }
                } catch {
                    interrupted = true
                    return nil
                }
            }
            return nil
        }
        let outcome = RootFinder.solve(start: x0, range: range, stop: { interrupted || isInterrupted() }) { x in
            interrupted ? nil : residual(x)
        }
        if interrupted || isInterrupted() { throw TallyError(.interrupted, span: statementSpan) }
        switch outcome {
        case .failure(let f):
            var hint = "try another starting value or a `range:`"
            if let x = f.closest, let r = f.closestResidual {
                hint = "closest: \(target.name) = \(Operators.shortNumber(r + goal)) at \(input.name) = \(Operators.shortNumber(x)); " + hint
            }
            throw TallyError(.command("no solution found: \(target.name) does not reach \(Operators.shortNumber(goal)) for \(input.name) from \(Operators.shortNumber(f.low)) to \(Operators.shortNumber(f.high)) (\(f.evaluations) evaluations); nothing changed"),
                             span: target.span, hint: hint)
        case .success(let found):
            var s = found
            s.x = used[s.x] ?? s.x
            let old = workspace[input.name]?.value ?? .empty
            begin()
            let changes = try setInput(input.name, to: .number(s.x, format))
            let notes = commit(text.trimmed)
            let report = GoalSeekReport(target: target.name, goal: .number(goal, Session.format(of: targetCell.value)), input: input.name,
                                        from: old, to: .number(s.x, format), reached: workspace[target.name]?.value ?? .empty,
                                        evaluations: s.evaluations, residual: s.residual, atStep: s.atStep)
            return [.goalSeek(report)] + (changes.isEmpty ? [] : [.changed(changes)]) + notes
        }
    }

    /// `x` without the last-bit noise of a product (396.00000000000006 -> 396).
    static func clean(_ x: Double) -> Double {
        Double(Operators.shortNumber(x).replacing(",", with: "")) ?? x
    }

    static func format(of v: Value) -> NumberFormat {
        if case .number(_, let f) = v { return f }
        return .plain
    }

    /// `sensitivity f, by: 20%, visitors: [10000, 16000]`: each input of `f` moved down and
    /// up alone, ranked by how far `f` swings. Nothing changes.
    func sensitivity(_ target: NameRef, options: [CommandOption]) throws(TallyError) -> [Event] {
        guard let targetCell = workspace[target.name] else { throw unknown(target) }
        guard let base = Session.scalar(targetCell.value) else {
            throw TallyError(.command("`\(target.name)` is a \(targetCell.value.typeName), not a number"), span: target.span)
        }
        let inputs = workspace.sorted(DependencyGraph.ancestors(of: target.name, in: workspace).filter { n in
            guard let c = workspace[n], c.isInput, case .number = c.value else { return false }
            return true
        })
        guard !inputs.isEmpty else {
            throw TallyError(.command("`\(target.name)` depends on no number input"), span: target.span, hint: "sensitivity moves the inputs a formula is computed from")
        }
        var by = 0.1
        var ranges: [String: (Double, Double)] = [:]
        for o in options {
            let v = try evaluator(for: nil).evaluate(o.value)
            if o.label.name == "by" {
                guard let x = Session.scalar(v), x > 0, x < 100 else {
                    throw TallyError(.syntax("`by` is a share above 0, such as 10% or 20%"), span: o.value.span)
                }
                by = x
                continue
            }
            guard inputs.contains(o.label.name) else {
                let hint = Suggestions.closest(to: o.label.name, among: inputs + ["by"]).map { "did you mean `\($0)`?" }
                    ?? "the inputs of \(target.name): " + inputs.joined(separator: ", ")
                throw TallyError(.syntax("`\(o.label.name)` is not an input of `\(target.name)`"), span: o.label.span, hint: hint)
            }
            guard case .list(let xs) = v, xs.count == 2, let lo = Session.scalar(xs[0]), let hi = Session.scalar(xs[1]), lo <= hi else {
                throw TallyError(.syntax("a range is a list of two numbers, low first: \(o.label.name): [low, high]"), span: o.value.span)
            }
            ranges[o.label.name] = (lo, hi)
        }
        var rows: [(String, Double, Double, Value, Value, Double, NumberFormat)] = []
        let needed = neededFor([target.name])
        let plan = DependencyGraph.topologicalOrder(needed, in: workspace)
        for n in inputs {
            guard let cell = workspace[n], case .number(let x, let f) = cell.value else { continue }
            let (lo, hi) = ranges[n] ?? (Session.clean(x * (1 - by)), Session.clean(x * (1 + by)))
            let order = trialOrder(overriding: [n], targets: [target.name], plan: plan)
            let low = try runTrial(order, overrides: [n: .number(lo, f)])[target.name] ?? .empty
            let high = try runTrial(order, overrides: [n: .number(hi, f)])[target.name] ?? .empty
            let swing = (Session.scalar(low)).flatMap { a in Session.scalar(high).map { abs($0 - a) } } ?? .nan
            rows.append((n, min(lo, hi), max(lo, hi), low, high, swing, f))
        }
        rows.sort { ($0.5.isNaN ? -1 : $0.5) > ($1.5.isNaN ? -1 : $1.5) }
        let fmt = Session.format(of: targetCell.value)
        guard var t = Table(names: ["input", "low", "high", "\(target.name) at low", "\(target.name) at high", "swing"], columns: [
            Column(values: rows.map { .text($0.0) }),
            Session.cells(rows.map { .number($0.1, $0.6) }),
            Session.cells(rows.map { .number($0.2, $0.6) }),
            Column(values: rows.map { $0.3 }),
            Column(values: rows.map { $0.4 }),
            Column(values: rows.map { $0.5.isNaN ? .error(ErrorValue(.value, "no number at one end")) : .number($0.5, fmt) }),
        ]) else { return [] }
        t.display.notes = [Note(ranges.isEmpty ? .sensitivityLead : .sensitivityLeadRanges, [.text(target.name), .number(base, fmt), .number(by * 100, .plain)])]
        t.display.metadata = ["sensitivity.target": .text(target.name), "sensitivity.base": .number(base, fmt)]
        lastValue = .table(t)
        return [.value(.table(t))]
    }
}
