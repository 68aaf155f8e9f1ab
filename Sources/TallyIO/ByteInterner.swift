#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Interns byte strings: equal bytes get equal codes, codes count up from 0 in order of
/// first appearance. This is how text cells become dictionary-encoded without building a
/// Swift `String` per cell.
///
/// Open addressing with linear probing over 16-byte slots that carry the full 64-bit
/// hash, the code and the length. For strings of at most 8 bytes the hash is a bijection
/// of the (zero-padded) bytes, so a hash and length match *is* equality and a lookup
/// touches one slot and nothing else: most keys in sales data (ids, channels, regions)
/// are that short. Longer strings compare bytes in the arena after a hash match.
///
/// `@unchecked Sendable`: it is handed from the thread that fills it to the one that
/// merges it, never used by two at once.
struct ByteInterner: @unchecked Sendable {
    struct Slot {
        var hash: UInt64
        var code: Int32
        var length: Int32
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    /// The bytes of every entry, back to back.
    private(set) var arena: RawBuffer<UInt8>
    /// Entry `i` is `arena[starts[i] ..< starts[i + 1]]`.
    private(set) var starts: RawBuffer<Int>
    private(set) var hashes: RawBuffer<UInt64>
    /// Folds prefetching loads so they are not optimised away.
    private var touched: UInt64 = 0

    init(slotCount: Int = 64) {
        var n = 16
        while n < slotCount { n &*= 2 }
        slots = ByteInterner.makeSlots(n)
        mask = n &- 1
        arena = RawBuffer(capacity: 256)
        starts = RawBuffer(capacity: 64)
        starts.append(0)
        hashes = RawBuffer(capacity: 64)
    }

    private static func makeSlots(_ n: Int) -> UnsafeMutablePointer<Slot> {
        let raw = PageMemory.allocate(n &* MemoryLayout<Slot>.stride)
        memset(raw, 0xFF, n &* MemoryLayout<Slot>.stride)  // code -1 marks an empty slot
        return raw.bindMemory(to: Slot.self, capacity: n)
    }

    var count: Int { hashes.count }

    /// Empties it, keeping the memory (so a reused table is not faulted in again).
    mutating func removeAll() {
        memset(slots, 0xFF, (mask &+ 1) &* MemoryLayout<Slot>.stride)
        arena.removeAll()
        starts.removeAll()
        starts.append(0)
        hashes.removeAll()
    }

    mutating func release() {
        PageMemory.free(slots, bytes: (mask &+ 1) &* MemoryLayout<Slot>.stride)
        arena.release()
        starts.release()
        hashes.release()
    }

    // MARK: hashing

    @inline(__always)
    static func mix(_ x0: UInt64) -> UInt64 {
        var x = x0
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    /// The first `n` (< 8) bytes at `p` as a little-endian word, zero-padded. Reads 8 bytes:
    /// every buffer handed to the interner has at least 8 readable bytes past its end.
    @inline(__always)
    static func word(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let w = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        return n >= 8 ? w : w & ((1 &<< UInt64(truncatingIfNeeded: n &* 8)) &- 1)
    }

    /// Bijective in the bytes for `n <= 8` (for a fixed `n`).
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        if n <= 8 { return mix(word(p, n) ^ (UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15)) }
        return longHash(p, n)
    }

    static func longHash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i &+ 8 <= n {
            let w = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            h = ((h ^ (w &* 0x87c3_7b91_1142_53d5)) << 27 | (h ^ (w &* 0x87c3_7b91_1142_53d5)) >> 37) &* 0x4cf5_ad43_2745_937f
            i &+= 8
        }
        if i < n { h ^= mix(word(p + i, n &- i)) }
        return mix(h)
    }

    // MARK: interning

    /// The code of the bytes `p[0..<n]`, adding them when new. `isNew` tells the caller to
    /// validate the bytes once (they are then known good for every later occurrence).
    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> (code: Int32, isNew: Bool) {
        intern(p, n, hash: ByteInterner.hash(p, n))
    }

    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64) -> (code: Int32, isNew: Bool) {
        let len32 = Int32(truncatingIfNeeded: n)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s.code < 0 { break }
            if s.hash == h && s.length == len32 && (n <= 8 || sameBytes(s.code, p, n)) {
                return (s.code, false)
            }
            i = (i &+ 1) & mask
        }
        let code = Int32(truncatingIfNeeded: hashes.count)
        slots[i] = Slot(hash: h, code: code, length: len32)
        arena.append(contentsOf: p, count: n)
        starts.append(arena.count)
        hashes.append(h)
        if hashes.count &* 4 > mask &* 3 { rehash() }
        return (code, true)
    }

    /// Reads the slot a hash starts at, to bring it into cache ahead of `intern`.
    @inline(__always)
    func peek(_ h: UInt64) -> UInt64 { slots[Int(truncatingIfNeeded: h) & mask].hash }

    @inline(__always)
    private func sameBytes(_ code: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let c = Int(code)
        let start = starts[c]
        return starts[c &+ 1] &- start == n && memcmp(arena.base + start, p, n) == 0
    }

    private mutating func rehash() {
        let oldMask = mask
        let old = slots
        let n = (oldMask &+ 1) &* 2
        slots = ByteInterner.makeSlots(n)
        mask = n &- 1
        for j in 0...oldMask {
            let s = old[j]
            guard s.code >= 0 else { continue }
            var i = Int(truncatingIfNeeded: s.hash) & mask
            while slots[i].code >= 0 { i = (i &+ 1) & mask }
            slots[i] = s
        }
        PageMemory.free(old, bytes: (oldMask &+ 1) &* MemoryLayout<Slot>.stride)
    }

    // MARK: entries

    /// The bytes of entry `code`.
    @inline(__always)
    func bytes(_ code: Int) -> (pointer: UnsafePointer<UInt8>, count: Int) {
        let s = starts[code]
        return (UnsafePointer(arena.base + s), starts[code &+ 1] &- s)
    }

    /// Adds the entries `range` of `other` (in order) and returns their codes here.
    /// Touches the slot of the entry eight ahead, so the table's cache misses overlap.
    mutating func merge(_ other: ByteInterner, range: Range<Int>) -> [Int32] {
        var remap = [Int32](repeating: 0, count: range.count)
        var sink: UInt64 = 0
        remap.withUnsafeMutableBufferPointer { out in
            var k = 0
            for e in range {
                if e &+ 8 < range.upperBound { sink ^= peek(other.hashes[e &+ 8]) }
                let (p, n) = other.bytes(e)
                out[k] = intern(p, n, hash: other.hashes[e]).code
                k &+= 1
            }
        }
        touched ^= sink
        return remap
    }

    /// Adds every entry of `other`; `result[i]` is the code here of `other`'s entry `i`.
    mutating func merge(_ other: ByteInterner) -> [Int32] { merge(other, range: 0..<other.count) }

    /// The entries as strings, in code order. The bytes must be valid UTF-8 (the parser
    /// validates each entry when it is first added).
    func strings() -> [String] {
        (0..<count).map { e in
            let (p, n) = bytes(e)
            return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        }
    }
}
