import Foundation
import TallyCore

/// One group's running totals, indexed by dictionary code: exact money in integer cents,
/// the number of rows, and the latest date seen. 16 bytes, so one row touches one cache line.
struct GroupPartial {
    var cents: Int64 = 0
    var count: Int32 = 0
    var last: Int32 = .min
}

/// Row counts gathered while grouping.
struct GroupRowStats {
    /// Rows whose key, date or amount is empty (validity bit clear) or whose key code is
    /// outside the dictionary.
    var emptyRows = 0
    /// Rows whose amount is NaN, infinite, or too large to hold in 64-bit cents.
    var badAmountRows = 0
    /// Rows dated after `asof`.
    var rowsAfterAsof = 0
    /// Set when a group's cent total overflowed.
    var overflow = false

    mutating func add(_ o: GroupRowStats) {
        emptyRows += o.emptyRows
        badAmountRows += o.badAmountRows
        rowsAfterAsof += o.rowsAfterAsof
        overflow = overflow || o.overflow
    }
}

/// The grouped totals of a code-indexed aggregation, one slot per dictionary code.
struct GroupTotals {
    var partials: [GroupPartial]
    var stats: GroupRowStats
}

/// Groups rows by dictionary code with flat arrays indexed by the code: no hashing per row.
/// Money is summed exactly in integer cents (`(amount * 100).rounded()`). Large inputs are
/// split into contiguous row ranges summed on separate threads into private arrays, then
/// merged code by code.
enum GroupKernel {
    /// Amounts whose cent value is at or beyond this magnitude are refused (about 90 trillion).
    static let maxCents = 9.0e15
    /// Below this many rows one thread does the work (thread start-up and the merge cost more).
    static let parallelThreshold = 400_000

    /// Worker threads: the requested number, else one per core (at most 8) from
    /// `parallelThreshold` rows on. Measured on the shared 2-core bench machine (noisy):
    /// 10M rows / 1M customers, one thread 0.15 s, two threads 0.11 s at best (but up to
    /// 0.2 s while the other core was busy; the two private 16 MB slot arrays compete for
    /// the cache, so two threads spend 1.2-1.4x the CPU); 1M rows / 100k customers,
    /// 7 ms against 5.7 ms. The split pays when the second core is idle.
    static func threadCount(rows n: Int, requested: Int?) -> Int {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let threads = requested ?? (n >= parallelThreshold ? min(cores, 8) : 1)
        return max(1, min(threads, max(1, n / 64)))
    }

    /// Why inputs were refused before grouping.
    enum InputError: Error { case lengths(String), validity(String) }

    /// Rows summed between two calls of `stop` (a multiple of 64: a mask word stays in one step).
    /// 131,072 rows take about 40 ms in a debug build, so Ctrl-C stops well within 0.2 s;
    /// a step costs one dispatch, nothing measurable in a release build.
    static let stopStep = 1 << 17

    /// Sums `amounts` (and tracks the latest of `dates`, when given) per code. `stop` is
    /// asked every `stopStep` rows (Ctrl-C); once it says true the totals are incomplete
    /// and the caller must drop them.
    static func group(
        codes: [Int32], dictionarySize: Int, dates: [Int32]?, amounts: [Double],
        validity: [Bitmap?], asof: Int32, threads requested: Int?, stop: () -> Bool = { false }
    ) throws(InputError) -> GroupTotals {
        let n = codes.count
        guard amounts.count == n else { throw .lengths("\(n) keys but \(amounts.count) amounts") }
        if let dates, dates.count != n { throw .lengths("\(n) keys but \(dates.count) dates") }
        for bm in validity.compactMap({ $0 }) where bm.count != n {
            throw .validity("\(bm.count) bits for \(n) rows")
        }
        let mask = combinedMask(validity.compactMap { $0 }, rows: n)
        let size = dictionarySize
        let threads = threadCount(rows: n, requested: requested)

        let slots = UnsafeMutableBufferPointer<GroupPartial>.allocate(capacity: max(1, size * threads))
        slots.initialize(repeating: GroupPartial())
        let statSlots = UnsafeMutableBufferPointer<GroupRowStats>.allocate(capacity: threads)
        statSlots.initialize(repeating: GroupRowStats())
        defer { slots.deallocate(); statSlots.deallocate() }
        let shared = SharedSlots(slots: slots, stats: statSlots)

        codes.withUnsafeBufferPointer { cp in
            amounts.withUnsafeBufferPointer { ap in
                withOptionalBuffer(dates) { dp in
                    withOptionalBuffer(mask) { mp in
                        let input = KernelInput(codes: cp, amounts: ap, dates: dp, mask: mp, size: size, asof: asof)
                        var from = 0
                        while from < n {
                            let to = min(n, from + stopStep)
                            if threads == 1 {
                                shared.stats[0].add(accumulate(input, rows: from..<to, into: shared.slots.baseAddress))
                            } else {
                                // Row chunks start on multiples of 64 so each mask word belongs to one chunk.
                                let words = (to - from + 63) / 64
                                let bounds = (0...threads).map { min(to, from + ($0 * words / threads) * 64) }
                                DispatchQueue.concurrentPerform(iterations: threads) { t in
                                    let base = shared.slots.baseAddress.map { $0 + t * size }
                                    shared.stats[t].add(accumulate(input, rows: bounds[t]..<bounds[t + 1], into: base))
                                }
                            }
                            from = to
                            if from < n && stop() { break }
                        }
                    }
                }
            }
        }
        var stats = GroupRowStats()
        for t in 0..<threads { stats.add(statSlots[t]) }
        var out = Array(slots[0..<size])
        for t in 1..<threads {
            let off = t * size
            for c in 0..<size {
                let p = slots[off + c]
                if p.count == 0 { continue }
                let (s, o) = out[c].cents.addingReportingOverflow(p.cents)
                out[c].cents = s
                if o { stats.overflow = true }
                out[c].count &+= p.count
                if p.last > out[c].last { out[c].last = p.last }
            }
        }
        return GroupTotals(partials: out, stats: stats)
    }

    /// The AND of the given bitmaps' words; nil when none was given (every row valid).
    static func combinedMask(_ maps: [Bitmap], rows: Int) -> [UInt64]? {
        guard var words = maps.first?.words else { return nil }
        for m in maps.dropFirst() {
            for i in 0..<min(words.count, m.words.count) { words[i] &= m.words[i] }
        }
        words = Array(words.prefix((rows + 63) / 64))
        return words
    }

    /// The per-thread loop over `rows`, writing into the thread's own slot array.
    @inline(__always)
    static func accumulate(_ input: KernelInput, rows: Range<Int>, into slots: UnsafeMutablePointer<GroupPartial>?) -> GroupRowStats {
        var stats = GroupRowStats()
        guard let slots, !rows.isEmpty else { return stats }
        let limit = UInt32(truncatingIfNeeded: input.size)
        let codes = input.codes, amounts = input.amounts
        var afterAsof = 0, bad = 0, empty = 0
        var overflow = false

        @inline(__always) func row(_ i: Int, _ dates: UnsafeBufferPointer<Int32>?) {
            let code = codes[i]
            guard UInt32(bitPattern: code) < limit else { empty += 1; return }
            let c = (amounts[i] * 100).rounded()
            guard abs(c) < maxCents else { bad += 1; return }
            let p = slots + Int(code)
            let (s, o) = p.pointee.cents.addingReportingOverflow(Int64(c))
            p.pointee.cents = s
            overflow = overflow || o
            p.pointee.count &+= 1
            if let dates {
                let d = dates[i]
                if d > p.pointee.last { p.pointee.last = d }
                if d > input.asof { afterAsof += 1 }
            }
        }

        if let mask = input.mask {
            // Rows come in whole 64-row words here (chunks start on multiples of 64).
            var start = rows.lowerBound
            while start < rows.upperBound {
                let end = min(start + 64, rows.upperBound)
                let word = mask[start >> 6]
                if word == ~0 || (end - start < 64 && word == (UInt64(1) << UInt64(end - start)) - 1) {
                    if let d = input.dates { for i in start..<end { row(i, d) } } else { for i in start..<end { row(i, nil) } }
                } else {
                    for i in start..<end {
                        if word & (1 << UInt64(i & 63)) != 0 { row(i, input.dates) } else { empty += 1 }
                    }
                }
                start = end
            }
        } else if let d = input.dates {
            for i in rows { row(i, d) }
        } else {
            for i in rows { row(i, nil) }
        }
        stats.emptyRows = empty
        stats.badAmountRows = bad
        stats.rowsAfterAsof = afterAsof
        stats.overflow = overflow
        return stats
    }
}

/// Read-only views of the inputs, shared by the worker threads.
struct KernelInput: @unchecked Sendable {
    let codes: UnsafeBufferPointer<Int32>
    let amounts: UnsafeBufferPointer<Double>
    let dates: UnsafeBufferPointer<Int32>?
    let mask: UnsafeBufferPointer<UInt64>?
    let size: Int
    let asof: Int32
}

/// The output slots; each thread writes only its own range of `slots` and its own `stats[t]`.
struct SharedSlots: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<GroupPartial>
    let stats: UnsafeMutableBufferPointer<GroupRowStats>
}

/// Calls `body` with a buffer over `array`, or with nil when there is no array.
@inline(__always)
func withOptionalBuffer<T, R>(_ array: [T]?, _ body: (UnsafeBufferPointer<T>?) -> R) -> R {
    if let array { return array.withUnsafeBufferPointer { body($0) } }
    return body(nil)
}
