/// Numbers texts in insertion order, hashing their bytes with FNV-1a in an open-addressing
/// table: several times faster than `Dictionary<String, _>` and its seeded SipHash on the
/// 100,000-entry dictionaries of customer ids.
///
/// Only for ASCII texts: Swift compares other texts by canonical equivalence (the Kelvin
/// sign equals "K"), which bytes cannot tell, so `hash` returns nil for them and the caller
/// falls back to a `Dictionary`.
struct ASCIITextIndex {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var texts: [String] = []
    private let shift: UInt64

    /// A table for up to `capacity` texts (it does not grow).
    init(capacity: Int) {
        var size = 16, bits: UInt64 = 4
        while size < 2 * capacity { size <<= 1; bits += 1 }
        slots = [Int32](repeating: -1, count: size)
        shift = 64 - bits
        hashes.reserveCapacity(capacity)
        texts.reserveCapacity(capacity)
    }

    var count: Int { texts.count }

    /// The FNV-1a hash of an ASCII text's bytes; nil when the text is not ASCII.
    @inline(__always)
    static func hash(_ s: String) -> UInt64? {
        func fnv<S: Sequence<UInt8>>(_ bytes: S) -> UInt64? {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            var high: UInt8 = 0
            for b in bytes {
                high |= b
                h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
            }
            return high < 0x80 ? h : nil
        }
        // withUTF8 reads a small (inline) text from a stack copy; the UTF-8 view would
        // walk it index by index.
        var text = s
        return text.withUTF8 { fnv($0) }
    }

    @inline(__always)
    private func slot(_ h: UInt64) -> Int { Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The code of `s` (its hash `h`), or -1 when it is not in the table.
    @inline(__always)
    func find(_ s: String, hash h: UInt64) -> Int32 {
        let mask = slots.count - 1
        var i = slot(h)
        while true {
            let c = slots[i]
            if c < 0 { return -1 }
            if hashes[Int(c)] == h, texts[Int(c)] == s { return c }
            i = (i + 1) & mask
        }
    }

    /// The code of `s` (its hash `h`), numbering it when new; the table must have room.
    @inline(__always)
    mutating func insert(_ s: String, hash h: UInt64) -> Int32 {
        let mask = slots.count - 1
        var i = slot(h)
        while true {
            let c = slots[i]
            if c < 0 { break }
            if hashes[Int(c)] == h, texts[Int(c)] == s { return c }
            i = (i + 1) & mask
        }
        let c = Int32(texts.count)
        slots[i] = c
        hashes.append(h)
        texts.append(s)
        return c
    }

    /// Each text's code, equal texts sharing one (numbered in order of first appearance);
    /// nil when a text is not ASCII.
    static func codes(_ texts: [String]) -> (codes: [Int32], count: Int)? {
        codes(texts, check: { () throws(Never) in })
    }

    /// `codes(_:)`, calling `check` every 65,536 texts so that a caller can stop it (Ctrl-C).
    static func codes<E: Error>(_ texts: [String], check: () throws(E) -> Void) throws(E) -> (codes: [Int32], count: Int)? {
        var index = ASCIITextIndex(capacity: texts.count)
        var out = [Int32](repeating: 0, count: texts.count)
        for (k, s) in texts.enumerated() {
            if k & 0xFFFF == 0xFFFF { try check() }
            guard let h = hash(s) else { return nil }
            out[k] = index.insert(s, hash: h)
        }
        return (out, index.count)
    }
}
