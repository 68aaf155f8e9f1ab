/// Neumaier's compensated summation: money columns add up exactly to the cent
/// where a naive running sum drifts.
@frozen
public struct CompensatedSum: Sendable {
    @usableFromInline var sum = 0.0
    @usableFromInline var compensation = 0.0

    @inlinable
    public init() {}

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
    /// defines it: each block of `block` rows summed in order, then the blocks' sums in
    /// order, both compensated.
    public static func blocked(_ values: UnsafeBufferPointer<Double>, validity: Bitmap?, into total: inout CompensatedSum) {
        var start = 0
        while start < values.count {
            let end = Swift.min(values.count, start + block)
            var s = CompensatedSum()
            if let validity {
                validity.words.withUnsafeBufferPointer { w in
                    for i in start..<Swift.min(end, w.count << 6) where w[i >> 6] & (1 << UInt64(i & 63)) != 0 { s.add(values[i]) }
                }
            } else {
                for i in start..<end { s.add(values[i]) }
            }
            total.add(s.value)
            start = end
        }
    }
}
