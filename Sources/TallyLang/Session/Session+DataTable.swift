import TallyCore

extension Session {
    /// The most cells a data table may have.
    public static let dataTableLimit = 10_000

    /// The values one axis takes.
    func axisValues(_ axis: Axis) throws(TallyError) -> [Value] {
        func number(_ e: Expr, _ what: String) throws(TallyError) -> (Double, NumberFormat) {
            let v = try evaluator(for: nil).evaluate(e)
            guard case .number(let x, let f) = v else {
                throw TallyError(.syntax("the \(what) of the range must be a number, not a \(v.typeName)"), span: e.span)
            }
            return (x, f)
        }
        switch axis.values {
        case .list(let e):
            let v = try evaluator(for: nil).evaluate(e)
            guard case .list(let xs) = v, !xs.isEmpty else {
                throw TallyError(.syntax("the list of values for `\(axis.input.name)` is empty"), span: e.span)
            }
            for x in xs where Session.scalar(x) == nil {
                throw TallyError(.syntax("the values for `\(axis.input.name)` must be numbers, found a \(x.typeName)"), span: e.span)
            }
            guard xs.count <= Session.dataTableLimit else {
                throw TallyError(.command("\(xs.count) values is more than a data table takes (\(Session.dataTableLimit))"), span: e.span)
            }
            return xs
        case .range(let fromExpr, let toExpr, let stepExpr):
            let (from, f) = try number(fromExpr, "start")
            let (to, _) = try number(toExpr, "end")
            guard from <= to else {
                throw TallyError(.syntax("the range is reversed: \(Operators.plainNumber(from)) is above \(Operators.plainNumber(to))"),
                                 span: fromExpr.span.merged(with: toExpr.span), hint: "write the smaller value first")
            }
            let step: Double
            if let stepExpr {
                step = try number(stepExpr, "step").0
                guard step > 0 else {
                    throw TallyError(.syntax("the step must be above 0"), span: stepExpr.span, hint: "e.g. step 1000")
                }
            } else {
                step = from == to ? 1 : (to - from) / 4
            }
            let count = ((to - from) / step * (1 + 1e-12)).rounded(.down) + 1
            guard count.isFinite, count <= Double(Session.dataTableLimit) else {
                throw TallyError(.command("the range has \(count.isFinite ? Operators.plainNumber(count) : "too many") values; a data table takes at most \(Session.dataTableLimit) cells"),
                                 span: (stepExpr ?? toExpr).span, hint: "use a larger step")
            }
            return (0..<Int(count)).map { i in .number(from + Double(i) * step, f) }
        }
    }

    /// `datatable f by x in ..., y in ...`: the formulas at every value of one input, or a
    /// grid over two. Returns a table; nothing changes.
    func datatable(_ targets: [NameRef], axes: [Axis]) throws(TallyError) -> [Event] {
        for t in targets where workspace[t.name] == nil { throw unknown(t) }
        guard axes.count <= 2 else {
            throw TallyError(.syntax("a data table varies one or two inputs"), span: axes[2].span)
        }
        if axes.count == 2, axes[0].input.name == axes[1].input.name {
            throw TallyError(.syntax("`\(axes[0].input.name)` is given twice"), span: axes[1].input.span)
        }
        for a in axes {
            _ = try numericInput(a.input, for: "a data table")
            for t in targets where !DependencyGraph.ancestors(of: t.name, in: workspace).contains(a.input.name) {
                throw TallyError(.command("`\(t.name)` does not depend on `\(a.input.name)`"), span: a.input.span)
            }
        }
        let values = try axes.map { (a: Axis) throws(TallyError) -> [Value] in try axisValues(a) }
        let cells = values.reduce(targets.count) { $0 * $1.count }
        guard cells <= Session.dataTableLimit else {
            throw TallyError(.command("the data table would have \(cells) cells; at most \(Session.dataTableLimit)"),
                             span: axes[0].span.merged(with: axes[axes.count - 1].span), hint: "use fewer values or a larger step")
        }
        let names = targets.map(\.name)
        let order = trialOrder(overriding: Set(axes.map(\.input.name)), targets: Set(names))
        func results(_ overrides: [String: Value]) throws(TallyError) -> [Value] {
            let r = try runTrial(order, overrides: overrides)
            return names.map { r[$0].map { Session.headline($0)?.value ?? $0 } ?? .empty }
        }
        var t: Table?
        if axes.count == 1 {
            var cols = Array(repeating: [Value](), count: names.count)
            for x in values[0] {
                for (k, v) in try results([axes[0].input.name: x]).enumerated() { cols[k].append(v) }
            }
            t = Table(names: [axes[0].input.name] + names, columns: [Column(values: values[0])] + cols.map { Column(values: $0) })
        } else if names.count == 1 {
            var cols = Array(repeating: [Value](), count: values[1].count)
            for x in values[0] {
                for (k, y) in values[1].enumerated() {
                    cols[k].append(try results([axes[0].input.name: x, axes[1].input.name: y])[0])
                }
            }
            let headers = values[1].map { "\(axes[1].input.name) = " + Session.label($0) }
            t = Table(names: [axes[0].input.name] + headers, columns: [Column(values: values[0])] + cols.map { Column(values: $0) })
        } else {
            var xs: [Value] = [], ys: [Value] = []
            var cols = Array(repeating: [Value](), count: names.count)
            for x in values[0] {
                for y in values[1] {
                    xs.append(x)
                    ys.append(y)
                    for (k, v) in try results([axes[0].input.name: x, axes[1].input.name: y]).enumerated() { cols[k].append(v) }
                }
            }
            t = Table(names: [axes[0].input.name, axes[1].input.name] + names,
                      columns: [Column(values: xs), Column(values: ys)] + cols.map { Column(values: $0) })
        }
        guard var table = t else {
            throw TallyError(.command("the data table's columns would share a name"), span: targets[0].span)
        }
        table.display.notes = [Note(.dataTableNothingChanged, [axes.count == 2 && names.count == 1 ? .phrase(.dataTableHeat) : .text("")])]
        table.display.metadata["title"] = .text(names.joined(separator: ", ") + " by " + axes.map(\.input.name).joined(separator: " and "))
        lastValue = .table(table)
        return [.value(.table(table))]
    }

    /// A short label for a value in a column header (`3%`, `12000`).
    static func label(_ v: Value) -> String {
        if case .number(let x, .percent) = v { return Operators.plainNumber(x * 100) + "%" }
        return Operators.display(v)
    }
}
