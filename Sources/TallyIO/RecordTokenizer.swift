/// Where one field lies in the chunk's bytes.
struct FieldSpan {
    /// Offsets into the chunk; for a quoted field `start` is the opening quote.
    var start: Int
    var end: Int
    var quoting: Quoting

    enum Quoting: UInt8 {
        /// The bytes are the value.
        case none
        /// `"..."` with no doubled quotes inside: the value is the bytes between the quotes.
        case simple
        /// Doubled quotes inside, or text after the closing quote: needs `unescape`.
        case escaped
    }
}

/// Splits bytes into records and fields (RFC 4180, plus the usual leniencies).
///
/// A quote is special only at the start of a field; inside a quoted field `""` is one
/// quote and the field may span lines; text after the closing quote is kept (`"a"b` is
/// `ab`). Records end at LF, and a CR before the LF is dropped. A line with no bytes is a
/// blank record (skipped by the caller).
///
/// Speed: the unquoted-field loop has no bounds check and reads words; the byte at `end`
/// must be LF (a sentinel) or the bytes must end with LF, and 8 bytes past `end` must be
/// readable.
struct RecordTokenizer {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let quote: UInt8 = 0x22
    static let tab: UInt8 = 0x09

    let base: UnsafePointer<UInt8>
    let end: Int
    let delimiter: UInt8
    /// The start of the next record.
    var position: Int
    /// The fields of the last record (from `firstSpan`); with `keepSpans`, of every record
    /// since the caller last cleared them.
    var spans: RawBuffer<FieldSpan>
    var firstSpan = 0
    var keepSpans = false
    /// Line breaks consumed by the last record, its own terminator included.
    var newlines = 0
    /// For `.unterminated`: line breaks before the opening quote, and the field number.
    var openQuoteNewlines = 0
    var openQuoteField = 0

    enum Status { case record, blank, end, unterminated }

    init(base: UnsafePointer<UInt8>, start: Int, end: Int, delimiter: UInt8) {
        self.base = base
        self.end = end
        self.delimiter = delimiter
        position = start
        spans = RawBuffer(capacity: 16)
    }

    mutating func release() { spans.release() }

    var fieldCount: Int { spans.count &- firstSpan }

    /// Field `k` of the last record.
    @inline(__always)
    func span(_ k: Int) -> FieldSpan { spans[firstSpan &+ k] }

    mutating func next() -> Status {
        var p = position
        guard p < end else { return .end }
        if !keepSpans { spans.removeAll() }
        firstSpan = spans.count
        newlines = 0
        let delim = delimiter
        let lf = RecordTokenizer.lf
        let cr = RecordTokenizer.cr
        if base[p] == lf {
            position = p &+ 1; newlines = 1
            return .blank
        }
        if base[p] == cr && (p &+ 1 == end || base[p &+ 1] == lf) {
            newlines = p &+ 1 < end ? 1 : 0
            position = min(p &+ 2, end)
            return .blank
        }
        while true {
            if base[p] == RecordTokenizer.quote && p < end {
                guard let next = quotedField(from: p) else { return .unterminated }
                p = next
            } else {
                let e = stop(from: p)
                var fieldEnd = e
                if base[e] == lf && fieldEnd > p && base[fieldEnd &- 1] == cr { fieldEnd &-= 1 }
                spans.append(FieldSpan(start: p, end: fieldEnd, quoting: .none))
                p = e
            }
            if p >= end {
                position = end
                return .record
            }
            if base[p] == delim {
                p &+= 1
                continue
            }
            newlines &+= 1
            position = p &+ 1
            return .record
        }
    }

    /// The first delimiter or LF at or after `e`, eight bytes at a time (SWAR). Reads up to
    /// 7 bytes past the stop: every buffer given to the tokenizer has padding there.
    @inline(__always)
    private func stop(from e0: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimWord = UInt64(delimiter) &* ones
        let lfWord = UInt64(RecordTokenizer.lf) &* ones
        var e = e0
        while true {
            let w = UInt64(littleEndian: UnsafeRawPointer(base + e).loadUnaligned(as: UInt64.self))
            let a = w ^ delimWord
            let b = w ^ lfWord
            // The lowest flagged byte of each is exact (borrows only flag bytes above it).
            let m = (((a &- ones) & ~a) | ((b &- ones) & ~b)) & highs
            if m != 0 { return e &+ (m.trailingZeroBitCount >> 3) }
            e &+= 8
        }
    }

    /// Reads a quoted field starting at the quote `p`; returns the offset of the delimiter
    /// or LF after it (or `end`), or nil when the quote never closes.
    private mutating func quotedField(from p: Int) -> Int? {
        var q = p &+ 1
        var quoting = FieldSpan.Quoting.simple
        let quote = RecordTokenizer.quote
        let opened = newlines
        while true {
            guard q < end else {
                openQuoteNewlines = opened
                openQuoteField = spans.count &- firstSpan &+ 1
                return nil
            }
            let b = base[q]
            if b == quote {
                if q &+ 1 < end && base[q &+ 1] == quote {
                    quoting = .escaped
                    q &+= 2
                    continue
                }
                q &+= 1
                break
            }
            if b == RecordTokenizer.lf { newlines &+= 1 }
            q &+= 1
        }
        // After the closing quote: normally a delimiter or a line end right away.
        var e = q
        while e < end && base[e] != delimiter && base[e] != RecordTokenizer.lf { e &+= 1 }
        var fieldEnd = e
        if e < end && base[e] == RecordTokenizer.lf && fieldEnd > q && base[fieldEnd &- 1] == RecordTokenizer.cr {
            fieldEnd &-= 1
        } else if e == end && fieldEnd > q && base[fieldEnd &- 1] == RecordTokenizer.cr {
            fieldEnd &-= 1
        }
        if fieldEnd > q { quoting = .escaped }
        spans.append(FieldSpan(start: p, end: fieldEnd, quoting: quoting))
        return e
    }

    /// The value bytes of an `.escaped` field, written to `out` (which is cleared first).
    static func unescape(_ base: UnsafePointer<UInt8>, _ span: FieldSpan, into out: inout RawBuffer<UInt8>) {
        out.removeAll()
        var i = span.start
        var inQuotes = false
        while i < span.end {
            let b = base[i]
            if b == quote {
                if inQuotes && i &+ 1 < span.end && base[i &+ 1] == quote {
                    out.append(quote)
                    i &+= 2
                    continue
                }
                inQuotes.toggle()
            } else {
                out.append(b)
            }
            i &+= 1
        }
        // Slack so that word loads past the end stay inside the buffer.
        out.reserveSlack(8)
    }
}
