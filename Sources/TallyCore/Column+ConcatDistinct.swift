extension Column {
    /// `count_distinct(a & b)` without making `a & b`: the number of different texts the
    /// concatenation would hold, counted as different pairs of distinct texts.
    ///
    /// That is exact only when different pairs always read as different texts: both sides'
    /// texts are ASCII (Swift's canonical equivalence is then byte equality), equal texts of
    /// a side are one entry (the dictionaries are deduplicated first), and one side's texts
    /// all have one length in bytes (its part of a pair text is then known, so "a" & "bc"
    /// and "ab" & "c" cannot both occur). Returns nil otherwise, or for mixed cells, unequal
    /// lengths or when `cancelled` (polled every 65,536 rows) turns true: the caller then
    /// makes the column and counts it.
    public static func distinctConcatenationCount(_ a: Column, _ b: Column, cancelled: () -> Bool = { false }) -> Int? {
        guard a.count == b.count, let x = a.textPieces(), let y = b.textPieces(),
              let cx = ASCIITextIndex.codes(x.texts), let cy = ASCIITextIndex.codes(y.texts),
              oneWidth(x.texts) || oneWidth(y.texts) else { return nil }
        let n = a.count
        let width = max(cy.count, 1)
        let (span, overflow) = max(cx.count, 1).multipliedReportingOverflow(by: width)
        guard !overflow else { return nil }
        var distinct = 0
        // Few possible pairs: one bit each (at most 8 bytes a row); otherwise a hash of the pairs seen.
        if span <= 64 * max(n, 1 << 16) {
            var seen = [UInt64](repeating: 0, count: (span + 63) / 64)
            for i in 0..<n {
                if i & 0xFFFF == 0xFFFF, cancelled() { return nil }
                let p = Int(cx.codes[Int(x.codes[i])]) * width + Int(cy.codes[Int(y.codes[i])])
                let bit: UInt64 = 1 << UInt64(p & 63)
                if seen[p >> 6] & bit == 0 {
                    seen[p >> 6] |= bit
                    distinct += 1
                }
            }
        } else {
            var pairs = KeyIndex(capacity: n)
            for i in 0..<n {
                if i & 0xFFFF == 0xFFFF, cancelled() { return nil }
                let p = UInt64(cx.codes[Int(x.codes[i])]) * UInt64(width) + UInt64(cy.codes[Int(y.codes[i])])
                _ = pairs.insert(p)
            }
            distinct = pairs.count
        }
        return distinct
    }

    /// Every text has the same length in bytes.
    static func oneWidth(_ texts: [String]) -> Bool {
        let w = texts.first?.utf8.count ?? 0
        return texts.allSatisfy { $0.utf8.count == w }
    }
}
