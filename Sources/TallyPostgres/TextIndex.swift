import Foundation

/// The codes of a fetched text column's distinct texts, found by their UTF-8 bytes as they
/// arrive: a text seen before costs one hash of its bytes and one comparison, with no String
/// made and none hashed (Swift hashes a String in its normalized form, which for 华东 means
/// normalizing every cell). 16 bytes per distinct text, about half of a [String: Int32].
struct TextIndex: Sendable {
    /// Code + 1 per slot, 0 for none; a power of two long, at most half full.
    private var slots: [Int32]
    /// Each code's hash.
    private var hashes: [UInt64] = []

    init(capacity: Int = 0) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        slots = Array(repeating: 0, count: n)
        hashes.reserveCapacity(capacity)
    }

    /// FNV-1a over the bytes, then mixed so that the low bits (the slot) depend on all of them.
    static func hash(_ p: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in p { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        return h ^ (h >> 33)
    }

    /// The hash of a text's UTF-8 bytes.
    static func hash(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// The code of the text whose UTF-8 bytes are `p` among `texts` (the dictionary), if any.
    func find(_ p: UnsafeRawBufferPointer, hash h: UInt64, in texts: [String]) -> Int32? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] != 0 {
            let code = Int(slots[i] - 1)
            if hashes[code] == h && TextIndex.same(texts[code], p) { return Int32(code) }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds the next code (`texts.count - 1` of the dictionary it indexes) with its hash.
    mutating func add(hash h: UInt64) {
        hashes.append(h)
        if hashes.count * 2 > slots.count {
            slots = Array(repeating: 0, count: slots.count * 2)
            for code in hashes.indices { place(code) }
        } else {
            place(hashes.count - 1)
        }
    }

    private mutating func place(_ code: Int) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hashes[code]) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Int32(truncatingIfNeeded: code + 1)
    }

    /// Whether `s` is exactly the bytes `p`.
    static func same(_ s: String, _ p: UnsafeRawBufferPointer) -> Bool {
        var s = s
        return s.withUTF8 { u in
            guard u.count == p.count, let a = u.baseAddress, let b = p.baseAddress else { return u.count == p.count }
            return memcmp(a, b, p.count) == 0
        }
    }
}
