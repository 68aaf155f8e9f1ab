import Foundation
import TallyCore

/// Operators over whole columns. The one-cell semantics (`Operators.binary` on single
/// values) is the definition; these are its typed loops: numbers, dates and booleans
/// in one pass over their arrays, everything else (text, mixed types) once per distinct
/// argument through `ElementwiseColumns`. A row the loop cannot decide (an error cell, a
/// division by zero, an overflow) is computed by the one-cell function.
extension Operators {
    /// `a op b` where one side is a column (the other a column of the same length or a
    /// single value).
    static func columns(_ op: BinaryOp, _ a: Value, _ b: Value, count: Int, check: @escaping () throws -> Void) throws -> Column {
        let engine = ElementwiseColumns(arguments: [a, b], count: count, row: { v in binary(op, v[0], v[1]) }, check: check)
        // A stop asked for inside the typed loop makes it give up; the engine's check then throws.
        let cancelled = { (try? check()) == nil }
        return try engine.run { redo in typed(op, a, b, count: count, redo: &redo, cancelled: cancelled) }
    }

    /// `op x` where x is a column.
    static func columns(_ op: UnaryOp, _ x: Column, check: @escaping () throws -> Void) throws -> Column {
        let engine = ElementwiseColumns(arguments: [.column(x)], count: x.count, row: { v in unary(op, v[0]) }, check: check)
        return try engine.run { _ in
            switch (op, x.typedStorage) {
            case (.negate, .number(let xs)):
                return Column(storage: .number(NumberCells(xs.doubles.map { -$0 })), validity: x.typedValidity, format: x.format)
            case (.not, .bool(let bs)):
                return Column(storage: .bool(bs.map { !$0 }), validity: x.typedValidity)
            default: return nil
            }
        }
    }

    /// One side of a typed loop: a column's array with its validity, or a single value.
    private enum Side<T> {
        case column([T], Bitmap?)
        case scalar(T)
    }

    private static func numbers(_ v: Value) -> (Side<Double>, NumberFormat)? {
        switch v {
        case .column(let c):
            if case .number(let xs) = c.typedStorage { return (.column(xs.doubles, c.typedValidity), c.format) }
        case .number(let x, let f): return (.scalar(x), f)
        default: break
        }
        return nil
    }

    private static func days(_ v: Value) -> Side<Int32>? {
        switch v {
        case .column(let c): if case .date(let ds) = c.typedStorage { return .column(ds, c.typedValidity) }
        case .date(let d): return .scalar(d.days)
        default: break
        }
        return nil
    }

    private static func flags(_ v: Value) -> Side<Bool>? {
        switch v {
        case .column(let c): if case .bool(let bs) = c.typedStorage { return .column(bs, c.typedValidity) }
        case .bool(let b): return .scalar(b)
        default: break
        }
        return nil
    }

    private static func typed(_ op: BinaryOp, _ a: Value, _ b: Value, count n: Int, redo: inout Set<Int>,
                              cancelled: () -> Bool) -> Column? {
        if op == .concat {
            // On codes: each distinct pair of cells joined once.
            switch (a, b) {
            case (.column(let x), .column(let y)): return Column.concatenated(x, y, cancelled: cancelled)
            case (.column(let x), .text(let s)): return Column.concatenated(x, scalar: s, scalarFirst: false)
            case (.text(let s), .column(let y)): return Column.concatenated(y, scalar: s, scalarFirst: true)
            default: return nil
            }
        }
        if let (x, fx) = numbers(a), let (y, fy) = numbers(b) {
            let valid = both(x, y, n)
            if let out = arithmetic(op, x, y, n) {
                // Not finite: a division by zero, an overflow, a power out of its domain.
                for i in 0..<n where !out[i].isFinite && (valid?[i] ?? true) { redo.insert(i) }
                return Column(storage: .number(NumberCells(out)), validity: valid, format: format(op, fx, fy))
            }
            if let out = comparison(op, x, y, n) { return Column(storage: .bool(out), validity: valid) }
        }
        if let x = days(a), let y = days(b), let out = comparison(op, x, y, n) {
            return Column(storage: .bool(out), validity: both(x, y, n))
        }
        if let x = flags(a), let y = flags(b) {
            if op == .and || op == .or { return kleene(op == .and, x, y, n) }
            if op == .equal || op == .notEqual {
                let out = loop(x, y, n) { ($0 == $1) == (op == .equal) }
                return Column(storage: .bool(out), validity: both(x, y, n))
            }
        }
        return nil
    }

    @inline(__always)
    private static func loop<T, R>(_ x: Side<T>, _ y: Side<T>, _ n: Int, _ f: (T, T) -> R) -> [R] {
        switch (x, y) {
        case (.column(let xs, _), .column(let ys, _)): return (0..<n).map { f(xs[$0], ys[$0]) }
        case (.column(let xs, _), .scalar(let s)): return xs.map { f($0, s) }
        case (.scalar(let s), .column(let ys, _)): return ys.map { f(s, $0) }
        case (.scalar(let s), .scalar(let t)): return [R](repeating: f(s, t), count: n)
        }
    }

    private static func arithmetic(_ op: BinaryOp, _ x: Side<Double>, _ y: Side<Double>, _ n: Int) -> [Double]? {
        switch op {
        case .add: return loop(x, y, n, +)
        case .subtract: return loop(x, y, n, -)
        case .multiply: return loop(x, y, n, *)
        case .divide: return loop(x, y, n, /)
        case .power: return loop(x, y, n) { powerOrNaN($0, $1) }
        default: return nil
        }
    }

    /// `pow`, with NaN for a negative base and a fractional exponent (the one-cell path
    /// then gives the error).
    private static func powerOrNaN(_ x: Double, _ y: Double) -> Double {
        x < 0 && y != y.rounded() ? .nan : pow(x, y)
    }

    private static func comparison<T: Comparable>(_ op: BinaryOp, _ x: Side<T>, _ y: Side<T>, _ n: Int) -> [Bool]? {
        switch op {
        case .equal: return loop(x, y, n, ==)
        case .notEqual: return loop(x, y, n, !=)
        case .less: return loop(x, y, n, <)
        case .lessEqual: return loop(x, y, n, <=)
        case .greater: return loop(x, y, n, >)
        case .greaterEqual: return loop(x, y, n, >=)
        default: return nil
        }
    }

    /// The cells where both sides hold a value.
    private static func both<T>(_ x: Side<T>, _ y: Side<T>, _ n: Int) -> Bitmap? {
        var a: Bitmap?, b: Bitmap?
        if case .column(_, let v) = x { a = v }
        if case .column(_, let v) = y { b = v }
        guard let a else { return b }
        guard let b else { return a }
        return a.intersection(b)
    }

    /// SQL's three-valued `and`/`or`: false and empty is false, true or empty is true,
    /// otherwise an empty side gives empty.
    private static func kleene(_ isAnd: Bool, _ x: Side<Bool>, _ y: Side<Bool>, _ n: Int) -> Column {
        let values = loop(x, y, n) { isAnd ? $0 && $1 : $0 || $1 }
        func validity(_ s: Side<Bool>) -> Bitmap? { if case .column(_, let v) = s { return v }; return nil }
        func value(_ s: Side<Bool>, _ i: Int) -> Bool {
            switch s { case .column(let xs, _): return xs[i]; case .scalar(let b): return b }
        }
        let vx = validity(x), vy = validity(y)
        guard vx != nil || vy != nil else { return Column(storage: .bool(values), validity: nil) }
        var valid = Bitmap(count: n, value: true)
        // The side that decides alone: false for `and`, true for `or`.
        let decisive = !isAnd
        for i in 0..<n {
            let px = vx?[i] ?? true, py = vy?[i] ?? true
            if px && py { continue }
            if (px && value(x, i) == decisive) || (py && value(y, i) == decisive) { continue }
            valid[i] = false
        }
        var out = values
        for i in 0..<n where valid[i] && !((vx?[i] ?? true) && (vy?[i] ?? true)) { out[i] = decisive }
        return Column(storage: .bool(out), validity: valid)
    }
}
