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
    /// `f(a, b: c)`; `t |> f(a)` is parsed as `f(t, a)`.
    case call(name: String, nameSpan: SourceSpan, arguments: [Argument], span: SourceSpan)
    /// `t.column`.
    case member(Expr, String, SourceSpan)
    /// `expr as %`.
    case format(Expr, NumberFormat, SourceSpan)

    public var span: SourceSpan {
        switch self {
        case .number(_, _, let s), .text(_, let s), .bool(_, let s), .name(_, let s), .list(_, let s),
             .record(_, let s), .unary(_, _, let s), .binary(_, _, _, let s), .member(_, _, let s),
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
        case .call(let n, let ns, let a, _): return .call(name: n, nameSpan: ns, arguments: a, span: s)
        case .member(let x, let f, _): return .member(x, f, s)
        case .format(let x, let f, _): return .format(x, f, s)
        }
    }

    /// Every name the expression mentions (a superset of the cells it depends on:
    /// inside table functions a name may turn out to be a column).
    public var names: Set<String> {
        var out = Set<String>()
        collectNames(into: &out)
        return out
    }

    private func collectNames(into out: inout Set<String>) {
        switch self {
        case .number, .text, .bool: break
        case .name(let n, _): out.insert(n)
        case .list(let xs, _): for x in xs { x.collectNames(into: &out) }
        case .record(let fs, _): for f in fs { f.value.collectNames(into: &out) }
        case .unary(_, let e, _), .member(let e, _, _), .format(let e, _, _): e.collectNames(into: &out)
        case .binary(_, let a, let b, _): a.collectNames(into: &out); b.collectNames(into: &out)
        case .call(_, _, let args, _): for a in args { a.value.collectNames(into: &out) }
        }
    }
}

public struct RecordField: Sendable, Equatable {
    public var name: String
    public var value: Expr
}

/// A call argument, positional or named (`customer: customer_id`).
public struct Argument: Sendable, Equatable {
    public var label: String?
    public var labelSpan: SourceSpan?
    public var value: Expr
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

