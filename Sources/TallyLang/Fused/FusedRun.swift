import Foundation
import TallyCore

/// Drives a fused expression over all its rows into what its consumer wants: the whole
/// column, a sum, or a count of the rows where it is true. Only the result is allocated;
/// no inner step is ever a column. The rows go in morsels of `CompensatedSum.block` rows
/// to one worker thread each (every worker with its own copy of the expression's nodes);
/// each morsel's result lands in its own slot and the slots are combined in row order,
/// so the answer is the same bits whatever the number of threads.
struct FusedRun {
    /// The expression, then its copies for the other workers.
    private let trees: [FusedNode]
    let rows: Int
    /// Polled before each morsel: true stops the run (Ctrl-C) with `stop`.
    private let interrupted: () -> Bool
    private let stop: TallyError
    private var morsels: Int { (rows + Self.morsel - 1) / Self.morsel }
    static let morsel = CompensatedSum.block

    init(root: FusedNode, rows: Int, interrupted: @escaping () -> Bool, stop: TallyError) {
        self.rows = rows
        self.interrupted = interrupted
        self.stop = stop
        let wanted = min(ProcessInfo.processInfo.activeProcessorCount, 8, (rows + Self.morsel - 1) / Self.morsel)
        var trees = [root]
        while trees.count < wanted, let c = root.copy() { trees.append(c) }
        self.trees = trees
    }

    /// The format of the expression's numbers over every row the run computed.
    func format() -> NumberFormat {
        for t in trees.dropFirst() { trees[0].absorb(t) }
        return trees[0].format()
    }

    var kind: FusedNode.Kind { trees[0].kind }

    /// Calls `body(morsel, node, start, n)` for every chunk, each morsel on one worker,
    /// its chunks in order.
    private func each(_ body: @escaping (_ morsel: Int, _ node: FusedNode, _ start: Int, _ n: Int) -> Void) throws(FusedError) {
        let state = RunState()
        let trees = UncheckedBox(self.trees), body = UncheckedBox(body), interrupted = UncheckedBox(self.interrupted)
        let workers = trees.value.count, rows = self.rows, total = morsels, stop = self.stop
        let work: @Sendable (Int) -> Void = { w in
            let node = trees.value[w]
            var m = w
            while m < total, !state.stopped {
                if interrupted.value() {
                    state.stop(.interrupted(stop))
                    return
                }
                let end = min(rows, (m + 1) * Self.morsel)
                var start = m * Self.morsel
                while start < end {
                    let n = min(FusedNode.chunk, end - start)
                    do { try node.fill(start, n) } catch {
                        state.stop(.bail)
                        return
                    }
                    body.value(m, node, start, n)
                    start += n
                }
                m += workers
            }
        }
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        if let e = state.error { throw e }
    }

    /// The expression's column.
    func column() throws(FusedError) -> Column {
        let slots = Slots<[Int]>(morsels, [])
        let storage: ColumnStorage
        switch kind {
        case .number: storage = .number(try NumberCells(gathered(slots) { $0.numbers }))
        case .bool: storage = .bool(try gathered(slots) { $0.flags })
        case .date: throw .bail
        }
        var validity: Bitmap?
        for m in 0..<morsels where !slots[m].isEmpty {
            var v = validity ?? Bitmap(count: rows, value: true)
            for i in slots[m] { v[i] = false }
            validity = v
        }
        return Column(storage: storage, validity: validity, format: kind == .number ? format() : .plain)
    }

    /// Every row's value, written straight into the result array; the rows without one
    /// are listed in their morsel's slot.
    private func gathered<T>(_ slots: Slots<[Int]>, _ buffer: @escaping (FusedNode) -> UnsafeMutablePointer<T>) throws(FusedError) -> [T] {
        var failure: FusedError?
        let out = [T](unsafeUninitializedCapacity: rows) { b, initialized in
            initialized = 0
            guard let base = b.baseAddress else { return }
            do throws(FusedError) {
                try each { m, node, start, n in
                    (base + start).initialize(from: buffer(node), count: n)
                    if !node.dense { for i in 0..<n where !node.valid[i] { slots[m].append(start + i) } }
                }
                initialized = rows
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return out
    }

    /// The sum of the rows holding a number, added as `sum` defines it (each block of
    /// rows in order in two lanes, then the blocks in order), and how many there are.
    func sum() throws(FusedError) -> (sum: Double, count: Int) {
        let sums = Slots<LanedSum>(morsels, LanedSum()), counts = Slots<Int>(morsels, 0)
        try each { m, node, _, n in
            // A chunk starts on an even row, so its index i has the row's lane.
            var s = sums[m], k = 0
            let xs = node.numbers
            if node.dense {
                s.add(xs, count: n)
                k = n
            } else {
                let valid = node.valid
                for i in 0..<n where valid[i] { s.add(xs[i], row: i); k += 1 }
            }
            sums[m] = s
            counts[m] += k
        }
        var total = CompensatedSum(), count = 0
        for m in 0..<morsels {
            total.add(sums[m].value)
            count += counts[m]
        }
        return (total.value, count)
    }

    /// The number of rows holding a value; for a condition, of those where it is true.
    func count(trueOnly: Bool) throws(FusedError) -> Int {
        let counts = Slots<Int>(morsels, 0)
        try each { m, node, _, n in
            // Booleans read as bytes (0 or 1) and added: no branch per row.
            let flags = node.flags.bytes, valid = node.valid.bytes
            var k = 0
            switch (trueOnly, node.dense) {
            case (false, true): k = n
            case (false, false): for i in 0..<n { k &+= Int(valid[i]) }
            case (true, true): for i in 0..<n { k &+= Int(flags[i]) }
            case (true, false): for i in 0..<n { k &+= Int(valid[i] & flags[i]) }
            }
            counts[m] += k
        }
        return (0..<morsels).reduce(0) { $0 + counts[$1] }
    }
}

/// How a fused run ended without a result.
enum FusedError: Error {
    /// A row only the general path decides: evaluate the general way.
    case bail
    /// Ctrl-C.
    case interrupted(TallyError)
}

/// Whether the workers of a run must stop, and why.
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: FusedError?

    var stopped: Bool { lock.withLock { reason != nil } }
    var error: FusedError? { lock.withLock { reason } }

    func stop(_ why: FusedError) { lock.withLock { if reason == nil { reason = why } } }
}

/// One result slot per morsel; each morsel is written by one worker only.
private final class Slots<T>: @unchecked Sendable {
    private let values: UnsafeMutablePointer<T>
    private let count: Int

    init(_ count: Int, _ initial: T) {
        self.count = max(count, 1)
        values = .allocate(capacity: self.count)
        values.initialize(repeating: initial, count: self.count)
    }

    deinit {
        values.deinitialize(count: count)
        values.deallocate()
    }

    subscript(i: Int) -> T {
        get { values[i] }
        set { values[i] = newValue }
    }
}

/// Hands values that are only read (or written in disjoint parts) to the workers.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
