import Dispatch
import TallyCore

/// Merges parsed chunks, in file order, into the table's columns (one
/// `ColumnAccumulator` each), then finishes them.
struct TableAssembler {
    private var accumulators: [ColumnAccumulator]
    let rereader: ChunkRereader

    init(config: ParseConfig, source: ByteSource, expectedRows: Int) {
        accumulators = config.names.enumerated().map { j, name in
            ColumnAccumulator(name: name, index: j, forced: config.forced[j], expectedRows: expectedRows)
        }
        rereader = ChunkRereader(source: source, config: config)
    }

    /// Whether a chunk could not be read again (the file changed while it was loaded).
    var rereadFailed: Bool { accumulators.contains { $0.rereadFailed } }

    /// Adds one chunk's columns; `earlier` are the chunks already absorbed.
    mutating func absorb(_ r: ChunkResult, earlier: [ChunkResult]) {
        for j in accumulators.indices {
            accumulators[j].absorb(r.columns + j, of: r, earlier: earlier, rereader: rereader)
        }
    }

    /// The columns, plus a note per column that a stray value kept as text. Columns are
    /// finished in parallel: turning a big dictionary into strings takes a while.
    mutating func finish() -> (columns: [Column], notes: [String: Note]) {
        let accumulators = self.accumulators
        var columns = [Column?](repeating: nil, count: accumulators.count)
        columns.withUnsafeMutableBufferPointer { out in
            let slots = UnsafeMutableSendable(out)
            let shared = UncheckedSendable(accumulators)
            DispatchQueue.concurrentPerform(iterations: shared.value.count) { j in
                slots.buffer[j] = shared.value[j].column()
            }
        }
        var notes: [String: Note] = [:]
        for a in accumulators { if let n = a.note { notes[a.name] = n } }
        for j in self.accumulators.indices { self.accumulators[j].release() }
        return (columns.map { $0 ?? Column(storage: .number([])) }, notes)
    }

    /// Frees the dictionaries when the load is abandoned.
    mutating func discard() {
        for j in accumulators.indices { accumulators[j].release() }
    }
}

/// Lets `concurrentPerform` iterations write disjoint slots of one buffer.
struct UnsafeMutableSendable<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}

/// Shares read-only values with `concurrentPerform` iterations.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
