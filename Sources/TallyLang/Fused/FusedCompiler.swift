import TallyCore

/// Turns an element-wise expression over columns into a tree of `FusedNode`s, or gives
/// nil when some part of it has no fused form (a text result, a function without a
/// column kernel over several columns, a column with error cells...): the general
/// evaluation then runs it. Sub-expressions without columns are evaluated once; a
/// sub-expression over one text, date or boolean column of few distinct values becomes a
/// lookup computed once per distinct value.
struct FusedCompiler {
    let evaluator: Evaluator
    /// Evaluates the parts without columns (`sum(t.amount)` in `t.amount / sum(t.amount)`).
    private let whole: Evaluator
    /// The most expression nodes a fused tree takes; larger ones run the general way.
    private var budget = 4096
    /// The common length of the columns read.
    private(set) var rows: Int?
    /// Operations (not leaves) in the tree.
    private(set) var operations = 0

    init(_ evaluator: Evaluator) {
        var ev = evaluator
        ev.fusion = false
        self.evaluator = ev
        whole = evaluator
    }

    /// The fused form of `e` when it is an element-wise expression reading columns of at
    /// least `minimumRows` rows; nil otherwise.
    mutating func compileRoot(_ e: Expr, minimumRows: Int) -> FusedNode? {
        switch e {
        case .unary, .binary, .chain, .format: break
        case .call(let name, _, _, _):
            guard let fn = evaluator.registry.lookup(name), fn.isElementwise, fn.special == nil else { return nil }
        default: return nil
        }
        var leaves: [String: (Expr, Column)] = [:]
        var opaque = false
        guard collectLeaves(e, &leaves, &opaque), !leaves.isEmpty || opaque,
              leaves.values.allSatisfy({ $0.1.count >= minimumRows }) else { return nil }
        budget = 4096
        guard case .node(let n)? = compile(e, isRoot: true), let rows, rows >= minimumRows else { return nil }
        return n
    }

    private mutating func compile(_ e: Expr, isRoot: Bool = false) -> FusedInput? {
        var leaves: [String: (Expr, Column)] = [:]
        var opaque = false
        guard collectLeaves(e, &leaves, &opaque) else { return nil }
        if leaves.isEmpty, !isRoot {
            // Evaluated whole: a part without columns, or a call that is not element-wise.
            if !opaque { return constant(e) }
            if case .call(let name, _, _, _) = e, let fn = evaluator.registry.lookup(name), !fn.isElementwise || fn.special != nil {
                return constant(e)
            }
        }
        for (_, (_, c)) in leaves {
            if let r = rows, r != c.count { return nil }
            rows = c.count
        }
        if leaves.count == 1, !opaque, let (key, (leaf, column)) = leaves.first, leaf != e, let node = lookup(e, key: key, column) {
            operations += 1
            return .node(node)
        }
        switch e {
        case .name, .member:
            guard let (_, c) = leaves.first?.value else { return nil }
            return FusedLeaf(c).map(FusedInput.node)
        case .unary(let op, let x, _):
            guard case .node(let xn)? = compile(x) else { return nil }
            operations += 1
            switch op {
            case .negate: return xn.kind == .number ? .node(FusedUnary(xn, { -$0 }, format: nil, negates: true)) : nil
            case .not: return FusedLogic(.not, .node(xn)).map(FusedInput.node)
            }
        case .binary(let op, let a, let b, _):
            guard let x = compile(a), let y = compile(b) else { return nil }
            return binary(op, x, y)
        case .chain(let first, let links, _):
            guard var acc = compile(first) else { return nil }
            for link in links {
                guard let y = compile(link.operand), let next = binary(link.op, acc, y) else { return nil }
                acc = next
            }
            return acc
        case .format(let x, let f, _):
            guard case .node(let xn)? = compile(x), xn.kind == .number else { return nil }
            xn.formatOverride = f
            return .node(xn)
        case .call(let name, _, let args, let span):
            return call(name, args, span)
        default:
            return nil
        }
    }

    private mutating func binary(_ op: BinaryOp, _ x: FusedInput, _ y: FusedInput) -> FusedInput? {
        operations += 1
        switch op {
        case .add, .subtract, .multiply, .divide, .power:
            guard x.kind == .number, y.kind == .number, let node = FusedArithmetic(op, x, y) else { return nil }
            deferFiniteCheck(op, x, y)
            return .node(node)
        case .and: return FusedLogic(.and, x, y).map(FusedInput.node)
        case .or: return FusedLogic(.or, x, y).map(FusedInput.node)
        case .concat: return nil
        default: return FusedComparison(op, x, y).map(FusedInput.node)
        }
    }

    /// The node under `x op constant` (or `constant + x`, `- x`, `* x`) leaves the check
    /// that its rows are finite to the outer node: the outer value is not finite wherever
    /// the inner one is not (inf + 2, inf * 1.1, NaN / 4), so the outer check gives up on
    /// the same rows, and `t.amount * 1.1 + 2` is checked once, not twice.
    private func deferFiniteCheck(_ op: BinaryOp, _ x: FusedInput, _ y: FusedInput) {
        switch (x, y) {
        case (.node(let inner), .number(let c, _)) where op != .power && (op != .divide || c != 0):
            inner.checksFinite = false
        case (.number, .node(let inner)) where op == .add || op == .subtract || op == .multiply:
            inner.checksFinite = false
        default: break
        }
    }

    /// An element-wise built-in with a fused form: `if`, or a one- or two-number kernel.
    private mutating func call(_ name: String, _ args: [Argument], _ span: SourceSpan) -> FusedInput? {
        guard let fn = evaluator.registry.lookup(name), fn.isElementwise, fn.special == nil,
              let bound = try? Binder.bind(fn, args, span: span), bound.rest.isEmpty,
              let first = fn.parameters.first?.name else { return nil }
        operations += 1
        if fn.name == "if" {
            guard let c = bound.given["cond"].flatMap({ compile($0.value) }), case .node(let cond) = c,
                  let then = bound.given["then"].flatMap({ compile($0.value) }) else { return nil }
            let other = bound.given["else"].map { compile($0.value) } ?? .some(.empty)
            return other.flatMap { FusedIf(cond, then, $0) }.map(FusedInput.node)
        }
        switch fn.columnKernel {
        case .unary(let make)?:
            guard let x = bound.given[first].flatMap({ compile($0.value) }), case .node(let xn) = x, xn.kind == .number else { return nil }
            var named: [String: Value] = [:]
            for p in fn.parameters.dropFirst() {
                if let a = bound.given[p.name] {
                    guard let v = try? evaluator.eval(a.value), !v.isCollection, !v.isEmpty, !v.isError else { return nil }
                    named[p.name] = v
                } else if let d = p.defaultValue {
                    named[p.name] = d
                }
            }
            let arguments = Arguments(function: fn.name, named: named)
            guard let (f, _) = make(arguments, .plain) else { return nil }
            let node = FusedUnary(xn, f, format: nil)
            node.deriveFormat = { make(arguments, $0)?.1 ?? .plain }
            return .node(node)
        case .binary(let f, let format)?:
            guard fn.parameters.count == 2, let second = fn.parameters.last?.name,
                  let x = bound.given[first].flatMap({ compile($0.value) }), x.kind == .number,
                  let y = bound.given[second].flatMap({ compile($0.value) }), y.kind == .number else { return nil }
            return .node(FusedArithmetic(x, y, f, format: format))
        default:
            return nil
        }
    }

    /// A sub-expression without column leaves, evaluated once: a single value, or a
    /// column a table function or aggregate gives (`running_sum(amount)`), read as a leaf.
    private mutating func constant(_ e: Expr) -> FusedInput? {
        guard let v = try? whole.eval(e) else { return nil }
        switch v {
        case .column(let c):
            if let r = rows, r != c.count { return nil }
            rows = c.count
            return FusedLeaf(c).map(FusedInput.node)
        case .number(let x, let f): return x.isFinite ? .number(x, f) : nil
        case .bool(let b): return .bool(b)
        case .date(let d): return .date(d.days)
        case .empty: return .empty
        default: return nil
        }
    }

    /// `e` over one text, date or boolean column, computed once per distinct value (and
    /// once for an empty cell); nil for a number column or too many distinct values.
    private func lookup(_ e: Expr, key: String, _ c: Column) -> FusedNode? {
        guard c.errors.isEmpty else { return nil }
        var cells: [Value] = []
        var low: Int32 = 0
        switch c.typedStorage {
        case .text(_, let dictionary):
            guard dictionary.count <= max(64, c.count / 4) else { return nil }
            cells = dictionary.map(Value.text)
        case .date:
            guard let range = c.dayRange() else { return nil }
            let width = Int(range.upperBound) - Int(range.lowerBound) + 1
            guard width <= max(64, c.count / 4) else { return nil }
            low = range.lowerBound
            cells = (0..<width).map { .date(TallyDate(days: range.lowerBound + Int32($0))) }
        case .bool: cells = [.bool(false), .bool(true)]
        case .number, .mixed: return nil
        }
        if let answers = conditionAnswers(e, key: key, cells + [.empty]) {
            return FusedLookup(keys: c, lowDay: low, answers: answers)
        }
        var answers: [Value] = []
        answers.reserveCapacity(cells.count + 1)
        for cell in cells + [.empty] {
            if case .empty = cell, c.typedValidity == nil { answers.append(.empty); continue }
            var one = evaluator
            one.bound = (key, cell)
            guard let v = try? one.eval(e) else { return nil }
            switch v {
            case .number, .bool, .empty: answers.append(v)
            default: return nil
            }
        }
        return FusedLookup(keys: c, lowDay: low, answers: answers)
    }

    /// A condition's answers for all the cells at once: `e` over a column of them, the
    /// general column path (held equal to the per-cell one by the differential tests).
    /// One evaluation instead of one per cell: 730 days of `month(order_date) == 3` cost
    /// 2 ms one by one. Booleans only: a number's format is one per column, while each
    /// cell's answer may carry its own (the per-cell path then declines the lookup).
    private func conditionAnswers(_ e: Expr, key: String, _ cells: [Value]) -> [Value]? {
        var all = evaluator
        all.bound = (key, .column(Column(values: cells)))
        guard case .column(let r)? = try? all.eval(e), r.count == cells.count, r.errors.isEmpty,
              case .bool = r.typedStorage else { return nil }
        return (0..<r.count).map { r[$0] }
    }

    /// The column leaves of an element-wise expression (names and `table.column`), keyed
    /// as `bound` names them; false when some node cannot be fused or the budget is spent.
    /// A call that is not element-wise (`sum(t.amount)`) is `opaque`: evaluated whole.
    private mutating func collectLeaves(_ e: Expr, _ leaves: inout [String: (Expr, Column)], _ opaque: inout Bool) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch e {
        case .number, .text, .bool: return true
        case .name(let n, let span):
            guard let v = try? evaluator.resolve(n, span) else { return false }
            switch v {
            case .column(let c): leaves[n] = (e, c)
            case .list, .table, .record: return false
            default: break
            }
            return true
        case .member(.name(let t, let span), let field, _):
            // A remote table is not fetched to find out: its operations go to its server.
            if evaluator.remoteTable(named: t) != nil { return false }
            guard case .table(let table)? = try? evaluator.resolve(t, span), let c = table.column(named: field) else { return false }
            leaves[t + "." + field] = (e, c)
            return true
        case .unary(_, let x, _), .format(let x, _, _):
            return collectLeaves(x, &leaves, &opaque)
        case .binary(_, let a, let b, _):
            return collectLeaves(a, &leaves, &opaque) && collectLeaves(b, &leaves, &opaque)
        case .chain(let a, let links, _):
            guard collectLeaves(a, &leaves, &opaque) else { return false }
            for link in links where !collectLeaves(link.operand, &leaves, &opaque) { return false }
            return true
        case .call(let name, _, let args, _):
            guard let fn = evaluator.registry.lookup(name) else { return false }
            guard fn.isElementwise, fn.special == nil,
                  !fn.parameters.contains(where: { if case .column = $0.kind { return true } else { return false } }) else {
                opaque = true
                return true
            }
            for a in args where !collectLeaves(a.value, &leaves, &opaque) { return false }
            return true
        case .member, .list, .record: return false
        }
    }
}
