import TallyCore

/// An expression with the span of text it came from.
public indirect enum Expr: Sendable, Equatable {
    case number(Double, NumberFormat, SourceSpan)
    case text(String, SourceSpan)
    case bool(Bool, SourceSpan)
    case name(String, SourceSpan)
    case list([Expr], SourceSpan)
    case record([RecordField], SourceSpan)
    case unary(UnaryOp, Expr, SourceSpan)
    case binary(BinaryOp, Expr, Expr, SourceSpan)
    /// `a + b - c`, `x or y or z`: two or more left-associative operators of one precedence
    /// level, kept flat so that a chain of any length is a loop, never a deep tree
    /// (`((a + b) - c)`; a single operator stays `.binary`).
    case chain(Expr, [ChainLink], SourceSpan)
    /// `f(a, b: c)`; `t |> f(a)` is parsed as `f(t, a)`.
    case call(name: String, nameSpan: SourceSpan, arguments: [Argument], span: SourceSpan)
    /// `t.column`.
    case member(Expr, String, SourceSpan)
    /// `expr as %`.
    case format(Expr, NumberFormat, SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .number(_, _, let s), .text(_, let s), .bool(_, let s), .name(_, let s), .list(_, let s),
             .record(_, let s), .unary(_, _, let s), .binary(_, _, _, let s), .chain(_, _, let s), .member(_, _, let s),
             .format(_, _, let s):
            return s
        case .call(_, _, _, let s): return s
        }
    }

    /// The same expression covering `span` (a parenthesised expression includes its brackets).
    func respanned(_ s: SourceSpan) -> Expr {
        switch self {
        case .number(let x, let f, _): return .number(x, f, s)
        case .text(let x, _): return .text(x, s)
        case .bool(let x, _): return .bool(x, s)
        case .name(let x, _): return .name(x, s)
        case .list(let x, _): return .list(x, s)
        case .record(let x, _): return .record(x, s)
        case .unary(let o, let x, _): return .unary(o, x, s)
        case .binary(let o, let a, let b, _): return .binary(o, a, b, s)
        case .chain(let a, let links, _): return .chain(a, links, s)
        case .call(let n, let ns, let a, _): return .call(name: n, nameSpan: ns, arguments: a, span: s)
        case .member(let x, let f, _): return .member(x, f, s)
        case .format(let x, let f, _): return .format(x, f, s)
        }
    }

    /// True when some node lies more than `levels` below this one (an explicit stack, and
    /// it stops at the first such node).
    func nests(deeperThan levels: Int) -> Bool {
        var pending: [(Expr, Int)] = [(self, 0)]
        while let (e, d) = pending.popLast() {
            if d > levels { return true }
            switch e {
            case .number, .text, .bool, .name: break
            case .list(let xs, _): pending += xs.map { ($0, d + 1) }
            case .record(let fs, _): pending += fs.map { ($0.value, d + 1) }
            case .unary(_, let x, _), .member(let x, _, _), .format(let x, _, _): pending.append((x, d + 1))
            case .binary(_, let a, let b, _): pending.append((a, d + 1)); pending.append((b, d + 1))
            case .chain(let a, let links, _): pending.append((a, d + 1)); pending += links.map { ($0.operand, d + 1) }
            case .call(_, _, let args, _): pending += args.map { ($0.value, d + 1) }
            }
        }
        return false
    }

    /// Every name the expression mentions (a superset of the cells it depends on:
    /// inside table functions a name may turn out to be a column).
    public var names: Set<String> {
        // An explicit stack rather than recursion: no expression is too deep to walk.
        var out = Set<String>()
        var pending: [Expr] = [self]
        while let e = pending.popLast() {
            switch e {
            case .number, .text, .bool: break
            case .name(let n, _): out.insert(n)
            case .list(let xs, _): pending += xs
            case .record(let fs, _): pending += fs.map(\.value)
            case .unary(_, let x, _), .member(let x, _, _), .format(let x, _, _): pending.append(x)
            case .binary(_, let a, let b, _): pending.append(a); pending.append(b)
            case .chain(let a, let links, _): pending.append(a); pending += links.map(\.operand)
            case .call(_, _, let args, _): pending += args.map(\.value)
            }
        }
        return out
    }
}

extension Expr {
    /// True when the expression calls the function `name` anywhere.
    public func calls(_ name: String) -> Bool {
        var pending: [Expr] = [self]
        while let e = pending.popLast() {
            switch e {
            case .number, .text, .bool, .name: break
            case .list(let xs, _): pending += xs
            case .record(let fs, _): pending += fs.map(\.value)
            case .unary(_, let x, _), .member(let x, _, _), .format(let x, _, _): pending.append(x)
            case .binary(_, let a, let b, _): pending.append(a); pending.append(b)
            case .chain(let a, let links, _): pending.append(a); pending += links.map(\.operand)
            case .call(let n, _, let args, _):
                if n == name { return true }
                pending += args.map(\.value)
            }
        }
        return false
    }
}

/// One step of a `.chain`: the operator and its right operand.
public struct ChainLink: Sendable, Equatable {
    public var op: BinaryOp
    public var operand: Expr
}

extension Expr {
    /// The span of the `i`th step of a chain: from its first operand to the `i`th link's
    /// operand; the last step covers the whole chain (brackets included), as `.binary` does.
    static func chainStepSpan(_ first: Expr, _ links: [ChainLink], _ i: Int, _ whole: SourceSpan) -> SourceSpan {
        i == links.count - 1 ? whole : first.span.merged(with: links[i].operand.span)
    }
}

public struct RecordField: Sendable, Equatable {
    public var name: String
    public var value: Expr
    /// Where the field's name was written (for an error about the name itself).
    public var nameSpan: SourceSpan?

    public init(name: String, value: Expr, nameSpan: SourceSpan? = nil) {
        self.name = name; self.value = value; self.nameSpan = nameSpan
    }
}

/// A call argument, positional or named (`customer: customer_id`).
public struct Argument: Sendable, Equatable {
    public var label: String?
    public var labelSpan: SourceSpan?
    public var value: Expr

    public init(label: String?, labelSpan: SourceSpan?, value: Expr) {
        self.label = label
        self.labelSpan = labelSpan
        self.value = value
    }
}

public enum UnaryOp: String, Sendable {
    case negate = "-"
    case not
}

public enum BinaryOp: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^", concat = "&"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and, or
}

