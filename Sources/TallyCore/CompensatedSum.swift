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
