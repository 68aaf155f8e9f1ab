/// Numbers 64-bit keys in order of insertion: open addressing with linear probing (a
/// `Dictionary` of a million keys spends much of its time in its seeded hash). It starts
/// small and doubles when half full, so 10 million rows of few keys never take a table
/// sized for 10 million.
struct KeyIndex {
    private var keys: [UInt64]
    private var codes: [Int32]
    private var shift: UInt64
    private(set) var count = 0

    /// A table for `capacity` keys at first (at most 65,536 slots' worth: it grows).
    init(capacity: Int) {
        var size = 16, bits: UInt64 = 4
        while size < 2 * min(capacity, 1 << 15) { size <<= 1; bits += 1 }
        keys = [UInt64](repeating: 0, count: size)
        codes = [Int32](repeating: -1, count: size)
        shift = 64 - bits
    }

    /// Twice the slots, every key placed again (codes stay as they were).
    private mutating func grow() {
        let oldKeys = keys, oldCodes = codes
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        codes = [Int32](repeating: -1, count: oldKeys.count * 2)
        shift -= 1
        let mask = keys.count - 1
        for j in oldKeys.indices where oldCodes[j] >= 0 {
            var i = slot(oldKeys[j])
            while codes[i] >= 0 { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            codes[i] = oldCodes[j]
        }
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

    /// The code of `k`, numbering it when new.
    @inline(__always)
    mutating func insert(_ k: UInt64) -> Int32 {
        if count * 2 >= keys.count { grow() }
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
