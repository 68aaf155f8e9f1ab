#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TallyCore

/// Settings shared by the parsers of every chunk of one load.
struct ParseConfig: Sendable {
    var delimiter: UInt8
    var names: [String]
    /// Per column: the forced kind, or `.undecided` to infer.
    var forced: [ColumnKind]
    var datePattern: DatePattern?
    var skipBadRows: Bool
    /// False when the bytes came out of iconv (already valid UTF-8).
    var validateUTF8: Bool
    var rowsHint: Int

    var columnCount: Int { names.count }
    var hasForcedTypes: Bool { forced.contains { $0 != .undecided && $0 != .text } }
}

/// A problem that stops the load (under `.fail`), found inside a chunk.
struct ChunkProblem: Sendable {
    /// Relative to the chunk's first line.
    var line: Int
    var column: Int?
    var message: String
    var isEncoding = false
}

/// Parses the records of one chunk into `ColumnChunk`s.
///
/// Records are tokenized a batch at a time, then each column is filled from the batch.
/// Going column by column keeps one kind of work in the loop, and lets text columns hash
/// the whole batch first and touch their hash slots, so the cache misses of a large
/// dictionary (a million customer ids) overlap instead of stalling one after another.
///
/// Type inference, without a second pass: each column takes the kind of its first
/// non-empty cell in the chunk. When a later cell does not fit, the column turns into
/// text at once: the rows already read are re-read from the chunk's bytes (which are in
/// memory) for that column only, so the dictionary keeps first-appearance order. Chunks
/// that disagree are reconciled as they are merged (`ColumnAccumulator`).
struct ChunkParser {
    /// Rows per batch: 128, fewer for very wide files so a batch's spans stay small.
    let batchRows: Int

    let config: ParseConfig
    let base: UnsafeMutablePointer<UInt8>
    let start: Int
    let end: Int
    let result: ChunkResult
    let cols: UnsafeMutablePointer<ColumnChunk>
    let columnCount: Int
    var tokenizer: RecordTokenizer
    var scratch = RawBuffer<UInt8>(capacity: 256)
    /// The batch: record start offsets and lines; spans are in `tokenizer.spans`.
    var batchStarts: RawBuffer<Int>
    var batchLines: RawBuffer<Int>
    var hashes: RawBuffer<UInt64>
    /// Line of the next record, relative to the chunk's first line.
    var line = 0
    let allowThousandsUnquoted: Bool

    /// Parses `base[start..<end]`; `base[end]` must be writable (it becomes an LF sentinel).
    static func parse(base: UnsafeMutablePointer<UInt8>, start: Int, end: Int,
                      config: ParseConfig, pool: ColumnPool? = nil, sourceOffset: Int) -> ChunkResult {
        base[end] = RecordTokenizer.lf
        let result = ChunkResult(config: config, pool: pool, sourceOffset: sourceOffset, byteCount: end &- start)
        var parser = ChunkParser(config: config, base: base, start: start, end: end, result: result)
        parser.run()
        parser.tokenizer.release()
        parser.scratch.release()
        parser.batchStarts.release()
        parser.batchLines.release()
        parser.hashes.release()
        result.lines = parser.line
        return result
    }

    static let nulMessage = "a NUL byte: this is a binary file, not text"

    private init(config: ParseConfig, base: UnsafeMutablePointer<UInt8>, start: Int, end: Int, result: ChunkResult) {
        self.config = config
        self.base = base
        self.start = start
        self.end = end
        self.result = result
        cols = result.columns
        columnCount = config.columnCount
        batchRows = max(8, min(128, 16384 / max(config.columnCount, 1)))
        batchStarts = RawBuffer(capacity: batchRows)
        batchLines = RawBuffer(capacity: batchRows)
        hashes = RawBuffer(repeating: 0, count: batchRows)
        tokenizer = RecordTokenizer(base: base, start: start, end: end, delimiter: config.delimiter)
        tokenizer.keepSpans = true
        allowThousandsUnquoted = config.delimiter != UInt8(ascii: ",")
    }

    private mutating func run() {
        var rows = 0
        while true {
            let more = fillBatch()
            if result.fatal != nil { break }
            let k = batchStarts.count
            if k > 0 {
                for j in 0..<columnCount { fillColumn(j, rows: k) }
                if result.fatal != nil { break }
                rows &+= k
            }
            if !more { break }
        }
        result.rows = rows
    }

    /// Tokenizes up to `batchRows` good records into the batch; false when the chunk is
    /// exhausted or the load must stop.
    private mutating func fillBatch() -> Bool {
        tokenizer.spans.removeAll()
        batchStarts.removeAll()
        batchLines.removeAll()
        let n = columnCount
        let checkForced = config.hasForcedTypes
        while batchStarts.count < batchRows {
            let recordStart = tokenizer.position
            let mark = tokenizer.spans.count
            switch tokenizer.next() {
            case .end:
                return false
            case .blank:
                line &+= tokenizer.newlines
                continue
            case .unterminated:
                tokenizer.spans.truncate(to: mark)
                let opened = line &+ tokenizer.openQuoteNewlines
                guard badRow(line: opened, column: tokenizer.openQuoteField,
                             "unterminated quote: the field opened here never closes") else { return false }
                // Resume on the next line: the rest may still be good rows.
                var p = recordStart
                while p < end && base[p] != RecordTokenizer.lf { p &+= 1 }
                tokenizer.position = min(p &+ 1, end)
                line &+= 1
                continue
            case .record:
                break
            }
            let recordLine = line
            line &+= tokenizer.newlines
            let found = tokenizer.fieldCount
            if found != n {
                tokenizer.spans.truncate(to: mark)
                guard badRow(line: recordLine, column: found > n ? n &+ 1 : found,
                             "row has \(found) fields, expected \(n)") else { return false }
                continue
            }
            if checkForced, let (j, kind, text) = firstForcedFailure() {
                tokenizer.spans.truncate(to: mark)
                guard badRow(line: recordLine, column: j &+ 1,
                             "value `\(text)` in column `\(config.names[j])` is not \(kind.article)") else { return false }
                result.forcedFailOffsets.append(recordStart &- start)
                continue
            }
            batchStarts.append(recordStart)
            batchLines.append(recordLine)
        }
        return true
    }

    /// Records a bad row; false when the load must stop.
    private mutating func badRow(line: Int, column: Int?, _ message: String) -> Bool {
        if config.skipBadRows {
            result.skipped.append((line, column, message))
            return true
        }
        result.fatal = ChunkProblem(line: line, column: column, message: message)
        return false
    }

    /// The value bytes of a field.
    @inline(__always)
    private mutating func cell(_ span: FieldSpan) -> (UnsafePointer<UInt8>, Int, quoted: Bool) {
        switch span.quoting {
        case .none:
            return (UnsafePointer(base + span.start), span.end &- span.start, false)
        case .simple:
            return (UnsafePointer(base + (span.start &+ 1)), span.end &- span.start &- 2, true)
        case .escaped:
            RecordTokenizer.unescape(base, span, into: &scratch)
            return (UnsafePointer(scratch.base), scratch.count, true)
        }
    }

    private mutating func firstForcedFailure() -> (Int, ColumnKind, String)? {
        for j in 0..<config.columnCount {
            let kind = config.forced[j]
            guard kind != .undecided && kind != .text else { continue }
            let (p, n, quoted) = cell(tokenizer.span(j))
            if n == 0 { continue }
            let ok: Bool
            switch kind {
            case .number:
                switch NumberParser.parse(p, n, allowThousands: quoted || allowThousandsUnquoted) {
                case .number, .blank: ok = true
                default: ok = false
                }
            case .date: ok = DateParser.parse(p, n, pattern: config.datePattern) != nil
            default: ok = BoolParser.parse(p, n) != nil
            }
            if !ok { return (j, kind, ChunkParser.display(p, n)) }
        }
        return nil
    }

    /// Appends column `j` of the batch's rows.
    private mutating func fillColumn(_ j: Int, rows k: Int) {
        let col = cols + j
        var r = 0
        while r < k {
            if col.pointee.kind == .text {
                internRows(col, j, from: r, to: k)
                return
            }
            addCell(col, j, row: r)
            r &+= 1
        }
    }

    /// Text cells: hash the batch and touch each hash slot first (the loads are
    /// independent, so their cache misses overlap), then intern.
    private mutating func internRows(_ col: UnsafeMutablePointer<ColumnChunk>, _ j: Int, from: Int, to: Int) {
        let n = columnCount
        var sink: UInt64 = 0
        for r in from..<to {
            let span = tokenizer.spans[r &* n &+ j]
            guard span.quoting != .escaped else { continue }
            let (p, len, _) = cell(span)
            guard len > 0 else { continue }
            let h = ByteInterner.hash(p, len)
            hashes[r] = h
            sink ^= col.pointee.interner.peek(h)
        }
        col.pointee.touched ^= sink
        for r in from..<to {
            let span = tokenizer.spans[r &* n &+ j]
            let (p, len, _) = cell(span)
            if len == 0 {
                col.pointee.appendEmpty()
                continue
            }
            let h = span.quoting == .escaped ? ByteInterner.hash(p, len) : hashes[r]
            intern(col, j, p, len, hash: h, line: batchLines[r])
        }
    }

    @inline(__always)
    private mutating func addCell(_ col: UnsafeMutablePointer<ColumnChunk>, _ j: Int, row r: Int) {
        let (p, n, quoted) = cell(tokenizer.spans[r &* columnCount &+ j])
        let line = batchLines[r]
        if n == 0 {
            col.pointee.appendEmpty()
            return
        }
        switch col.pointee.kind {
        case .number:
            switch NumberParser.parse(p, n, allowThousands: quoted || allowThousandsUnquoted) {
            case .number(let v, let sign):
                col.pointee.appendNumber(v, sign)
                return
            case .blank:
                col.pointee.appendEmpty()
                return
            default: break
            }
        case .date:
            if let d = date(col, p, n) {
                col.pointee.appendInt(d)
                return
            }
        case .bool:
            if let b = BoolParser.parse(p, n) {
                col.pointee.appendBool(b)
                return
            }
        case .text:
            intern(col, j, p, n, hash: ByteInterner.hash(p, n), line: line)
            return
        case .undecided:
            classify(col, j, p, n, quoted: quoted, line: line)
            return
        }
        breakToText(col, j, p, n, quoted: quoted, line: line, recordStart: batchStarts[r])
    }

    /// Dates with a one-entry cache: files sorted by date repeat the same text.
    @inline(__always)
    private func date(_ col: UnsafeMutablePointer<ColumnChunk>, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        if n == 10 {
            let head = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
            let tail = UnsafeRawPointer(p + 8).loadUnaligned(as: UInt16.self)
            if head == col.pointee.lastDateHead && tail == col.pointee.lastDateTail && col.pointee.lastDays != Int32.min {
                return col.pointee.lastDays
            }
            let d = DateParser.parse(p, n, pattern: config.datePattern)
            col.pointee.lastDateHead = head
            col.pointee.lastDateTail = tail
            col.pointee.lastDays = d ?? Int32.min
            return d
        }
        return DateParser.parse(p, n, pattern: config.datePattern)
    }

    @inline(__always)
    private mutating func intern(_ col: UnsafeMutablePointer<ColumnChunk>, _ j: Int,
                                 _ p: UnsafePointer<UInt8>, _ n: Int, hash: UInt64, line: Int) {
        let (code, isNew) = col.pointee.interner.intern(p, n, hash: hash)
        if isNew && result.fatal == nil {
            if config.validateUTF8 && Transcoder.firstInvalidUTF8(p, n) != nil {
                result.fatal = ChunkProblem(line: line, column: j &+ 1, message: "bytes that are not valid UTF-8", isEncoding: true)
            } else if memchr(p, 0, n) != nil {
                // Text never holds a NUL byte; a file that does is binary (or UTF-16). A NUL
                // is never part of a number, date or boolean, so every one reaches here.
                result.fatal = ChunkProblem(line: line, column: j &+ 1, message: ChunkParser.nulMessage)
            }
        }
        col.pointee.appendInt(code)
    }

    /// The first non-empty cell of the column in this chunk sets its kind.
    private mutating func classify(_ col: UnsafeMutablePointer<ColumnChunk>, _ j: Int,
                                   _ p: UnsafePointer<UInt8>, _ n: Int, quoted: Bool, line: Int) {
        switch NumberParser.parse(p, n, allowThousands: quoted || allowThousandsUnquoted) {
        case .number(let v, let sign):
            col.pointee.decide(.number)
            col.pointee.firstValue = TypeBreak(line: line, value: ChunkParser.display(p, n), leadingZeros: false)
            col.pointee.appendNumber(v, sign)
            return
        case .blank:
            // `-` alone: no value yet; the next cell decides the kind.
            col.pointee.appendEmpty()
            return
        case .leadingZeros:
            col.pointee.decide(.text)
            col.pointee.firstValue = TypeBreak(line: line, value: ChunkParser.display(p, n), leadingZeros: true)
        case .invalid:
            let first = TypeBreak(line: line, value: ChunkParser.display(p, n), leadingZeros: false)
            col.pointee.firstValue = first
            if let d = DateParser.parse(p, n, pattern: config.datePattern) {
                col.pointee.decide(.date)
                col.pointee.appendInt(d)
                return
            }
            if let b = BoolParser.parse(p, n) {
                col.pointee.decide(.bool)
                col.pointee.appendBool(b)
                return
            }
            col.pointee.decide(.text)
        }
        intern(col, j, p, n, hash: ByteInterner.hash(p, n), line: line)
    }

    /// A cell that does not fit: re-read the chunk's earlier rows of this column as text.
    private mutating func breakToText(_ col: UnsafeMutablePointer<ColumnChunk>, _ j: Int,
                                      _ p: UnsafePointer<UInt8>, _ n: Int, quoted: Bool, line: Int, recordStart: Int) {
        let old = col.pointee.kind
        let zeros = old == .number && NumberParser.parse(p, n, allowThousands: quoted || allowThousandsUnquoted) == .leadingZeros
        col.pointee.typeBreak = TypeBreak(line: line, value: ChunkParser.display(p, n), leadingZeros: zeros)
        var codes = RawBuffer<Int32>(capacity: max(col.pointee.rowsHint, col.pointee.count &+ 1))
        var interner = ByteInterner()
        TextColumnReader.read(base: base, start: start, end: recordStart, delimiter: config.delimiter,
                              columnCount: config.columnCount, column: j,
                              skipping: result.forcedFailOffsets, into: &codes, interner: &interner)
        if codes.count != col.pointee.count && result.fatal == nil {
            result.fatal = ChunkProblem(line: line, column: j &+ 1, message: "internal error: re-read \(codes.count) cells, expected \(col.pointee.count)")
        }
        col.pointee.becomeText(codes: codes, interner: interner)
        intern(col, j, p, n, hash: ByteInterner.hash(p, n), line: line)
    }

    /// A cell's text for messages, shortened.
    static func display(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        let s = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        return s.count > 40 ? String(s.prefix(37)) + "..." : s
    }
}
