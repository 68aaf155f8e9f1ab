/// Neumaier's compensated summation: money columns add up exactly to the cent
/// where a naive running sum drifts.
public struct CompensatedSum: Sendable {
    private var sum = 0.0
    private var compensation = 0.0

    public init() {}

    @inline(__always)
    public mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }

    public var value: Double { sum + compensation }
}
