import Foundation
import TallyCore

/// An operand of a fused operation: another node, or one value for every row.
enum FusedInput {
    case node(FusedNode)
    case number(Double, NumberFormat)
    case bool(Bool)
    case date(Int32)
    /// An empty single value (only `if`'s branches take one).
    case empty

    var node: FusedNode? { if case .node(let n) = self { return n } else { return nil } }

    var kind: FusedNode.Kind? {
        switch self {
        case .node(let n): return n.kind
        case .number: return .number
        case .bool: return .bool
        case .date: return .date
        case .empty: return nil
        }
    }

    /// The same operand with a copied node (nil when the node has no copy).
    func copy() -> FusedInput? {
        guard case .node(let n) = self else { return self }
        return n.copy().map(FusedInput.node)
    }

    var format: NumberFormat {
        switch self {
        case .node(let n): return n.format()
        case .number(_, let f): return f
        default: return .plain
        }
    }
}

/// An operand's chunk buffers: a node's (taken anew after each fill: a leaf's point into
/// its column), or a single value copied into every row.
final class FusedOperand {
    let node: FusedNode?
    private let constant: (numbers: UnsafeMutablePointer<Double>, flags: UnsafeMutablePointer<Bool>, days: UnsafeMutablePointer<Int32>)

    var numbers: UnsafeMutablePointer<Double> { node?.numbers ?? constant.numbers }
    var flags: UnsafeMutablePointer<Bool> { node?.flags ?? constant.flags }
    var days: UnsafeMutablePointer<Int32> { node?.days ?? constant.days }

    init(_ input: FusedInput) {
        let size = input.node == nil ? FusedNode.chunk : 0
        constant = (.allocate(capacity: size), .allocate(capacity: size), .allocate(capacity: size))
        if case .node(let n) = input {
            node = n
            return
        }
        node = nil
        switch input {
        case .number(let x, _): constant.numbers.initialize(repeating: x, count: size)
        case .bool(let b): constant.flags.initialize(repeating: b, count: size)
        case .date(let d): constant.days.initialize(repeating: d, count: size)
        default: constant.numbers.initialize(repeating: 0, count: size)
        }
    }

    deinit {
        constant.numbers.deallocate()
        constant.flags.deallocate()
        constant.days.deallocate()
    }

    @inline(__always) func fill(_ start: Int, _ n: Int) throws(FusedBail) { try node?.fill(start, n) }

    var mayBail: Bool { node?.mayBail ?? false }

    /// Takes in what the same operand of a copy learned (`FusedNode.absorb`).
    func absorb(_ other: FusedOperand) {
        if let mine = node, let theirs = other.node { mine.absorb(theirs) }
    }
}

/// `a op b` over numbers (+ - * / ^) and f(a, b) of a two-number column kernel (`mod`, the
/// KPI ratios); a row whose result is not finite ends the run (the general path gives
/// its error value).
final class FusedArithmetic: FusedNode {
    private let inputs: (FusedInput, FusedInput)
    private let a: FusedOperand, b: FusedOperand
    private let op: BinaryOp?
    private let f: (Double, Double) -> Double
    private let combine: (NumberFormat, NumberFormat) -> NumberFormat

    /// A kernel's f(a, b) and its result format.
    init(_ a: FusedInput, _ b: FusedInput, _ f: @escaping (Double, Double) -> Double,
         format: @escaping (NumberFormat, NumberFormat) -> NumberFormat, op: BinaryOp? = nil) {
        inputs = (a, b)
        self.a = FusedOperand(a)
        self.b = FusedOperand(b)
        self.f = f
        self.op = op
        combine = format
        super.init(.number)
    }

    /// The operator's loop, or nil when `op` is not arithmetic.
    convenience init?(_ op: BinaryOp, _ a: FusedInput, _ b: FusedInput) {
        switch op {
        case .add, .subtract, .multiply, .divide: self.init(a, b, { _, _ in .nan }, format: { Operators.format(op, $0, $1) }, op: op)
        case .power:
            self.init(a, b, { x, y in x < 0 && y != y.rounded() ? .nan : pow(x, y) }, format: { Operators.format(op, $0, $1) })
        default: return nil
        }
    }

    override func fill(_ start: Int, _ n: Int) throws(FusedBail) {
        try a.fill(start, n)
        try b.fill(start, n)
        let out = numbers, x = a.numbers, y = b.numbers
        switch op {
        case .add?: for i in 0..<n { out[i] = x[i] + y[i] }
        case .subtract?: for i in 0..<n { out[i] = x[i] - y[i] }
        case .multiply?: for i in 0..<n { out[i] = x[i] * y[i] }
        case .divide?: for i in 0..<n { out[i] = x[i] / y[i] }
        default:
            let f = self.f
            for i in 0..<n { out[i] = f(x[i], y[i]) }
        }
        combineValidity(a.node, b.node, n)
        if checksFinite { try requireFinite(n) }
    }

    override func baseFormat() -> NumberFormat { combine(inputs.0.format, inputs.1.format) }

    override func copy() -> FusedNode? {
        guard let x = inputs.0.copy(), let y = inputs.1.copy() else { return nil }
        return keepingSettings(FusedArithmetic(x, y, f, format: combine, op: op))
    }

    override func absorb(_ source: FusedNode) {
        guard let o = source as? FusedArithmetic else { return }
        a.absorb(o.a)
        b.absorb(o.b)
    }
}

/// f(x) of a one-number column kernel (`round`, `abs`, `sqrt`...), and `-x`.
final class FusedUnary: FusedNode {
    private let x: FusedNode
    private let f: (Double) -> Double
    private let negates: Bool
    private let resultFormat: NumberFormat?
    /// The result's format from the operand's (a kernel's `make`), when it depends on it.
    var deriveFormat: ((NumberFormat) -> NumberFormat)?

    /// `resultFormat` nil: the operand's format.
    init(_ x: FusedNode, _ f: @escaping (Double) -> Double, format: NumberFormat?, negates: Bool = false) {
        self.x = x
        self.f = f
        self.negates = negates
        resultFormat = format
        super.init(.number)
    }

    override func fill(_ start: Int, _ n: Int) throws(FusedBail) {
        try x.fill(start, n)
        let out = numbers, xs = x.numbers
        if negates {
            for i in 0..<n { out[i] = -xs[i] }
        } else {
            let f = self.f
            for i in 0..<n { out[i] = f(xs[i]) }
        }
        dense = x.dense
        if !dense { valid.update(from: x.valid, count: n) }
        if checksFinite { try requireFinite(n) }
    }

    override func baseFormat() -> NumberFormat {
        if let deriveFormat { return deriveFormat(x.format()) }
        return resultFormat ?? x.format()
    }

    override func copy() -> FusedNode? {
        guard let xc = x.copy() else { return nil }
        let c = FusedUnary(xc, f, format: resultFormat, negates: negates)
        c.deriveFormat = deriveFormat
        return keepingSettings(c)
    }

    override func absorb(_ source: FusedNode) {
        guard let o = source as? FusedUnary else { return }
        x.absorb(o.x)
    }
}

/// A comparison of numbers, of dates or (== and != only) of booleans; empty where a side
/// is empty.
final class FusedComparison: FusedNode {
    private let a: FusedOperand, b: FusedOperand
    private let inputs: (FusedInput, FusedInput)
    private let op: BinaryOp
    private let operandKind: Kind

    init?(_ op: BinaryOp, _ a: FusedInput, _ b: FusedInput) {
        switch op {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: break
        default: return nil
        }
        guard let ka = a.kind, ka == b.kind, ka != .bool || op == .equal || op == .notEqual else { return nil }
        self.op = op
        inputs = (a, b)
        self.a = FusedOperand(a)
        self.b = FusedOperand(b)
        operandKind = ka
        super.init(.bool)
    }

    override func fill(_ start: Int, _ n: Int) throws(FusedBail) {
        try a.fill(start, n)
        try b.fill(start, n)
        switch operandKind {
        case .number: compare(a.numbers, b.numbers, n)
        case .date: compare(a.days, b.days, n)
        case .bool:
            let out = flags, x = a.flags, y = b.flags, same = op == .equal
            for i in 0..<n { out[i] = (x[i] == y[i]) == same }
        }
        combineValidity(a.node, b.node, n)
    }

    @inline(__always)
    private func compare<T: Comparable>(_ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ n: Int) {
        let out = flags
        switch op {
        case .equal: for i in 0..<n { out[i] = x[i] == y[i] }
        case .notEqual: for i in 0..<n { out[i] = x[i] != y[i] }
        case .less: for i in 0..<n { out[i] = x[i] < y[i] }
        case .lessEqual: for i in 0..<n { out[i] = x[i] <= y[i] }
        case .greater: for i in 0..<n { out[i] = x[i] > y[i] }
        default: for i in 0..<n { out[i] = x[i] >= y[i] }
        }
    }

    override var mayBail: Bool { a.mayBail || b.mayBail }

    override func copy() -> FusedNode? {
        guard let x = inputs.0.copy(), let y = inputs.1.copy() else { return nil }
        return FusedComparison(op, x, y)
    }

    override func absorb(_ source: FusedNode) {
        guard let o = source as? FusedComparison else { return }
        a.absorb(o.a)
        b.absorb(o.b)
    }
}

/// SQL's three-valued `and` / `or`, and `not`.
final class FusedLogic: FusedNode {
    enum Op { case and, or, not }
    private let op: Op
    private let a: FusedOperand, b: FusedOperand
    private let inputs: (FusedInput, FusedInput)
    /// The right side may be skipped for a chunk the left decides alone.
    private let rightSkippable: Bool

    init?(_ op: Op, _ a: FusedInput, _ b: FusedInput = .bool(true)) {
        guard a.kind == .bool, b.kind == .bool else { return nil }
        self.op = op
        inputs = (a, b)
        self.a = FusedOperand(a)
        self.b = FusedOperand(b)
        rightSkippable = op != .not && !self.b.mayBail
        super.init(.bool)
    }

    override func fill(_ start: Int, _ n: Int) throws(FusedBail) {
        try a.fill(start, n)
        if rightSkippable, a.node?.dense ?? true, decides(a.flags.bytes, n) {
            // Every row of the chunk is `false and _` (or `true or _`): the right side is
            // not read at all. On rows sorted by date, `month(order_date) == 3 and amount
            // > 500` then reads `amount` only in the chunks of March.
            flags.bytes.update(repeating: op == .or ? 1 : 0, count: n)
            dense = true
            return
        }
        try b.fill(start, n)
        let out = flags, x = a.flags, y = b.flags
        if op == .not {
            for i in 0..<n { out[i] = !x[i] }
            dense = a.node?.dense ?? true
            if !dense, let v = a.node?.valid { valid.update(from: v, count: n) }
            return
        }
        let isAnd = op == .and
        let dx = a.node?.dense ?? true, dy = b.node?.dense ?? true
        let ob = out.bytes, xb = x.bytes, yb = y.bytes
        if isAnd { for i in 0..<n { ob[i] = xb[i] & yb[i] } } else { for i in 0..<n { ob[i] = xb[i] | yb[i] } }
        if dx && dy {
            dense = true
            return
        }
        // The side that decides alone: false for `and`, true for `or`.
        let decisive = !isAnd
        var all = true
        for i in 0..<n {
            let hp = dx || (a.node?.valid[i] ?? true), hq = dy || (b.node?.valid[i] ?? true)
            if hp && hq {
                valid[i] = true
            } else if (hp && x[i] == decisive) || (hq && y[i] == decisive) {
                out[i] = decisive
                valid[i] = true
            } else {
                valid[i] = false
                all = false
            }
        }
        dense = all
    }

    /// Whether every one of the n flags is the value that decides alone.
    private func decides(_ x: UnsafeMutablePointer<UInt8>, _ n: Int) -> Bool {
        if op == .and {
            var any: UInt8 = 0
            for i in 0..<n { any |= x[i] }
            return any == 0
        }
        var every: UInt8 = 1
        for i in 0..<n { every &= x[i] }
        return every == 1
    }

    override var mayBail: Bool { a.mayBail || b.mayBail }

    override func copy() -> FusedNode? {
        guard let x = inputs.0.copy(), let y = inputs.1.copy() else { return nil }
        return FusedLogic(op, x, y)
    }

    override func absorb(_ source: FusedNode) {
        guard let o = source as? FusedLogic else { return }
        a.absorb(o.a)
        b.absorb(o.b)
    }
}

/// `if(cond, then, else)` over numbers: each row from the branch its condition picks;
/// empty where the condition or the branch taken is empty.
final class FusedIf: FusedNode {
    private let cond: FusedNode
    private let inputs: (FusedInput, FusedInput)
    private let then: FusedOperand, other: FusedOperand
    private var tookThen = false, tookElse = false

    init?(_ cond: FusedNode, _ then: FusedInput, _ other: FusedInput) {
        guard cond.kind == .bool, then.kind ?? .number == .number, other.kind ?? .number == .number else { return nil }
        self.cond = cond
        inputs = (then, other)
        self.then = FusedOperand(then)
        self.other = FusedOperand(other)
        super.init(.number)
    }

    override func fill(_ start: Int, _ n: Int) throws(FusedBail) {
        try cond.fill(start, n)
        try then.fill(start, n)
        try other.fill(start, n)
        let out = numbers, c = cond.flags, x = then.numbers, y = other.numbers
        // Picked by a bit mask, not a branch: the condition is unpredictable row to row.
        let bytes = UnsafeRawPointer(c).assumingMemoryBound(to: UInt8.self)
        for i in 0..<n {
            let mask = UInt64(0) &- UInt64(bytes[i])
            out[i] = Double(bitPattern: (x[i].bitPattern & mask) | (y[i].bitPattern & ~mask))
        }
        var thenEmpty = false, elseEmpty = false
        if case .empty = inputs.0 { thenEmpty = true }
        if case .empty = inputs.1 { elseEmpty = true }
        let tn = then.node, en = other.node
        if cond.dense, !thenEmpty, !elseEmpty, tn?.dense ?? true, en?.dense ?? true {
            // Every row takes a branch that holds a value.
            var taken = 0
            for i in 0..<n { taken &+= Int(bytes[i]) }
            tookThen = tookThen || taken > 0
            tookElse = tookElse || taken < n
            dense = true
            return
        }
        var all = true, tt = false, te = false
        for i in 0..<n {
            let f = c[i]
            let has = cond.has(i) && (f ? !thenEmpty && (tn?.has(i) ?? true) : !elseEmpty && (en?.has(i) ?? true))
            valid[i] = has
            all = all && has
            if has { if f { tt = true } else { te = true } }
        }
        tookThen = tookThen || tt
        tookElse = tookElse || te
        dense = all
    }

    /// As the general `if`: a format both taken branches share, otherwise plain.
    override func baseFormat() -> NumberFormat {
        let fx = inputs.0.format, fy = inputs.1.format
        if tookThen && tookElse { return fx == fy ? fx : .plain }
        return tookThen ? fx : fy
    }

    override var mayBail: Bool { cond.mayBail || then.mayBail || other.mayBail }

    override func copy() -> FusedNode? {
        guard let c = cond.copy(), let x = inputs.0.copy(), let y = inputs.1.copy() else { return nil }
        return keepingSettings(FusedIf(c, x, y))
    }

    override func absorb(_ source: FusedNode) {
        guard let o = source as? FusedIf else { return }
        tookThen = tookThen || o.tookThen
        tookElse = tookElse || o.tookElse
        cond.absorb(o.cond)
        then.absorb(o.then)
        self.other.absorb(o.other)
    }
}
