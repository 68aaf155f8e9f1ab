import TallyCore

/// Typed loops for operators on whole columns, so `where(orders, amount > 100)` and
/// `amount * 0.9` over millions of rows never box a cell. Nil means "take the general path".
extension Operators {
    static func columnFast(_ op: BinaryOp, _ a: Value, _ b: Value) -> Value? {
        switch (a, b) {
        case (.column(let x), .column(let y)) where x.count == y.count:
            return columnColumn(op, x, y)
        case (.column(let x), _) where !b.isCollection:
            return columnScalar(op, x, b, flipped: false)
        case (_, .column(let y)) where !a.isCollection:
            return columnScalar(op, y, a, flipped: true)
        default:
            return nil
        }
    }

    private static func both(_ a: Bitmap?, _ b: Bitmap?, _ n: Int) -> Bitmap? {
        guard let a else { return b }
        guard let b else { return a }
        var v = a
        for i in 0..<n where !b[i] { v[i] = false }
        return v
    }

    private static func compareOp(_ op: BinaryOp) -> ((Double, Double) -> Bool)? {
        switch op {
        case .equal: return (==)
        case .notEqual: return (!=)
        case .less: return (<)
        case .lessEqual: return (<=)
        case .greater: return (>)
        case .greaterEqual: return (>=)
        default: return nil
        }
    }

    private static func arithmeticOp(_ op: BinaryOp) -> ((Double, Double) -> Double)? {
        switch op {
        case .add: return (+)
        case .subtract: return (-)
        case .multiply: return (*)
        case .divide: return (/)
        default: return nil
        }
    }

    private static func columnColumn(_ op: BinaryOp, _ x: Column, _ y: Column) -> Value? {
        let n = x.count
        switch (x.storage, y.storage) {
        case (.number(let xs), .number(let ys)):
            let valid = both(x.validity, y.validity, n)
            if let f = arithmeticOp(op) {
                if op == .divide, ys.contains(0) { return nil }
                var out = [Double](repeating: 0, count: n)
                for i in 0..<n { out[i] = f(xs[i], ys[i]) }
                if out.contains(where: { !$0.isFinite }) { return nil }
                return .column(Column(storage: .number(out), validity: valid, format: format(op, x.format, y.format)))
            }
            if let f = compareOp(op) {
                var out = [Bool](repeating: false, count: n)
                for i in 0..<n { out[i] = f(xs[i], ys[i]) }
                return .column(Column(storage: .bool(out), validity: valid))
            }
        case (.bool(let xs), .bool(let ys)) where op == .and || op == .or:
            var out = [Bool](repeating: false, count: n)
            for i in 0..<n { out[i] = op == .and ? xs[i] && ys[i] : xs[i] || ys[i] }
            return .column(Column(storage: .bool(out), validity: both(x.validity, y.validity, n)))
        default: break
        }
        return nil
    }

    private static func columnScalar(_ op: BinaryOp, _ c: Column, _ s: Value, flipped: Bool) -> Value? {
        let n = c.count
        if case .error = s { return s }
        switch (c.storage, s) {
        case (.number(let xs), .number(let y, let fy)):
            if let f = arithmeticOp(op) {
                if op == .divide, !flipped, y == 0 { return nil }
                if op == .divide, flipped, xs.contains(0) { return nil }
                var out = [Double](repeating: 0, count: n)
                if flipped { for i in 0..<n { out[i] = f(y, xs[i]) } } else { for i in 0..<n { out[i] = f(xs[i], y) } }
                if out.contains(where: { !$0.isFinite }) { return nil }
                let fmt = flipped ? format(op, fy, c.format) : format(op, c.format, fy)
                return .column(Column(storage: .number(out), validity: c.validity, format: fmt))
            }
            if let f = compareOp(op) {
                var out = [Bool](repeating: false, count: n)
                if flipped { for i in 0..<n { out[i] = f(y, xs[i]) } } else { for i in 0..<n { out[i] = f(xs[i], y) } }
                return .column(Column(storage: .bool(out), validity: c.validity))
            }
        case (.text(let codes, let dict), .text(let t)) where op == .equal || op == .notEqual:
            let code = dict.firstIndex(of: t).map(Int32.init) ?? -1
            var out = [Bool](repeating: false, count: n)
            for i in 0..<n { out[i] = (codes[i] == code) == (op == .equal) }
            return .column(Column(storage: .bool(out), validity: c.validity))
        case (.date(let ds), .date(let d)):
            if let f = compareOp(op) {
                let y = Double(d.days)
                var out = [Bool](repeating: false, count: n)
                if flipped { for i in 0..<n { out[i] = f(y, Double(ds[i])) } } else { for i in 0..<n { out[i] = f(Double(ds[i]), y) } }
                return .column(Column(storage: .bool(out), validity: c.validity))
            }
            if op == .subtract {
                let out = ds.map { flipped ? Double(Int(d.days) - Int($0)) : Double(Int($0) - Int(d.days)) }
                return .column(Column(storage: .number(out), validity: c.validity))
            }
        default: break
        }
        return nil
    }
}
