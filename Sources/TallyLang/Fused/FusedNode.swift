import TallyCore

/// Why a fused run gave up: a row only the general path decides (a division by zero, an
/// overflow, a domain error). The caller then evaluates the expression the general way,
/// which gives that row its error value; nothing of the fused run is kept.
struct FusedBail: Error {}

/// One node of a fused expression (`FusedPlan`): it computes its values for one chunk of
/// rows at a time into buffers of `FusedNode.chunk` cells, so a whole expression over
/// millions of rows runs in one pass without a column for any inner step. Subclasses are
/// the leaves (a column's slice) and the typed operations; each is the column kernel of
/// the operation it stands for, and the differential tests hold them equal.
class FusedNode {
    enum Kind { case number, bool, date }

    /// Rows per chunk: the buffers of a whole expression stay in the cache. A chunk is a
    /// zone of a date column's zone map (`DayZones`).
    static let chunk = DayZones.rows

    final let kind: Kind
    /// The chunk's values, in the buffer of the node's kind: its own buffer, or for a leaf
    /// the chunk's place in the column itself (read only). Readers take the pointer anew
    /// after each `fill`.
    final var numbers: UnsafeMutablePointer<Double>
    final var flags: UnsafeMutablePointer<Bool>
    final var days: UnsafeMutablePointer<Int32>
    private let buffers: (numbers: UnsafeMutablePointer<Double>, flags: UnsafeMutablePointer<Bool>, days: UnsafeMutablePointer<Int32>)
    /// Which rows of the chunk hold a value; not filled when `dense`.
    final let valid: UnsafeMutablePointer<Bool>
    /// Every row of the last chunk holds a value.
    final var dense = true
    /// `expr as %`: the format the expression gives its numbers.
    var formatOverride: NumberFormat?
    /// Whether the node checks its rows are finite (arithmetic and kernels). Off when the
    /// node feeds `x op constant`, whose own check fails on the same rows.
    final var checksFinite = true

    init(_ kind: Kind) {
        self.kind = kind
        buffers = (.allocate(capacity: kind == .number ? Self.chunk : 0), .allocate(capacity: kind == .bool ? Self.chunk : 0),
                   .allocate(capacity: kind == .date ? Self.chunk : 0))
        (numbers, flags, days) = buffers
        valid = .allocate(capacity: Self.chunk)
    }

    deinit {
        buffers.numbers.deallocate()
        buffers.flags.deallocate()
        buffers.days.deallocate()
        valid.deallocate()
    }

    /// Computes rows `start ..< start + n` (n at most `chunk`).
    func fill(_ start: Int, _ n: Int) throws(FusedBail) {}

    /// The display format of the node's numbers, known once every chunk has run (`if`
    /// takes its branches' format only from the rows that took them).
    func format() -> NumberFormat { formatOverride ?? baseFormat() }

    func baseFormat() -> NumberFormat { .plain }

    /// Whether `fill` can throw `FusedBail` (a row only the general path decides). A node
    /// that cannot may be skipped for a chunk whose answer is already known: `false and x`.
    var mayBail: Bool { true }

    /// A node computing the same thing with buffers of its own, for another thread; nil
    /// when it has no copy (the run then stays on one thread).
    func copy() -> FusedNode? { nil }

    /// Takes in what a copy learned while it ran (the branches `if` took), so that the
    /// format is the one of all the rows.
    func absorb(_ source: FusedNode) {}

    /// The copy's format override and finite check, set on a fresh copy.
    final func keepingSettings(_ copy: FusedNode?) -> FusedNode? {
        copy?.formatOverride = formatOverride
        copy?.checksFinite = checksFinite
        return copy
    }

    /// Whether row i of the chunk holds a value.
    @inline(__always) final func has(_ i: Int) -> Bool { dense || valid[i] }

    /// Sets `valid` to where both hold a value; returns whether all rows do.
    final func combineValidity(_ a: FusedNode?, _ b: FusedNode?, _ n: Int) {
        let da = a?.dense ?? true, db = b?.dense ?? true
        switch (da, db) {
        case (true, true): dense = true; return
        case (false, true): if let a { valid.update(from: a.valid, count: n) }
        case (true, false): if let b { valid.update(from: b.valid, count: n) }
        case (false, false):
            guard let a, let b else { dense = true; return }
            let out = valid.bytes, p = a.valid.bytes, q = b.valid.bytes
            for i in 0..<n { out[i] = p[i] & q[i] }
        }
        dense = false
    }

    /// Fails the run when a row holding a value is not a finite number.
    final func requireFinite(_ n: Int) throws(FusedBail) {
        // The exponent bits are all ones only for infinities and NaN: adding 2^52 to them
        // carries into the sign bit. Integer operations only, so the loop vectorises.
        var hit: UInt64 = 0
        let xs = numbers, v = valid.bytes
        let exponent: UInt64 = 0x7FF0_0000_0000_0000, carry: UInt64 = 0x0010_0000_0000_0000
        if dense {
            for i in 0..<n { hit |= ((xs[i].bitPattern & exponent) &+ carry) >> 63 }
        } else {
            for i in 0..<n { hit |= (((xs[i].bitPattern & exponent) &+ carry) >> 63) & UInt64(v[i]) }
        }
        if hit != 0 { throw FusedBail() }
    }
}

/// A slice of a column's typed array and validity: a leaf of the expression.
final class FusedLeaf: FusedNode {
    private let column: Column

    /// A leaf for a number, date or boolean column without error cells; nil otherwise.
    init?(_ column: Column) {
        guard column.errors.isEmpty else { return nil }
        switch column.typedStorage {
        case .number: self.column = column.widened(); super.init(.number)
        case .bool: self.column = column; super.init(.bool)
        case .date: self.column = column; super.init(.date)
        case .text, .mixed: return nil
        }
    }

    override func fill(_ start: Int, _ n: Int) throws(FusedBail) {
        // The chunk is read where it lies, not copied: at 10M rows a copy costs as much as
        // the comparison it feeds. The leaf holds the column, so its array is neither freed
        // nor moved while the pointer is in use, and nothing writes through it.
        switch column.typedStorage {
        case .number(let cells): cells.stored?.withUnsafeBufferPointer { p in if let b = p.baseAddress { numbers = UnsafeMutablePointer(mutating: b + start) } }
        case .bool(let bs): bs.withUnsafeBufferPointer { p in if let b = p.baseAddress { flags = UnsafeMutablePointer(mutating: b + start) } }
        case .date(let ds): ds.withUnsafeBufferPointer { p in if let b = p.baseAddress { days = UnsafeMutablePointer(mutating: b + start) } }
        case .text, .mixed: break
        }
        dense = Self.expand(column.typedValidity, start, n, into: valid)
    }

    override func baseFormat() -> NumberFormat { column.format }

    override var mayBail: Bool { false }

    override func copy() -> FusedNode? { keepingSettings(FusedLeaf(column)) }

    /// Unpacks the bits `start ..< start + n` of a validity bitmap; true (and nothing
    /// written) when they are all set, which whole words tell 64 rows at a time.
    static func expand(_ bitmap: Bitmap?, _ start: Int, _ n: Int, into out: UnsafeMutablePointer<Bool>) -> Bool {
        guard let bitmap else { return true }
        return bitmap.words.withUnsafeBufferPointer { w -> Bool in
            let end = start + n
            var r = start, all = true
            while r < end, all {
                let low = r & 63, high = min(64, low + (end - r))
                let mask = high == 64 ? ~UInt64(0) << UInt64(low) : ((UInt64(1) << UInt64(high)) - 1) & ~((UInt64(1) << UInt64(low)) - 1)
                all = w[r >> 6] & mask == mask
                r += high - low
            }
            if all { return true }
            let bytes = out.bytes
            for i in 0..<n {
                let r = start + i
                bytes[i] = UInt8(truncatingIfNeeded: w[r >> 6] >> UInt64(r & 63)) & 1
            }
            return false
        }
    }
}

/// An element-wise expression over one text, date or boolean column of few distinct
/// values (`upper(channel) == "TMALL"`, `month(order_date)`), computed once per distinct
/// value before the run; each row looks its answer up by the cell's code or day.
final class FusedLookup: FusedNode {
    private let keys: Column
    /// Answers by key; the last entry is the empty cell's.
    private let answerNumbers: [Double]
    private let answerFlags: [Bool]
    private let answerValid: [Bool]
    /// No answer is empty: a row is empty only where its cell is.
    private let answersAllValid: Bool
    private let lowDay: Int32
    private let answerFormat: NumberFormat
    private let scratch: UnsafeMutablePointer<Bool>
    private let scratchKeys: UnsafeMutablePointer<Int32>
    /// The date keys' zone map: a zone whose days all give one answer is that answer.
    private let zones: DayZones?

    /// `answers[k]`: the expression's value for dictionary entry (or day `lowDay + k`) k;
    /// the last: for an empty cell. Nil when the answers are not all numbers (or all
    /// booleans) and empties, or their formats differ.
    init?(keys: Column, lowDay: Int32, answers: [Value]) {
        var numbers: [Double] = [], flags: [Bool] = [], valid: [Bool] = []
        var kind: Kind?, format: NumberFormat?
        for a in answers {
            switch a {
            case .number(let x, let f):
                guard kind != .bool, format == nil || format == f, x.isFinite else { return nil }
                kind = .number; format = f
                numbers.append(x); flags.append(false); valid.append(true)
            case .bool(let b):
                guard kind != .number else { return nil }
                kind = .bool
                numbers.append(0); flags.append(b); valid.append(true)
            case .empty:
                numbers.append(0); flags.append(false); valid.append(false)
            default: return nil
            }
        }
        guard let kind else { return nil }
        self.keys = keys
        self.lowDay = lowDay
        answerNumbers = numbers
        answerFlags = flags
        answerValid = valid
        answersAllValid = !valid.dropLast().contains(false)
        answerFormat = format ?? .plain
        scratch = .allocate(capacity: Self.chunk)
        scratchKeys = .allocate(capacity: Self.chunk)
        zones = keys.dayZones()
        super.init(kind)
    }

    deinit {
        scratch.deallocate()
        scratchKeys.deallocate()
    }

    override func fill(_ start: Int, _ n: Int) throws(FusedBail) {
        let cellDense = FusedLeaf.expand(keys.typedValidity, start, n, into: scratch)
        if cellDense, let key = zoneAnswer(start, n) {
            if kind == .bool {
                flags.bytes.update(repeating: answerFlags[key] ? 1 : 0, count: n)
            } else {
                numbers.update(repeating: answerNumbers[key], count: n)
            }
            dense = true
            return
        }
        if cellDense, answersAllValid, kind == .bool, case .date(let ds) = keys.typedStorage {
            // The common case (`month(order_date) == 3`): one pass from day to answer.
            // Bytes through a pointer to the chunk's first day: no overflow check per row,
            // and the loop runs about three times as fast as with Bool and `start + i`.
            let out = flags.bytes, low = lowDay
            ds.withUnsafeBufferPointer { d in
                answerFlags.withUnsafeBufferPointer { af in
                    af.withMemoryRebound(to: UInt8.self) { answers in
                        guard let first = d.baseAddress.map({ $0 + start }) else { return }
                        for i in 0..<n { out[i] = answers[Int(first[i] &- low)] }
                    }
                }
            }
            dense = true
            return
        }
        let emptyKey = Int32(answerValid.count - 1)
        let keyBuffer = scratchKeys
        // The key of each row: its code or day, or the empty cell's.
        switch keys.typedStorage {
        case .text(let codes, _):
            codes.withUnsafeBufferPointer { c in if let first = c.baseAddress { keyBuffer.update(from: first + start, count: n) } }
        case .date(let ds):
            let low = lowDay
            ds.withUnsafeBufferPointer { d in
                guard let first = d.baseAddress.map({ $0 + start }) else { return }
                for i in 0..<n { keyBuffer[i] = first[i] &- low }
            }
        case .bool(let bs):
            bs.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: UInt8.self) { bytes in
                    guard let first = bytes.baseAddress.map({ $0 + start }) else { return }
                    for i in 0..<n { keyBuffer[i] = Int32(first[i]) }
                }
            }
        case .number, .mixed:
            for i in 0..<n { keyBuffer[i] = emptyKey }
        }
        if !cellDense { for i in 0..<n where !scratch[i] { keyBuffer[i] = emptyKey } }
        var all = true
        if cellDense && answersAllValid {
            // Every cell holds a value and every answer is one: nothing to look up.
        } else {
            var every: UInt8 = 1
            let out = valid.bytes
            answerValid.withUnsafeBufferPointer { av in
                av.withMemoryRebound(to: UInt8.self) { bytes in
                    for i in 0..<n {
                        let ok = bytes[Int(keyBuffer[i])]
                        out[i] = ok
                        every &= ok
                    }
                }
            }
            all = every == 1
        }
        if kind == .number {
            let out = numbers
            answerNumbers.withUnsafeBufferPointer { an in for i in 0..<n { out[i] = an[Int(keyBuffer[i])] } }
        } else {
            let out = flags.bytes
            answerFlags.withUnsafeBufferPointer { af in
                af.withMemoryRebound(to: UInt8.self) { answers in for i in 0..<n { out[i] = answers[Int(keyBuffer[i])] } }
            }
        }
        dense = all
    }

    /// The key of the answer every day of the chunk's zone gives, when they give one
    /// (and it is not empty); nil when the chunk is not a whole zone or its days differ.
    private func zoneAnswer(_ start: Int, _ n: Int) -> Int? {
        guard let zones, start % Self.chunk == 0, n == min(Self.chunk, keys.count - start) else { return nil }
        let z = start / Self.chunk
        guard z < zones.low.count else { return nil }
        let lo = Int(zones.low[z]) - Int(lowDay), hi = Int(zones.high[z]) - Int(lowDay)
        // A zone spanning many days is not worth the check: per row is as fast.
        guard lo >= 0, lo <= hi, hi - lo < 64, hi < answerValid.count - 1, answerValid[lo] else { return nil }
        for k in stride(from: lo + 1, through: hi, by: 1) {
            guard answerValid[k], answerFlags[k] == answerFlags[lo], answerNumbers[k].bitPattern == answerNumbers[lo].bitPattern else { return nil }
        }
        return lo
    }

    override func baseFormat() -> NumberFormat { answerFormat }

    override var mayBail: Bool { false }

    private init(copying o: FusedLookup) {
        keys = o.keys
        lowDay = o.lowDay
        answerNumbers = o.answerNumbers
        answerFlags = o.answerFlags
        answerValid = o.answerValid
        answersAllValid = o.answersAllValid
        answerFormat = o.answerFormat
        scratch = .allocate(capacity: Self.chunk)
        scratchKeys = .allocate(capacity: Self.chunk)
        zones = o.zones
        super.init(o.kind)
    }

    override func copy() -> FusedNode? { keepingSettings(FusedLookup(copying: self)) }
}

extension UnsafeMutablePointer where Pointee == Bool {
    /// The booleans as bytes (0 or 1), for loops that combine them without branching.
    var bytes: UnsafeMutablePointer<UInt8> { UnsafeMutableRawPointer(self).assumingMemoryBound(to: UInt8.self) }
}
