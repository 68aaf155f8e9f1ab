/// A set of numbers that only counts: open addressing with linear probing over the bit
/// patterns, several times faster than `Set<Double>` on millions of values.
public struct DistinctNumbers: Sendable {
    private static let vacant = UInt64.max
    private var slots = [UInt64](repeating: DistinctNumbers.vacant, count: 1024)
    private var shift = 54
    public private(set) var count = 0

    public init() {}

    @inline(__always)
    public mutating func insert(_ x: Double) {
        let bits = x == 0 ? 0 : (x.isNaN ? Double.nan.bitPattern : x.bitPattern)
        if place(bits) { count += 1; if count * 2 > slots.count { grow() } }
    }

    /// Puts `bits` in its slot; false when it was there already.
    @inline(__always)
    private mutating func place(_ bits: UInt64) -> Bool {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> UInt64(shift))
        while true {
            let s = slots[i]
            if s == bits { return false }
            if s == Self.vacant { slots[i] = bits; return true }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: Self.vacant, count: old.count * 2)
        shift -= 1
        for b in old where b != Self.vacant { _ = place(b) }
    }
}
