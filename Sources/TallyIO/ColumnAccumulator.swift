import TallyCore

/// One table column, built chunk by chunk in file order on the merging thread. Values
/// are appended straight into the arrays the table will hold, so they are written once.
///
/// The column's kind is the vote of the first chunk with a non-empty cell. When a later
/// chunk disagrees (or turned text itself), the column becomes text: the earlier chunks
/// are re-read from the source for this column only, in order, so the dictionary keeps
/// first-appearance order. In the common case nothing is read twice.
struct ColumnAccumulator {
    let name: String
    let index: Int
    let forced: ColumnKind
    /// Expected rows in the whole file, reserved once.
    let expectedRows: Int
    private(set) var kind: ColumnKind
    private(set) var rows = 0
    private var numbers: [Double] = []
    private var ints: [Int32] = []
    private var bools: [Bool] = []
    private var validity = BitBuilder()
    private var signs: UInt8 = 0
    private var dictionary = ByteInterner(slotCount: 16)
    /// Why the column stayed text, when a value made it so.
    private(set) var note: Note?
    /// Set when a chunk could not be read again (the file changed under the load).
    private(set) var rereadFailed = false

    init(name: String, index: Int, forced: ColumnKind, expectedRows: Int) {
        self.name = name
        self.index = index
        self.forced = forced
        self.expectedRows = expectedRows
        kind = forced
        reserve(forced)
    }

    mutating func release() { dictionary.release() }

    private mutating func reserve(_ k: ColumnKind) {
        switch k {
        case .number: ColumnAccumulator.reserve(&numbers, expectedRows)
        case .date, .text: ColumnAccumulator.reserve(&ints, expectedRows)
        case .bool: ColumnAccumulator.reserve(&bools, expectedRows)
        case .undecided: break
        }
    }

    /// Reserves the whole column once: the values are copied in a chunk at a time and
    /// never move again. (Huge pages here were measured: fewer faults, more system time.)
    private static func reserve<T>(_ a: inout [T], _ n: Int) {
        a.reserveCapacity(n)
    }

    /// Appends the chunk's cells of this column. `earlier` are the chunks merged before.
    mutating func absorb(_ c: UnsafeMutablePointer<ColumnChunk>, of chunk: ChunkResult,
                         earlier: [ChunkResult], rereader: ChunkRereader) {
        let ck = c.pointee.kind
        if forced == .undecided {
            if kind == .undecided && c.pointee.initialKind != .undecided {
                kind = c.pointee.initialKind
                reserve(kind)
                appendZeros(rows)
            }
            if kind != .text && ck != .undecided && ck != kind {
                let b = c.pointee.initialKind != kind ? c.pointee.firstValue : c.pointee.typeBreak
                if let b { note = b.note(line: chunk.firstLine &+ b.line, expected: kind) }
                convertToText(earlier, rereader: rereader)
            }
        }
        let n = c.pointee.count
        switch kind {
        case .undecided:
            break
        case .number:
            if ck == .number {
                numbers.append(contentsOf: UnsafeBufferPointer(start: c.pointee.numbers.base, count: n))
                signs |= c.pointee.signs
            } else {
                numbers.append(contentsOf: repeatElement(0, count: n))
            }
        case .date:
            if ck == .date {
                ints.append(contentsOf: UnsafeBufferPointer(start: c.pointee.ints.base, count: n))
            } else {
                ints.append(contentsOf: repeatElement(0, count: n))
            }
        case .bool:
            if ck == .bool {
                bools.append(contentsOf: UnsafeBufferPointer(start: c.pointee.bools.base, count: n))
            } else {
                bools.append(contentsOf: repeatElement(false, count: n))
            }
        case .text:
            if ck == .text {
                appendCodes(c.pointee.ints, count: n, from: c.pointee.interner, validity: c)
            } else if ck == .undecided {
                ints.append(contentsOf: repeatElement(0, count: n))
            } else {
                appendReread(chunk, rereader: rereader, validity: c)
            }
        }
        if c.pointee.hasEmpty {
            validity.append(words: c.pointee.validity.base, count: n)
        } else {
            validity.appendTrue(n)
        }
        rows &+= n
    }

    private mutating func appendZeros(_ n: Int) {
        guard n > 0 else { return }
        switch kind {
        case .number: numbers.append(contentsOf: repeatElement(0, count: n))
        case .date, .text: ints.append(contentsOf: repeatElement(0, count: n))
        case .bool: bools.append(contentsOf: repeatElement(false, count: n))
        case .undecided: break
        }
    }

    /// Appends a chunk's text codes translated into this column's dictionary; empty
    /// cells get code 0 so equal tables compare equal however they were chunked.
    private mutating func appendCodes(_ codes: RawBuffer<Int32>, count n: Int, from local: ByteInterner,
                                      validity c: UnsafeMutablePointer<ColumnChunk>) {
        let remap = dictionary.merge(local)
        let hasEmpty = c.pointee.hasEmpty
        remap.withUnsafeBufferPointer { m in
            for i in 0..<n {
                let code = Int(codes[i])
                codes[i] = code < m.count && (!hasEmpty || c.pointee.isValid(i)) ? m[code] : 0
            }
        }
        ints.append(contentsOf: UnsafeBufferPointer(start: codes.base, count: n))
    }

    private mutating func appendReread(_ chunk: ChunkResult, rereader: ChunkRereader,
                                       validity c: UnsafeMutablePointer<ColumnChunk>) {
        if var (codes, local) = rereader.text(of: chunk, column: index) {
            appendCodes(codes, count: chunk.rows, from: local, validity: c)
            codes.release()
            local.release()
        } else {
            rereadFailed = true
            ints.append(contentsOf: repeatElement(0, count: chunk.rows))
        }
    }

    /// Turns the typed values so far into text by re-reading the earlier chunks.
    private mutating func convertToText(_ earlier: [ChunkResult], rereader: ChunkRereader) {
        numbers = []
        bools = []
        ints = []
        ColumnAccumulator.reserve(&ints, expectedRows)
        kind = .text
        var offset = 0
        for r in earlier {
            if let (codes, local) = rereader.text(of: r, column: index) {
                var codes = codes, local = local
                let remap = dictionary.merge(local)
                for i in 0..<r.rows {
                    let code = Int(codes[i])
                    ints.append(code < remap.count && validity.isSet(offset &+ i) ? remap[code] : 0)
                }
                codes.release()
                local.release()
            } else {
                rereadFailed = true
                ints.append(contentsOf: repeatElement(0, count: r.rows))
            }
            offset &+= r.rows
        }
    }

    /// The finished column.
    func column() -> Column {
        let valid = validity.bitmap(count: rows)
        switch kind {
        case .undecided:
            // No values at all: like `Column(values:)` of empties.
            return Column(storage: .number(NumberCells(bytes: [UInt8](repeating: 0, count: rows))), validity: valid)
        case .number:
            return Column(storage: .number(NumberCells(numbers)), validity: valid, format: ColumnChunk.format(signs: signs))
        case .date:
            return Column(storage: .date(ints), validity: valid)
        case .bool:
            return Column(storage: .bool(bools), validity: valid)
        case .text:
            return Column(storage: .text(codes: ints, dictionary: dictionary.strings()), validity: valid)
        }
    }
}

/// Re-reads one column of a chunk as text from the source, for columns whose type a
/// later chunk overturned.
struct ChunkRereader {
    let source: ByteSource
    let config: ParseConfig

    func text(of r: ChunkResult, column j: Int) -> (RawBuffer<Int32>, ByteInterner)? {
        let buffer = ByteChunk(capacity: r.byteCount)
        guard source.read(at: r.sourceOffset, count: r.byteCount, into: buffer.base) else { return nil }
        buffer.base[r.byteCount] = RecordTokenizer.lf
        var codes = RawBuffer<Int32>(capacity: r.rows)
        var local = ByteInterner()
        TextColumnReader.read(base: buffer.base, start: 0, end: r.byteCount, delimiter: config.delimiter,
                              columnCount: config.columnCount, column: j, skipping: r.forcedFailOffsets,
                              into: &codes, interner: &local)
        guard codes.count == r.rows else {
            codes.release()
            local.release()
            return nil
        }
        return (codes, local)
    }
}
