/// Re-reads one column of a chunk as text. Used when a column that looked typed turns
/// out to hold text: only that column is re-read, and only over the rows already parsed.
enum TextColumnReader {
    /// Appends one code per row of `base[start..<end]` to `codes` (0 for empty cells),
    /// skipping exactly the records the chunk parser skipped: blank lines, rows with the
    /// wrong field count, unterminated quotes (deterministic), and the records at
    /// `skipping` (offsets from `start`; rows whose forced type failed).
    static func read(base: UnsafePointer<UInt8>, start: Int, end: Int, delimiter: UInt8,
                     columnCount: Int, column j: Int, skipping: [Int],
                     into codes: inout RawBuffer<Int32>, interner: inout ByteInterner) {
        var tokenizer = RecordTokenizer(base: base, start: start, end: end, delimiter: delimiter)
        var scratch = RawBuffer<UInt8>(capacity: 256)
        defer { tokenizer.release(); scratch.release() }
        var nextSkip = 0
        while true {
            let recordStart = tokenizer.position
            switch tokenizer.next() {
            case .end:
                return
            case .blank:
                continue
            case .unterminated:
                var p = recordStart
                while p < end && base[p] != RecordTokenizer.lf { p &+= 1 }
                tokenizer.position = min(p &+ 1, end)
                continue
            case .record:
                break
            }
            guard tokenizer.fieldCount == columnCount else { continue }
            while nextSkip < skipping.count && skipping[nextSkip] < recordStart &- start { nextSkip &+= 1 }
            if nextSkip < skipping.count && skipping[nextSkip] == recordStart &- start { continue }
            let span = tokenizer.span(j)
            var p = base + span.start
            var n = span.end &- span.start
            switch span.quoting {
            case .none: break
            case .simple: p += 1; n &-= 2
            case .escaped:
                RecordTokenizer.unescape(base, span, into: &scratch)
                p = UnsafePointer(scratch.base); n = scratch.count
            }
            codes.append(n == 0 ? 0 : interner.intern(p, n).code)
        }
    }
}
