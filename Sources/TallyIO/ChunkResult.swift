import Dispatch

/// What parsing one chunk produced. Owns the column buffers and frees them on deinit.
///
/// `@unchecked Sendable`: a worker fills it, then hands it to the main thread through a
/// semaphore; after that only one thread touches it at a time.
final class ChunkResult: @unchecked Sendable {
    let columns: UnsafeMutablePointer<ColumnChunk>
    let columnCount: Int
    var rows = 0
    /// Line breaks in the chunk (its records' lines, blank lines included).
    var lines = 0
    /// Rows left out under `.skip`: (line relative to the chunk, field number, reason).
    var skipped: [(line: Int, column: Int?, reason: String)] = []
    var fatal: ChunkProblem?
    /// Offsets (from the chunk start) of rows dropped because a forced type failed.
    var forcedFailOffsets: [Int] = []
    /// Where the chunk's bytes are in the (decoded) input, for re-reading a column.
    let sourceOffset: Int
    let byteCount: Int
    /// The chunk's first line in the file (1-based); set when merged.
    var firstLine = 0

    /// Whether the columns went back to the pool (after their values were merged).
    private var recycled = false

    init(config: ParseConfig, pool: ColumnPool?, sourceOffset: Int, byteCount: Int) {
        columnCount = config.columnCount
        columns = .allocate(capacity: max(columnCount, 1))
        for j in 0..<columnCount {
            let c = pool?.take(j, kind: config.forced[j], rowsHint: config.rowsHint)
                ?? ColumnChunk(kind: config.forced[j], rowsHint: config.rowsHint, interner: ByteInterner())
            (columns + j).initialize(to: c)
        }
        self.sourceOffset = sourceOffset
        self.byteCount = byteCount
    }

    /// Hands the column buffers to `pool`; the columns must not be read afterwards.
    func recycleColumns(into pool: ColumnPool) {
        guard !recycled else { return }
        recycled = true
        for j in 0..<columnCount { pool.recycle(j, columns[j]) }
    }

    deinit {
        if !recycled { for j in 0..<columnCount { columns[j].release() } }
        columns.deinitialize(count: columnCount)
        columns.deallocate()
    }
}

/// Column buffers handed back once a chunk is merged, for later chunks of the same
/// column: reusing them saves faulting hundreds of megabytes in afresh (page faults
/// cost more than the parsing on a 10M-row load).
final class ColumnPool: @unchecked Sendable {
    private var free: [[ColumnChunk]]
    private let lock = DispatchSemaphore(value: 1)

    init(columns: Int) { free = Array(repeating: [], count: columns) }

    deinit {
        for list in free { for var c in list { c.release() } }
    }

    func take(_ j: Int, kind: ColumnKind, rowsHint: Int) -> ColumnChunk {
        lock.wait()
        let c = free[j].popLast()
        lock.signal()
        guard var c else { return ColumnChunk(kind: kind, rowsHint: rowsHint, interner: ByteInterner()) }
        c.reset(kind: kind)
        c.rowsHint = max(rowsHint, 16)
        return c
    }

    func recycle(_ j: Int, _ column: ColumnChunk) {
        var column = column
        lock.wait()
        if free[j].count < 2 {
            free[j].append(column)
            lock.signal()
        } else {
            lock.signal()
            column.release()
        }
    }
}
