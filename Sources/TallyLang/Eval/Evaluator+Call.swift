import TallyCore

extension Evaluator {
    /// Binds the arguments to the parameters, evaluates them, and runs the built-in,
    /// element by element when it is elementwise and an argument is a list or column.
    func call(_ name: String, nameSpan: SourceSpan, _ args: [Argument], span: SourceSpan) throws(TallyError) -> Value {
        if demand != nil {
            // The demand is this call's; its arguments are read whole.
            var inner = self
            inner.demand = nil
            return try inner.call(name, nameSpan: nameSpan, args, span: span, demand: demand)
        }
        return try call(name, nameSpan: nameSpan, args, span: span, demand: nil)
    }

    private func call(_ name: String, nameSpan: SourceSpan, _ args: [Argument], span: SourceSpan,
                      demand: Set<String>?) throws(TallyError) -> Value {
        if let f = workspaceFunction {
            do {
                if let v = try f(name, args, span) { return v }
            } catch let e as TallyError {
                throw e
            } catch {
                return .error(ErrorValue(.value, "\(name): \(error)", span: span))
            }
        }
        guard let fn = registry.lookup(name) else {
            let hint = Suggestions.closest(to: name, among: registry.names).map { "did you mean `\($0)`?" }
            throw TallyError(.unknownFunction(name), span: nameSpan, hint: hint)
        }
        if let g = group, fn.category == .aggregate {
            return try g.aggregate(fn, args, span: span, evaluator: self)
        }
        let bound = try Binder.bind(fn, args, span: span)
        if let special = fn.special {
            var ctx = CallContext(fn, bound: bound, span: span, evaluator: self)
            ctx.demand = demand
            do {
                let v = try special(ctx)
                if case .error(var e) = v, e.span == nil { e.span = span; return .error(e) }
                return v
            } catch let e as TallyError {
                throw e
            } catch var e as ErrorValue {
                if e.span == nil { e.span = span }
                return .error(e)
            } catch {
                return .error(ErrorValue(.value, "\(fn.name): \(error)", span: span))
            }
        }
        var named: [String: Value] = [:]
        var rest: [Value] = []
        for p in fn.parameters {
            if p.isVariadic {
                for a in bound.rest {
                    guard fn.readsRowCountOfTables, case .call = a.value else { rest.append(try eval(a.value)); continue }
                    var counting = self
                    counting.demand = []
                    rest.append(try counting.eval(a.value))
                }
            } else if let e = bound.given[p.name]?.value {
                if case .column = p.kind, case .name(let n, _) = e, columns?.column(named: n) == nil, lookup(n) == nil {
                    named[p.name] = .text(n)
                } else {
                    named[p.name] = try eval(e)
                }
            } else if let d = p.defaultValue {
                named[p.name] = d
            }
        }
        return try invoke(fn, Arguments(function: fn.name, named: named, rest: rest), span: span)
    }

    private func invoke(_ fn: Builtin, _ args: Arguments, span: SourceSpan) throws(TallyError) -> Value {
        if fn.propagatesErrors {
            for p in fn.parameters where !p.isVariadic {
                if case .error? = args.named[p.name], let v = args.named[p.name] { return v }
            }
            if let e = args.rest.first(where: { $0.isError }) { return e }
        }
        if fn.isElementwise, let n = broadcastLength(args) {
            guard n >= 0 else {
                return .error(ErrorValue(.value, "\(fn.name): the lists have different lengths", span: span))
            }
            if !args.named.values.contains(where: { if case .list = $0 { return true } else { return false } }) {
                return try columns(fn, args, count: n, span: span)
            }
            // Lists are small and typed by hand: element by element.
            var out: [Value] = []
            out.reserveCapacity(n)
            var isColumn = false
            var collections: [(String, Column?, [Value]?)] = []
            for (k, v) in args.named {
                switch v {
                case .column(let c): isColumn = true; collections.append((k, c, nil))
                case .list(let xs): collections.append((k, nil, xs))
                default: break
                }
            }
            var a = args
            for i in 0..<n {
                if i & 0x3FF == 0x3FF, isInterrupted() { throw TallyError(.interrupted, span: span) }
                for (k, c, xs) in collections { a.named[k] = c.map { $0[i] } ?? xs?[i] ?? .empty }
                out.append(try invoke(fn, a, span: span))
            }
            return isColumn ? .column(Column(values: out)) : .list(out)
        }
        do {
            let v = try fn.implementation(args)
            if case .number(let x, _) = v, !x.isFinite {
                return .error(ErrorValue(.number, "\(fn.name): the result is not a finite number", span: span))
            }
            if case .error(var e) = v, e.span == nil { e.span = span; return .error(e) }
            return v
        } catch var e as ErrorValue {
            if e.span == nil { e.span = span }
            return .error(e)
        } catch {
            return .error(ErrorValue(.value, "\(fn.name): \(error)", span: span))
        }
    }

    /// The common length of the collection arguments; nil when none, -1 when they differ.
    private func broadcastLength(_ args: Arguments) -> Int? {
        var n: Int?
        for (_, v) in args.named {
            guard let m = Operators.length(v) else { continue }
            if let k = n, k != m { return -1 }
            n = m
        }
        return n
    }

    /// An elementwise built-in over columns (the other arguments single values): its typed
    /// loop over number columns when it has one, otherwise once per distinct argument.
    private func columns(_ fn: Builtin, _ args: Arguments, count: Int, span: SourceSpan) throws(TallyError) -> Value {
        let names = fn.parameters.filter { !$0.isVariadic && args.named[$0.name] != nil }.map(\.name)
        let row: ([Value]) throws -> Value = { values in
            var a = args
            for (k, v) in zip(names, values) { a.named[k] = v }
            return try self.invoke(fn, a, span: span)
        }
        return try columnRun(span) { check in
            let engine = ElementwiseColumns(arguments: names.compactMap { args.named[$0] }, count: count, row: row, check: check)
            return try engine.run { redo in NumberLoop.run(fn.columnKernel, fn.parameters, args, count: count, redo: &redo) }
        }
    }
}
