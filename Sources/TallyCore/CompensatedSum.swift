/// Neumaier's compensated summation: money columns add up exactly to the cent
/// where a naive running sum drifts.
@frozen
public struct CompensatedSum: Sendable {
    @usableFromInline var sum = 0.0
    @usableFromInline var compensation = 0.0

    @inlinable
    public init() {}

    @inlinable @usableFromInline
    init(sum: Double, compensation: Double) {
        self.sum = sum
        self.compensation = compensation
    }

    // Inlined into the other modules' loops: a call per number would cost more than the add.
    @inlinable @inline(__always)
    public mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }

    @inlinable
    public var value: Double { sum + compensation }
}

extension CompensatedSum {
    /// Rows per block of `blocked(_:validity:into:)`. A sum is defined block by block so
    /// that it can be computed on several threads, block by block, and still give the
    /// same bits as one pass.
    public static let block = 65_536

    /// Adds `values` (the cells `validity` marks, all when nil) to `total` as `sum`
    /// defines it: each block of `block` rows summed in order in two lanes (`LanedSum`),
    /// then the blocks' sums in order, all compensated.
    public static func blocked(_ values: UnsafeBufferPointer<Double>, validity: Bitmap?, into total: inout CompensatedSum) {
        guard let base = values.baseAddress else { return }
        var start = 0
        while start < values.count {
            let end = Swift.min(values.count, start + block)
            var s = LanedSum()
            if let validity {
                validity.words.withUnsafeBufferPointer { w in
                    for i in start..<Swift.min(end, w.count << 6) where w[i >> 6] & (1 << UInt64(i & 63)) != 0 {
                        s.add(values[i], row: i)
                    }
                }
            } else {
                s.add(base + start, count: end - start)
            }
            total.add(s.value)
            start = end
        }
    }
}

/// A block's sum in two lanes: the rows of even and of odd index, each a compensated sum.
/// One running sum is a chain of dependent additions that waits on each one's latency; two
/// chains overlap, which makes `sum` over a column about twice as fast. A row's lane is
/// fixed by its index, so every way of adding a block (one pass, chunks on threads, with
/// empty cells skipped) gives the same bits.
@frozen
public struct LanedSum: Sendable {
    @usableFromInline var even = CompensatedSum()
    @usableFromInline var odd = CompensatedSum()

    @inlinable
    public init() {}

    /// Adds n numbers, the first of them in a row of even index. Both lanes go in one
    /// pair of SIMD registers: each lane does exactly the operations `CompensatedSum.add`
    /// does, so the bits are those of two separate sums.
    @inlinable
    public mutating func add(_ x: UnsafePointer<Double>, count n: Int) {
        var sum = SIMD2(even.sum, odd.sum), compensation = SIMD2(even.compensation, odd.compensation)
        let magnitude = SIMD2<UInt64>(repeating: 0x7FFF_FFFF_FFFF_FFFF)
        var i = 0
        while i + 1 < n {
            let v = SIMD2(x[i], x[i + 1])
            let t = sum + v
            let sumBigger = abs(sum, magnitude) .>= abs(v, magnitude)
            compensation += ((v - t) + sum).replacing(with: (sum - t) + v, where: sumBigger)
            sum = t
            i += 2
        }
        even = CompensatedSum(sum: sum[0], compensation: compensation[0])
        odd = CompensatedSum(sum: sum[1], compensation: compensation[1])
        if i < n { even.add(x[i]) }
    }

    /// |x| in each lane, by clearing the sign bits.
    @inlinable @inline(__always)
    func abs(_ x: SIMD2<Double>, _ magnitude: SIMD2<UInt64>) -> SIMD2<Double> {
        unsafeBitCast(unsafeBitCast(x, to: SIMD2<UInt64>.self) & magnitude, to: SIMD2<Double>.self)
    }

    /// Adds the number of one row.
    @inlinable @inline(__always)
    public mutating func add(_ x: Double, row: Int) {
        if row & 1 == 0 { even.add(x) } else { odd.add(x) }
    }

    /// Both lanes' sums and compensations, added compensated.
    @inlinable
    public var value: Double {
        var s = CompensatedSum()
        s.add(even.sum)
        s.add(odd.sum)
        s.add(even.compensation + odd.compensation)
        return s.value
    }
}
