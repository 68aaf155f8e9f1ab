/// Numbers 64-bit keys in order of insertion: open addressing with linear probing, sized
/// once for the most keys it will hold, so it never rehashes (a `Dictionary` of a million
/// keys spends much of its time growing and in its seeded hash).
struct KeyIndex {
    private var keys: [UInt64]
    private var codes: [Int32]
    private let shift: UInt64
    private(set) var count = 0

    /// A table for up to `capacity` keys.
    init(capacity: Int) {
        var size = 16, bits: UInt64 = 4
        while size < 2 * capacity { size <<= 1; bits += 1 }
        keys = [UInt64](repeating: 0, count: size)
        codes = [Int32](repeating: -1, count: size)
        shift = 64 - bits
    }

    @inline(__always)
    private func slot(_ k: UInt64) -> Int { Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The code of `k`, or -1 when it is not in the table.
    @inline(__always)
    func find(_ k: UInt64) -> Int32 {
        let mask = keys.count - 1
        var i = slot(k)
        while true {
            let c = codes[i]
            if c < 0 || keys[i] == k { return c }
            i = (i + 1) & mask
        }
    }

    /// The code of `k`, numbering it when new; the table must have room.
    @inline(__always)
    mutating func insert(_ k: UInt64) -> Int32 {
        let mask = keys.count - 1
        var i = slot(k)
        while true {
            let c = codes[i]
            if c < 0 { break }
            if keys[i] == k { return c }
            i = (i + 1) & mask
        }
        let c = Int32(truncatingIfNeeded: count)
        keys[i] = k
        codes[i] = c
        count += 1
        return c
    }
}
