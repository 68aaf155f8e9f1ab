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

        // Set on Ctrl-C: the chunks being parsed end early, so the load stops at once.
        let stop = StopFlag()
        // Waits for the first pending chunk's parse, asking `isInterrupted` every 10 ms
        // meanwhile, merges it and drops it from `pending`. On Ctrl-C it stays pending, so
        // that the catch below waits for its (shortened) parse before the buffers go.
        func absorbFirst() throws(LoadError) {
            let p = pending[0]
            while p.done.wait(timeout: .now() + .milliseconds(10)) == .timedOut {
                if isInterrupted() { throw LoadError(file: feeder.file, message: "interrupted") }
            }
            pending.removeFirst()
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
                while pending.count >= maxInFlight { try absorbFirst() }
                let slot = Pending()
                pending.append(slot)
                let buffers = feeder.pool
                DispatchQueue.global().async {
                    slot.result = ChunkParser.parse(base: next.chunk.base, start: next.start, end: next.end,
                                                    config: config, pool: pool, sourceOffset: next.offset, stop: stop)
                    buffers.recycle(next.chunk)
                    slot.done.signal()
                }
                while let first = pending.first, first.done.wait(timeout: .now()) == .success {
                    first.done.signal()
                    try absorbFirst()
                }
            }
            while !pending.isEmpty { try absorbFirst() }
            if isInterrupted() { throw LoadError(file: feeder.file, message: "interrupted") }
        } catch {
            stop.set()
            for p in pending { p.done.wait() }
            throw error
        }
        feeder.pool.removeAll()
        if let problem { return .problem(problem) }
        return .done(merged)
    }
}
