/// A packed array of bits; columns use it to mark which cells hold a value.
public struct Bitmap: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public private(set) var count: Int

    /// `count` bits, all set to `value`.
    public init(count: Int, value: Bool) {
        self.count = count
        let n = (count + 63) >> 6
        words = Array(repeating: value ? ~0 : 0, count: n)
        if value, count & 63 != 0, n > 0 { words[n - 1] = (1 << UInt64(count & 63)) - 1 }
    }

    public init(_ bits: [Bool]) {
        self.init(count: bits.count, value: false)
        for (i, b) in bits.enumerated() where b { self[i] = true }
    }

    public subscript(i: Int) -> Bool {
        // Inlined into the other modules' loops: a call per row would cost more than the read.
        @inlinable get { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= (1 << UInt64(i & 63)) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
        }
    }

    /// Appends one bit.
    public mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        count += 1
        self[count - 1] = bit
    }

    /// The bits set in both (word by word; the counts must match).
    public func intersection(_ other: Bitmap) -> Bitmap {
        var out = self
        for w in 0..<min(words.count, other.words.count) { out.words[w] &= other.words[w] }
        return out
    }

    /// The bits as booleans, word by word.
    public func bools() -> [Bool] {
        [Bool](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count { out.initializeElement(at: i, to: words[i >> 6] & (1 << UInt64(i & 63)) != 0) }
            initialized = count
        }
    }

    /// Number of set bits.
    public var nonzeroCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
}
