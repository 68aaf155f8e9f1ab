import TallyCore

/// A built-in's `ColumnKernel` bound to one call's arguments: the typed pass over the
/// number columns. Nil when the call does not fit it (a text column, an empty single
/// argument), which leaves the call to `ElementwiseColumns`' per-distinct path.
struct NumberLoop {
    /// Runs whichever typed loop `kernel` declares; nil when there is none or the call does
    /// not fit it. Rows the loop leaves undecided are added to `redo`.
    static func run(_ kernel: ColumnKernel?, _ parameters: [Parameter], _ args: Arguments, count: Int,
                    redo: inout Set<Int>) -> Column? {
        if case .custom(let loop)? = kernel {
            guard let (out, rows) = loop(args, count) else { return nil }
            redo.formUnion(rows)
            return out
        }
        return NumberLoop(kernel, parameters, args, count: count)?.run(&redo)
    }

    private enum Shape {
        case unary([Double], Bitmap?, @Sendable (Double) -> Double)
        case binary(Side, Side, @Sendable (Double, Double) -> Double)
    }

    /// A column's numbers and validity, or one number for every row.
    private enum Side {
        case column([Double], Bitmap?)
        case scalar(Double)

        init?(_ v: Value?) {
            switch v {
            case .column(let c)?:
                guard case .number(let xs) = c.typedStorage else { return nil }
                self = .column(xs.doubles, c.typedValidity)
            case .number(let x, _)?: self = .scalar(x)
            default: return nil
            }
        }

        var validity: Bitmap? { if case .column(_, let v) = self { return v } else { return nil } }
    }

    private let shape: Shape
    private let format: NumberFormat
    private let count: Int

    init?(_ kernel: ColumnKernel?, _ parameters: [Parameter], _ args: Arguments, count: Int) {
        guard let kernel, let first = parameters.first?.name else { return nil }
        self.count = count
        switch kernel {
        case .unary(let make):
            guard case .column(let c)? = args.named[first], case .number(let xs) = c.typedStorage,
                  !args.named.contains(where: { $0.key != first && ($0.value.isCollection || $0.value.isEmpty) }),
                  let (f, format) = make(args, c.format) else { return nil }
            shape = .unary(xs.doubles, c.typedValidity, f)
            self.format = format
        case .custom:
            return nil
        case .binary(let f, let format):
            guard parameters.count >= 2, let x = Side(args.named[first]), let y = Side(args.named[parameters[1].name]) else { return nil }
            shape = .binary(x, y, f)
            self.format = format(args.displayFormat(first), args.displayFormat(parameters[1].name))
        }
    }

    /// The result column; rows whose result is not finite are added to `redo` for the
    /// one-row implementation to decide (it gives their error value).
    func run(_ redo: inout Set<Int>) -> Column {
        let out: [Double]
        let validity: Bitmap?
        switch shape {
        case .unary(let xs, let v, let f):
            out = xs.map(f)
            validity = v
        case .binary(let x, let y, let f):
            switch (x, y) {
            case (.column(let xs, _), .column(let ys, _)): out = (0..<count).map { f(xs[$0], ys[$0]) }
            case (.column(let xs, _), .scalar(let s)): out = xs.map { f($0, s) }
            case (.scalar(let s), .column(let ys, _)): out = ys.map { f(s, $0) }
            case (.scalar(let s), .scalar(let t)): out = [Double](repeating: f(s, t), count: count)
            }
            switch (x.validity, y.validity) {
            case (let a?, let b?): validity = a.intersection(b)
            case (let a?, nil): validity = a
            case (nil, let b): validity = b
            }
        }
        for i in 0..<count where !out[i].isFinite && (validity?[i] ?? true) { redo.insert(i) }
        return Column(storage: .number(NumberCells(out)), validity: validity, format: format)
    }
}

extension Arguments {
    /// The number format of an argument, a column's included.
    func displayFormat(_ name: String) -> NumberFormat {
        if case .column(let c)? = named[name] { return c.format }
        return format(name)
    }
}
