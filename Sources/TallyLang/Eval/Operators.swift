import Foundation
import TallyCore

/// The semantics of the operators on single values, and their broadcast over lists and
/// columns. Failures are error values (`#DIV/0!`, `#VALUE!`), never traps.
enum Operators {
    static func unary(_ op: UnaryOp, _ v: Value) -> Value {
        if case .error = v { return v }
        if case .list(let xs) = v { return .list(xs.map { unary(op, $0) }) }
        if case .column(let c) = v {
            // The one-cell function cannot throw, so neither can the column run without a check.
            return (try? columns(op, c, check: {})).map(Value.column) ?? .error(ErrorValue(.value, "cannot apply `\(op.rawValue)`"))
        }
        switch (op, v) {
        case (_, .empty): return .empty
        case (.negate, .number(let x, let f)): return .number(-x, f)
        case (.not, .bool(let b)): return .bool(!b)
        case (.negate, _): return .error(ErrorValue(.value, "cannot negate a \(v.typeName)"))
        case (.not, _): return .error(ErrorValue(.value, "`not` needs a boolean, got a \(v.typeName)"))
        }
    }

    static func binary(_ op: BinaryOp, _ a: Value, _ b: Value) -> Value {
        if case .error = a { return a }
        if case .error = b { return b }
        if a.isCollection || b.isCollection { return broadcast(op, a, b) }
        return scalar(op, a, b)
    }

    /// The number of elements of a list or column (nil for a single value), without boxing a column.
    static func length(_ v: Value) -> Int? {
        switch v {
        case .list(let xs): return xs.count
        case .column(let c): return c.count
        default: return nil
        }
    }

    private static func broadcast(_ op: BinaryOp, _ a: Value, _ b: Value) -> Value {
        let n = length(a) ?? length(b) ?? 0
        if let m = length(a), let k = length(b), m != k {
            return .error(ErrorValue(.value, "lengths differ (\(m) and \(k))"))
        }
        let isList: (Value) -> Bool = { if case .list = $0 { return true } else { return false } }
        if !isList(a), !isList(b), let c = try? columns(op, a, b, count: n, check: {}) { return .column(c) }
        let xs = a.elements, ys = b.elements
        var out: [Value] = []
        out.reserveCapacity(n)
        for i in 0..<n { out.append(binary(op, xs?[i] ?? a, ys?[i] ?? b)) }
        let isColumn: Bool = { if case .column = a { return true }; if case .column = b { return true }; return false }()
        return isColumn ? .column(Column(values: out)) : .list(out)
    }

    /// The longest text `&` and `concat` make: 16 MiB of UTF-8. A formula that doubles a
    /// text (`b = a & a`, `c = b & b`, ...) would otherwise reach gigabytes in 30 steps.
    static let maxTextBytes = 16 << 20

    /// The error value for a text of `bytes` bytes above `maxTextBytes`, else nil.
    static func textTooLong(_ bytes: Int) -> ErrorValue? {
        guard bytes > maxTextBytes else { return nil }
        return ErrorValue(.value, "the text would be \(bytes) bytes long (at most \(maxTextBytes))")
    }

    /// The display format of an arithmetic result (documented in the README).
    static func format(_ op: BinaryOp, _ a: NumberFormat, _ b: NumberFormat) -> NumberFormat {
        switch op {
        case .add, .subtract: return NumberFormat.combine(a, b)
        case .multiply:
            if a == .money || b == .money { return .money }
            // An amount in 万 or 亿 times a plain number stays in its unit, as money does.
            if a.chineseUnit != nil, b == .plain { return a }
            if b.chineseUnit != nil, a == .plain { return b }
            return a == .percent && b == .percent ? .percent : .plain
        case .divide:
            if a == .money { return b == .money ? .plain : .money }
            if a.chineseUnit != nil { return b == .plain ? a : .plain }
            return a == .percent && b != .percent ? .percent : .plain
        default: return .plain
        }
    }

    private static func scalar(_ op: BinaryOp, _ a: Value, _ b: Value) -> Value {
        switch op {
        case .and, .or:
            // SQL's three-valued logic: one side can decide alone (false and _, true or _).
            let decisive = op == .or
            if case .bool(let x) = a, b.isEmpty { return x == decisive ? .bool(x) : .empty }
            if case .bool(let y) = b, a.isEmpty { return y == decisive ? .bool(y) : .empty }
            if a.isEmpty && b.isEmpty { return .empty }
            guard case .bool(let x) = a, case .bool(let y) = b else {
                return .error(ErrorValue(.value, "`\(op.rawValue)` needs booleans, got a \(a.typeName) and a \(b.typeName)"))
            }
            return .bool(op == .and ? x && y : x || y)
        case .concat:
            let x = display(a), y = display(b)
            if let e = textTooLong(x.utf8.count + y.utf8.count) { return .error(e) }
            return .text(x + y)
        case .equal, .notEqual:
            // An empty cell is unknown, as SQL's NULL: comparing it gives empty.
            if a.isEmpty || b.isEmpty { return .empty }
            let eq = equal(a, b)
            return .bool(op == .equal ? eq : !eq)
        case .less, .lessEqual, .greater, .greaterEqual:
            if a.isEmpty || b.isEmpty { return .empty }
            guard let c = compare(a, b) else {
                return .error(ErrorValue(.value, "cannot compare a \(a.typeName) with a \(b.typeName)"))
            }
            switch op {
            case .less: return .bool(c < 0)
            case .lessEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        default:
            return arithmetic(op, a, b)
        }
    }

    private static func arithmetic(_ op: BinaryOp, _ a: Value, _ b: Value) -> Value {
        if a.isEmpty || b.isEmpty { return .empty }
        switch (a, b) {
        case (.number(let x, let fx), .number(let y, let fy)):
            let r: Double
            switch op {
            case .add: r = x + y
            case .subtract: r = x - y
            case .multiply: r = x * y
            case .divide:
                if y == 0 { return .error(ErrorValue(.divisionByZero, "division by zero")) }
                r = x / y
            case .power:
                if x < 0, y != y.rounded() { return .error(ErrorValue(.number, "a negative number to a fractional power")) }
                if x == 0, y < 0 { return .error(ErrorValue(.divisionByZero, "zero to a negative power")) }
                r = pow(x, y)
            default: r = .nan
            }
            guard r.isFinite else { return .error(ErrorValue(.number, "the result is too large")) }
            return .number(r, format(op, fx, fy))
        case (.date(let d), .number(let n, _)) where op == .add || op == .subtract:
            return shift(d, op == .add ? n : -n)
        case (.number(let n, _), .date(let d)) where op == .add:
            return shift(d, n)
        case (.date(let d1), .date(let d2)) where op == .subtract:
            return .num(Double(Int(d1.days) - Int(d2.days)))
        case (.text, _), (_, .text):
            return .error(ErrorValue(.value, "cannot \(verb(op)) a \(a.typeName) and a \(b.typeName)"))
        default:
            return .error(ErrorValue(.value, "cannot \(verb(op)) a \(a.typeName) and a \(b.typeName)"))
        }
    }

    /// Dates lie within this many days of 1970-01-01 (years -6244 to 10183).
    static let dayLimit = 3_000_000

    private static func shift(_ d: TallyDate, _ n: Double) -> Value {
        guard n == n.rounded() else {
            return .error(ErrorValue(.value, "a date moves by whole days, got \(plainNumber(n)) days"))
        }
        let days = Double(d.days) + n
        guard abs(days) < Double(dayLimit) else {
            let edge = days > 0 ? TallyDate(days: Int32(dayLimit - 1)) : TallyDate(days: Int32(1 - dayLimit))
            return .error(ErrorValue(.number, "date out of range: \(d.iso) \(n < 0 ? "-" : "+") \(plainNumber(abs(n))) days is "
                + (days > 0 ? "after \(edge.iso), the last date" : "before \(edge.iso), the first date")))
        }
        return .date(TallyDate(days: Int32(days)))
    }

    private static func verb(_ op: BinaryOp) -> String {
        switch op {
        case .add: return "add"
        case .subtract: return "subtract"
        case .multiply: return "multiply"
        case .divide: return "divide"
        default: return "raise to a power"
        }
    }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x, _), .number(let y, _)): return x == y
        default: return a == b
        }
    }

    /// -1, 0, 1; nil when the two cannot be ordered.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.number(let x, _), .number(let y, _)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.text(let x), .text(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.date(let x), .date(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        default: return nil
        }
    }

    /// Text form used by `&` and text functions: numbers in shortest form, no separators.
    static func display(_ v: Value) -> String {
        switch v {
        case .number(let x, _): return plainNumber(x)
        case .text(let s): return s
        case .date(let d): return d.iso
        case .bool(let b): return b ? "true" : "false"
        case .empty: return ""
        case .error(let e): return e.kind.rawValue
        case .list(let xs): return "[" + xs.map(display).joined(separator: ", ") + "]"
        case .record(let r): return "{" + r.fields.map { "\($0.name): \(display($0.value))" }.joined(separator: ", ") + "}"
        case .column(let c): return "column of \(c.count)"
        case .table(let t): return "table \(t.rowCount)x\(t.columnCount)"
        }
    }

    /// A number for a message: whole numbers as digits, others with ten significant digits.
    static func shortNumber(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.10g", x)
    }

    static func plainNumber(_ x: Double) -> String {
        guard x.isFinite else { return ErrorValue.Kind.number.rawValue }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
