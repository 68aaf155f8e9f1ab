import Dispatch

/// Parses chunks on all cores while this thread reads ahead and merges finished chunks,
/// in file order, into one text dictionary per column.
///
/// At most `maxInFlight` chunks are read but not yet merged, which bounds memory: a 10M
/// row file is never held whole, only its columns.
struct LoadPipeline {
    enum Outcome {
        /// The chunks (their columns already merged into the assembler).
        case done([ChunkResult])
        /// A bad row or bad bytes under `.fail` (line is absolute).
        case problem(ChunkProblem)
    }

    /// A chunk being parsed; the semaphore publishes `result` to the merging thread.
    private final class Pending: @unchecked Sendable {
        var result: ChunkResult?
        let done = DispatchSemaphore(value: 0)
    }

    static func run(feeder: inout ChunkFeeder, config: ParseConfig, assembler: inout TableAssembler,
                    firstLine: Int, maxInFlight: Int,
                    isInterrupted: () -> Bool = { false }) throws(LoadError) -> Outcome {
        var pending: [Pending] = []
        var merged: [ChunkResult] = []
        var nextLine = firstLine
        var problem: ChunkProblem?
        let pool = ColumnPool(columns: config.columnCount)

        func absorb(_ p: Pending) {
            p.done.wait()
            guard let r = p.result, problem == nil else { return }
            r.firstLine = nextLine
            nextLine &+= r.lines
            if var f = r.fatal {
                f.line &+= r.firstLine
                problem = f
                return
            }
            assembler.absorb(r, earlier: merged)
            r.recycleColumns(into: pool)
            merged.append(r)
        }

        do throws(LoadError) {
            while problem == nil, let next = try feeder.next(delimiter: config.delimiter) {
                if isInterrupted() { throw LoadError(file: feeder.file, message: "interrupted") }
                while pending.count >= maxInFlight { absorb(pending.removeFirst()) }
                let slot = Pending()
                pending.append(slot)
                let buffers = feeder.pool
                DispatchQueue.global().async {
                    slot.result = ChunkParser.parse(base: next.chunk.base, start: next.start, end: next.end,
                                                    config: config, pool: pool, sourceOffset: next.offset)
                    buffers.recycle(next.chunk)
                    slot.done.signal()
                }
                while let first = pending.first, first.done.wait(timeout: .now()) == .success {
                    first.done.signal()
                    absorb(pending.removeFirst())
                }
            }
        } catch {
            for p in pending { p.done.wait() }
            throw error
        }
        while !pending.isEmpty { absorb(pending.removeFirst()) }
        feeder.pool.removeAll()
        if let problem { return .problem(problem) }
        return .done(merged)
    }
}
