#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts the input into chunks that start and end on record boundaries, reading it a
/// buffer at a time. The bytes after the last boundary of one buffer are carried to the
/// front of the next.
///
/// Where a boundary is: when a chunk holds no quote byte, a line feed always ends a
/// record, so the last one is found from the end. Otherwise a quote-aware scan from the
/// chunk's start (which is a record start) follows the tokenizer's rules.
struct ChunkFeeder {
    let source: ByteSource
    let file: String
    let chunkBytes: Int
    private(set) var buffer: ByteChunk
    /// First byte of the buffer not yet handed out.
    var start = 0
    /// Offset in the source of `buffer.base[0]`.
    private(set) var bufferOffset = 0
    private(set) var eof = false
    let pool = ChunkPool()

    init(source: ByteSource, file: String, chunkBytes: Int) throws(LoadError) {
        self.source = source
        self.file = file
        self.chunkBytes = chunkBytes
        buffer = ByteChunk(capacity: chunkBytes)
        try fill()
    }

    /// Reads until the buffer is full or the input ends.
    mutating func fill() throws(LoadError) {
        while !eof && buffer.length < buffer.capacity {
            let k = try source.read(into: buffer.base + buffer.length, count: buffer.capacity &- buffer.length, file: file)
            if k == 0 { eof = true } else { buffer.length &+= k }
        }
    }

    /// Ends the input at `offset` in the source: nothing after it is handed out.
    mutating func end(atSourceOffset offset: Int) {
        source.limit = offset
        let local = offset &- bufferOffset
        if local < buffer.length {
            buffer.length = max(local, start)
            eof = true
        }
    }

    /// Doubles the buffer and reads more; false at the end of the input.
    mutating func extend() throws(LoadError) -> Bool {
        guard !eof else { return false }
        buffer.grow(to: buffer.capacity &* 2)
        try fill()
        return true
    }

    /// The next chunk of whole records: the buffer holding it, its byte range there, and
    /// its offset in the source. Nil at the end.
    mutating func next(delimiter: UInt8) throws(LoadError) -> (chunk: ByteChunk, start: Int, end: Int, offset: Int)? {
        try fill()
        while true {
            if start >= buffer.length && eof { return nil }
            let boundary: Int?
            if eof {
                boundary = buffer.length
            } else {
                boundary = ChunkFeeder.lastRecordEnd(buffer.base, from: start, to: buffer.length, delimiter: delimiter)
            }
            guard let b = boundary, b > start else {
                _ = try extend()
                continue
            }
            let chunk = buffer
            let range = (start, b)
            let offset = bufferOffset &+ start
            let carry = buffer.length &- b
            let next = pool.take(capacity: max(chunkBytes, carry &* 2))
            if carry > 0 { next.base.update(from: buffer.base + b, count: carry) }
            next.length = carry
            bufferOffset &+= b
            buffer = next
            start = 0
            return (chunk, range.0, range.1, offset)
        }
    }

    /// The offset just past the last record that ends in `base[from..<to]`; `from` must
    /// be a record start.
    static func lastRecordEnd(_ base: UnsafePointer<UInt8>, from: Int, to: Int, delimiter: UInt8) -> Int? {
        if memchr(base + from, Int32(RecordTokenizer.quote), to &- from) == nil {
            var i = to &- 1
            while i >= from {
                if base[i] == RecordTokenizer.lf { return i &+ 1 }
                i &-= 1
            }
            return nil
        }
        return scan(base, from: from, to: to, delimiter: delimiter, stopAtFirst: false)
    }

    /// The offset just past the first record in `base[from..<to]`, or nil if it does not
    /// end there.
    static func firstRecordEnd(_ base: UnsafePointer<UInt8>, from: Int, to: Int, delimiter: UInt8) -> Int? {
        scan(base, from: from, to: to, delimiter: delimiter, stopAtFirst: true)
    }

    private static func scan(_ base: UnsafePointer<UInt8>, from: Int, to: Int, delimiter: UInt8, stopAtFirst: Bool) -> Int? {
        var last: Int?
        var i = from
        var fieldStart = true
        var inQuotes = false
        let quote = RecordTokenizer.quote
        let lf = RecordTokenizer.lf
        while i < to {
            let b = base[i]
            if inQuotes {
                if b == quote {
                    // A quote at the very end: doubled or closing depends on the next byte.
                    if i &+ 1 == to { break }
                    if base[i &+ 1] == quote { i &+= 2; continue }
                    inQuotes = false
                }
                i &+= 1
                continue
            }
            if b == quote && fieldStart {
                inQuotes = true
                fieldStart = false
            } else if b == delimiter {
                fieldStart = true
            } else if b == lf {
                fieldStart = true
                last = i &+ 1
                if stopAtFirst { return last }
            } else {
                fieldStart = false
            }
            i &+= 1
        }
        return last
    }
}
