import TallyCore

/// Validity bits appended a chunk at a time. Stays a bare count until the first empty
/// cell, so columns without empties cost nothing.
struct BitBuilder {
    private var words: [UInt64] = []
    private var count = 0
    private var materialized = false

    mutating func appendTrue(_ n: Int) {
        guard materialized else { count &+= n; return }
        var left = n
        while left > 0 {
            let used = count & 63
            if used == 0 { words.append(0) }
            let take = min(64 &- used, left)
            let mask: UInt64 = take == 64 ? ~0 : ((1 &<< UInt64(take)) &- 1) &<< UInt64(used)
            words[words.count &- 1] |= mask
            count &+= take
            left &-= take
        }
    }

    /// Appends `n` bits from `src` (bit i of the chunk is bit i&63 of word i>>6).
    mutating func append(words src: UnsafePointer<UInt64>, count n: Int) {
        if !materialized {
            materialized = true
            let prior = count
            count = 0
            appendTrue(prior)
        }
        let shift = UInt64(count & 63)
        let wordCount = (n &+ 63) >> 6
        for k in 0..<wordCount {
            var w = src[k]
            let bitsHere = min(64, n &- k &* 64)
            if bitsHere < 64 { w &= (1 &<< UInt64(bitsHere)) &- 1 }
            if shift == 0 {
                words.append(w)
            } else {
                words[words.count &- 1] |= w &<< shift
                if UInt64(bitsHere) &+ shift > 64 { words.append(w &>> (64 &- shift)) }
            }
            count &+= bitsHere
        }
    }

    func isSet(_ i: Int) -> Bool {
        !materialized || words[i >> 6] & (1 &<< UInt64(i & 63)) != 0
    }

    /// Nil when every bit is set.
    func bitmap(count total: Int) -> Bitmap? {
        guard materialized else { return nil }
        var bits = Bitmap(count: total, value: true)
        var any = false
        for (k, w) in words.enumerated() where w != ~0 {
            var zeros = ~w
            while zeros != 0 {
                let i = k &* 64 &+ zeros.trailingZeroBitCount
                if i >= total { break }
                bits[i] = false
                any = true
                zeros &= zeros &- 1
            }
        }
        return any ? bits : nil
    }
}
