import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes being loaded: a file read with `read(2)` a chunk at a time (never held
/// whole), or an array in memory.
final class ByteSource {
    private let fd: Int32
    private let memory: [UInt8]
    private var memoryOffset = 0
    /// The file offset of the next `read`.
    private var fileOffset = 0
    /// The total size when known.
    let size: Int?
    /// Whether a lone CR (not followed by LF) is handed out as LF: set for files whose
    /// lines end that way (old Mac and Excel). The length stays the same, so offsets
    /// agree between the first read and a re-read.
    private(set) var loneCRIsLF = false
    /// Where the input ends for sequential reads (a total row after it is left out).
    var limit = Int.max

    init(bytes: [UInt8]) {
        fd = -1
        memory = bytes
        size = bytes.count
    }

    private init(fd: Int32, size: Int?) {
        self.fd = fd
        memory = []
        self.size = size
    }

    deinit { if fd >= 0 { close(fd) } }

    static func open(path: String) throws(LoadError) -> ByteSource {
        // Non-blocking, so that opening a FIFO with no writer does not hang (it is refused below).
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let e = errno
            let message = e == ENOENT ? "no such file" : e == EACCES ? "permission denied" : SystemError.describe(e)
            throw LoadError(file: path, message: message)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw LoadError(file: path, message: SystemError.describe(e))
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            return ByteSource(fd: fd, size: Int(st.st_size))
        case S_IFDIR:
            close(fd)
            throw LoadError(file: path, message: "is a directory, not a file")
        default:
            // A device (`/dev/zero` never ends), a FIFO or a socket: refused, since the
            // reader needs a file it can measure and read again by offset.
            close(fd)
            throw LoadError(file: path, message: "is not a regular file")
        }
    }

    /// Sets `loneCRIsLF` when the first line break of the file is a lone CR. Call before
    /// the first `read`. Line breaks inside a quoted field do not count (a header cell
    /// holding a CR is not a line end); `delimiter` is the one forced by the options.
    func detectLoneCRLineEnds(delimiter: UInt8? = nil) {
        var head = [UInt8](repeating: 0, count: 64 << 10)
        let n = head.withUnsafeMutableBufferPointer { b -> Int in
            guard let base = b.baseAddress else { return 0 }
            if fd < 0 {
                let k = min(b.count, memory.count)
                memory.withUnsafeBufferPointer { m in if let mb = m.baseAddress, k > 0 { base.update(from: mb, count: k) } }
                return k
            }
            var done = 0
            while done < b.count {
                let k = pread(fd, base + done, b.count &- done, off_t(done))
                if k < 0 && errno == EINTR { continue }
                if k <= 0 { break }
                done &+= k
            }
            return done
        }
        guard let i = ByteSource.firstLineBreak(head[0..<n], delimiter: delimiter),
              head[i] == RecordTokenizer.cr else { return }
        loneCRIsLF = i &+ 1 >= n || head[i &+ 1] != RecordTokenizer.lf
    }

    /// The offset of the first CR or LF outside a quoted field, as the tokenizer reads
    /// quotes: one opens a field only at its start (after a line break or a delimiter, any
    /// of `,` tab `;` `|` while the delimiter is not known yet), and `""` inside is a quote.
    static func firstLineBreak(_ b: ArraySlice<UInt8>, delimiter: UInt8?) -> Int? {
        let quote = RecordTokenizer.quote
        func isDelimiter(_ c: UInt8) -> Bool {
            if let delimiter { return c == delimiter }
            return c == 0x2C || c == RecordTokenizer.tab || c == 0x3B || c == 0x7C
        }
        var inQuotes = false
        var atFieldStart = true
        var i = b.startIndex
        while i < b.endIndex {
            let c = b[i]
            if inQuotes {
                if c == quote {
                    if i &+ 1 < b.endIndex && b[i &+ 1] == quote { i &+= 2; continue }
                    inQuotes = false
                }
            } else if c == RecordTokenizer.cr || c == RecordTokenizer.lf {
                return i
            } else if c == quote && atFieldStart {
                inQuotes = true
            }
            atFieldStart = !inQuotes && isDelimiter(c)
            i &+= 1
        }
        return nil
    }

    /// Turns each lone CR in `p[0..<count]` into LF; `next` is the byte after the range
    /// (nil at the end of the input).
    private static func translateLoneCR(_ p: UnsafeMutablePointer<UInt8>, _ count: Int, next: UInt8?) {
        var i = 0
        while i < count, let z = memchr(p + i, Int32(RecordTokenizer.cr), count &- i) {
            let at = UnsafeMutablePointer<UInt8>(z.assumingMemoryBound(to: UInt8.self)) - p
            let following = at &+ 1 < count ? p[at &+ 1] : next
            if following != RecordTokenizer.lf { p[at] = RecordTokenizer.lf }
            i = at &+ 1
        }
    }

    /// The byte at `offset`, nil past the end.
    private func peek(_ offset: Int) -> UInt8? {
        if fd < 0 { return offset < memory.count ? memory[offset] : nil }
        var b: UInt8 = 0
        while true {
            let k = pread(fd, &b, 1, off_t(offset))
            if k == 1 { return b }
            if k < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// Reads up to `count` bytes; 0 at the end. Throws on an I/O error.
    func read(into p: UnsafeMutablePointer<UInt8>, count wanted: Int, file: String) throws(LoadError) -> Int {
        let count = min(wanted, limit &- (fd < 0 ? memoryOffset : fileOffset))
        guard count > 0 else { return 0 }
        if fd < 0 {
            let k = min(count, memory.count &- memoryOffset)
            guard k > 0 else { return 0 }
            memory.withUnsafeBufferPointer { m in
                if let mb = m.baseAddress { p.update(from: mb + memoryOffset, count: k) }
            }
            memoryOffset &+= k
            if loneCRIsLF { ByteSource.translateLoneCR(p, k, next: peek(memoryOffset)) }
            return k
        }
        while true {
            let k = Glibc.read(fd, p, count)
            if k >= 0 {
                fileOffset &+= k
                if loneCRIsLF && k > 0 { ByteSource.translateLoneCR(p, k, next: peek(fileOffset)) }
                return k
            }
            if errno == EINTR { continue }
            throw LoadError(file: file, message: "read failed: \(SystemError.describe(errno))")
        }
    }

    /// Reads exactly `count` bytes at `offset` (for re-reading a chunk); false on failure.
    func read(at offset: Int, count: Int, into p: UnsafeMutablePointer<UInt8>) -> Bool {
        if fd < 0 {
            guard offset >= 0, offset &+ count <= memory.count else { return false }
            memory.withUnsafeBufferPointer { m in
                if let mb = m.baseAddress, count > 0 { p.update(from: mb + offset, count: count) }
            }
            if loneCRIsLF { ByteSource.translateLoneCR(p, count, next: peek(offset &+ count)) }
            return true
        }
        var done = 0
        while done < count {
            let k = pread(fd, p + done, count &- done, off_t(offset &+ done))
            if k < 0 && errno == EINTR { continue }
            if k <= 0 { return false }
            done &+= k
        }
        if loneCRIsLF { ByteSource.translateLoneCR(p, count, next: peek(offset &+ count)) }
        return true
    }
}

/// A byte buffer with padding past `capacity`: the parser writes an LF sentinel at the
/// end of its data and reads words that may run a few bytes past it.
final class ByteChunk: @unchecked Sendable {
    static let padding = 16
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var length = 0

    init(capacity: Int) {
        let cap = max(capacity, 64)
        let bytes = cap &+ ByteChunk.padding
        let raw = PageMemory.allocate(bytes)
        (raw + cap).initializeMemory(as: UInt8.self, repeating: 0, count: ByteChunk.padding)
        base = raw.bindMemory(to: UInt8.self, capacity: bytes)
        self.capacity = cap
    }

    deinit { PageMemory.free(base, bytes: capacity &+ ByteChunk.padding) }

    func grow(to newCapacity: Int) {
        guard newCapacity > capacity else { return }
        let bytes = newCapacity &+ ByteChunk.padding
        let raw = PageMemory.reallocate(base, oldBytes: capacity &+ ByteChunk.padding, newBytes: bytes, used: length)
        (raw + newCapacity).initializeMemory(as: UInt8.self, repeating: 0, count: ByteChunk.padding)
        base = raw.bindMemory(to: UInt8.self, capacity: bytes)
        capacity = newCapacity
    }
}

/// Input buffers handed back by the parsers once a chunk is done, so the next chunk is
/// read into memory that is already mapped.
final class ChunkPool: @unchecked Sendable {
    private var free: [ByteChunk] = []
    private let lock = DispatchSemaphore(value: 1)

    func take(capacity: Int) -> ByteChunk {
        lock.wait()
        let c = free.popLast()
        lock.signal()
        guard let c else { return ByteChunk(capacity: capacity) }
        c.length = 0
        c.grow(to: capacity)
        return c
    }

    /// Frees the pooled buffers (the last chunk has been read).
    func removeAll() {
        lock.wait()
        free.removeAll()
        lock.signal()
    }

    func recycle(_ c: ByteChunk) {
        lock.wait()
        if free.count < 4 { free.append(c) }
        lock.signal()
    }
}
