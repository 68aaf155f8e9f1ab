#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TallyCore

/// Reads CSV and TSV files into tables: the hot path of `load`.
///
/// The file is read in chunks (never held whole) and parsed on all cores; see
/// `LoadPipeline` for the parallel part, `ChunkParser` for type inference and
/// `TableAssembler` for how chunks become columns.
public enum CSVReader {
    /// Loads the file at `path`. Errors name the file as given. A `.tsv` or `.tab` file
    /// is read with tabs unless `options.delimiter` says otherwise.
    public static func read(path: String, options: LoadOptions) throws(LoadError) -> LoadResult {
        try retrying(name: path, options: options) { o throws(Failure) in
            let source: ByteSource
            do throws(LoadError) { source = try ByteSource.open(path: path) } catch { throw .failed(error) }
            return try load(source: source, name: path, options: o, tabByName: ExportFormat(path: path) == .tsv)
        }
    }

    /// Loads bytes already in memory; `name` stands for the file in messages.
    public static func read(bytes: [UInt8], name: String, options: LoadOptions) throws(LoadError) -> LoadResult {
        try retrying(name: name, options: options) { o throws(Failure) in
            try load(source: ByteSource(bytes: bytes), name: name, options: o)
        }
    }

    /// Runs `body`, and once more as GB18030 when a file that began as plain ASCII turns
    /// out not to be UTF-8 further on.
    private static func retrying(name: String, options: LoadOptions,
                                 _ body: (LoadOptions) throws(Failure) -> LoadResult) throws(LoadError) -> LoadResult {
        do {
            return try body(options)
        } catch {
            guard case .retryAsGB18030 = error else { throw error.loadError(name) }
        }
        var o = options
        o.encoding = .gb18030
        o.encodingGuessed = true
        do {
            return try body(o)
        } catch {
            throw error.loadError(name)
        }
    }

    enum Failure: Error {
        case failed(LoadError)
        /// The start looked like ASCII, a later cell was not UTF-8: start over as GB18030.
        case retryAsGB18030

        func loadError(_ name: String) -> LoadError {
            switch self {
            case .failed(let e): return e
            case .retryAsGB18030: return LoadError(file: name, message: "bytes that are neither UTF-8 nor GB18030")
            }
        }
    }

    private static let sampleBytes = 64 << 10

    /// The most columns a file may have: Excel's 16,384 (a header of a million fields
    /// would otherwise take gigabytes of per-column buffers).
    static let maxColumns = 16_384

    private static func load(source: ByteSource, name: String, options: LoadOptions,
                             decodedFrom: TextEncoding? = nil, tabByName: Bool = false) throws(Failure) -> LoadResult {
        func fail(_ message: String, line: Int? = nil, column: Int? = nil) -> Failure {
            .failed(LoadError(file: name, line: line, column: column, message: message))
        }
        if let d = options.delimiter, d == RecordTokenizer.quote || d == RecordTokenizer.lf || d == RecordTokenizer.cr {
            throw fail("the delimiter cannot be a quote or a line break")
        }
        if options.skip < 0 { throw fail("skip must be 0 or more") }
        var datePattern: DatePattern?
        if let f = options.dateFormat {
            switch DatePattern.parse(f) {
            case .success(let p): datePattern = p
            case .failure(let e): throw fail("dateFormat `\(f)`: \(e.message)")
            }
        }

        // Old Mac and Excel files end lines with a lone CR: read those as LF.
        source.detectLoneCRLineEnds(delimiter: options.delimiter ?? (tabByName ? RecordTokenizer.tab : nil))
        let chunkBytes = options.chunkBytes ?? defaultChunkBytes(size: source.size)
        var feeder: ChunkFeeder
        do { feeder = try ChunkFeeder(source: source, file: name, chunkBytes: chunkBytes) } catch { throw .failed(error) }

        // Encoding: a BOM says UTF-8; bytes that are not UTF-8 mean GB18030.
        var encoding = decodedFrom ?? .utf8
        var tentative = false
        let head = feeder.buffer.base
        if feeder.buffer.length >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF && options.encoding != .gb18030 {
            feeder.start = 3
        } else if options.encoding == .gb18030 && decodedFrom == nil {
            return try loadGB18030(feeder: &feeder, name: name, options: options, forced: !options.encodingGuessed, tabByName: tabByName)
        } else if options.encoding == nil && decodedFrom == nil {
            let n = feeder.buffer.length
            if Transcoder.firstInvalidUTF8(head, n, allowTruncatedEnd: !feeder.eof) != nil {
                return try loadGB18030(feeder: &feeder, name: name, options: options, forced: false, tabByName: tabByName)
            }
            tentative = !Transcoder.hasNonASCII(head, n)
        }

        // Lines before the header: `skip` of them, then any blank ones.
        var line = 1
        do {
            var toSkip = options.skip
            while true {
                let b = feeder.buffer.base
                var i = feeder.start
                while i < feeder.buffer.length {
                    if toSkip > 0 {
                        if b[i] == RecordTokenizer.lf { toSkip -= 1; line += 1; feeder.start = i + 1 }
                    } else if b[i] == RecordTokenizer.lf {
                        line += 1; feeder.start = i + 1
                    } else if b[i] != RecordTokenizer.cr {
                        break
                    }
                    i += 1
                }
                if i < feeder.buffer.length || feeder.eof {
                    if i >= feeder.buffer.length { feeder.start = feeder.buffer.length }
                    break
                }
                _ = try feeder.extend()
            }
        } catch { throw .failed(error) }
        if feeder.start >= feeder.buffer.length {
            throw fail(options.skip > 0 ? "no data after skipping \(options.skip) \(Plural.noun(options.skip, "line"))" : "the file is empty")
        }

        let sampleEnd = min(feeder.buffer.length, feeder.start + sampleBytes)
        let delimiter = options.delimiter ?? (tabByName ? RecordTokenizer.tab : nil) ?? DelimiterSniffer.detect(
            feeder.buffer.base + feeder.start, sampleEnd - feeder.start, atEnd: feeder.eof && sampleEnd == feeder.buffer.length)

        // The first record: the header, or (without one) the column count.
        var recordEnd: Int
        do {
            while true {
                if let e = ChunkFeeder.firstRecordEnd(feeder.buffer.base, from: feeder.start, to: feeder.buffer.length, delimiter: delimiter) {
                    recordEnd = e; break
                }
                if feeder.eof { recordEnd = feeder.buffer.length; break }
                _ = try feeder.extend()
            }
        } catch { throw .failed(error) }
        if recordEnd == feeder.buffer.length { feeder.buffer.base[recordEnd] = RecordTokenizer.lf }
        var tokenizer = RecordTokenizer(base: feeder.buffer.base, start: feeder.start, end: recordEnd, delimiter: delimiter)
        defer { tokenizer.release() }
        let status = tokenizer.next()
        if status == .unterminated {
            throw fail("unterminated quote: the field opened here never closes",
                       line: line + tokenizer.openQuoteNewlines, column: tokenizer.openQuoteField)
        }
        if tokenizer.fieldCount > maxColumns {
            throw fail("\(options.header ? "the header" : "the first row") has \(tokenizer.fieldCount) fields; "
                + "the limit is \(maxColumns) columns (as in Excel)", line: line)
        }
        if let z = memchr(feeder.buffer.base + feeder.start, 0, recordEnd - feeder.start) {
            let at = UnsafeMutablePointer<UInt8>(z.assumingMemoryBound(to: UInt8.self)) - feeder.buffer.base
            var column = 1
            var newlines = 0
            for k in 0..<tokenizer.fieldCount where tokenizer.span(k).start <= at { column = k + 1 }
            for i in feeder.start..<at where feeder.buffer.base[i] == RecordTokenizer.lf { newlines += 1 }
            throw fail(ChunkParser.nulMessage, line: line + newlines, column: column)
        }
        var names: [String]
        var notices: [Note] = []
        if options.header {
            var raw: [String] = []
            var scratch = RawBuffer<UInt8>(capacity: 64)
            defer { scratch.release() }
            for k in 0..<tokenizer.fieldCount {
                let span = tokenizer.span(k)
                var p = UnsafePointer(feeder.buffer.base + span.start)
                var n = span.end - span.start
                switch span.quoting {
                case .none: break
                case .simple: p += 1; n -= 2
                case .escaped:
                    RecordTokenizer.unescape(feeder.buffer.base, span, into: &scratch)
                    p = UnsafePointer(scratch.base); n = scratch.count
                }
                if encoding == .utf8 && decodedFrom == nil, Transcoder.firstInvalidUTF8(p, n) != nil {
                    if tentative { throw .retryAsGB18030 }
                    throw fail("bytes that are not valid UTF-8", line: line, column: k + 1)
                }
                raw.append(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
            }
            (names, notices) = HeaderNames.clean(raw)
            line += tokenizer.newlines
            feeder.start = recordEnd
        } else {
            names = HeaderNames.generated(tokenizer.fieldCount)
        }
        if decodedFrom != nil { encoding = decodedFrom ?? .utf8 }

        // Forced types.
        var forced = [ColumnKind](repeating: .undecided, count: names.count)
        for (column, type) in options.types.sorted(by: { $0.key < $1.key }) {
            guard let j = names.firstIndex(of: column) else {
                throw fail("types: no column named `\(column)` (columns: \(names.joined(separator: ", ")))")
            }
            forced[j] = ColumnKind(type)
        }

        // A total row under the data (`合计`, `Total`) is not data: the input ends before it.
        var totals: [(offset: Int, lineOffset: Int, label: String)] = []
        if !options.keepTotals {
            totals = TotalRows.trailing(in: source, dataStart: feeder.bufferOffset + feeder.start, delimiter: delimiter)
            if let first = totals.first { feeder.end(atSourceOffset: first.offset) }
        }

        // Rows per chunk, from the sample's line lengths, to size buffers once.
        let sampleTo = max(feeder.start, min(feeder.buffer.length, feeder.start + sampleBytes))
        var sampleLines = 0
        for i in feeder.start..<sampleTo where feeder.buffer.base[i] == RecordTokenizer.lf { sampleLines += 1 }
        let averageLine = max(1, (sampleTo - feeder.start) / max(sampleLines, 1))
        let config = ParseConfig(delimiter: delimiter, names: names, forced: forced, datePattern: datePattern,
                                 skipBadRows: options.onError == .skip, validateUTF8: decodedFrom == nil,
                                 rowsHint: min(chunkBytes / averageLine + chunkBytes / averageLine / 8 + 64, chunkBytes / 2 + 64))

        let bodyBytes = (source.size ?? feeder.buffer.length) - feeder.start
        let expectedRows = max(0, bodyBytes / averageLine + bodyBytes / averageLine / 50) + 1024
        var assembler = TableAssembler(config: config, source: source, expectedRows: expectedRows)
        let outcome: LoadPipeline.Outcome
        do {
            outcome = try LoadPipeline.run(feeder: &feeder, config: config, assembler: &assembler,
                                           firstLine: line, maxInFlight: 3, isInterrupted: options.isInterrupted)
        } catch {
            assembler.discard()
            throw .failed(error)
        }
        switch outcome {
        case .problem(let p):
            assembler.discard()
            if p.isEncoding && tentative { throw .retryAsGB18030 }
            throw fail(p.message, line: p.line, column: p.column)
        case .done(let results):
            if assembler.rereadFailed {
                assembler.discard()
                throw fail("the file changed while it was being read")
            }
            let (columns, notes) = assembler.finish()
            guard let table = Table(names: names, columns: columns) else {
                throw fail("internal error: columns of different lengths")
            }
            var skipped: [SkippedRow] = []
            for r in results {
                for s in r.skipped { skipped.append(SkippedRow(line: r.firstLine + s.line, column: s.column, reason: s.reason)) }
            }
            if !skipped.isEmpty {
                notices += SkipReport.notes(skipped)
            }
            // The first total row is on the line after the last one read.
            let afterData = results.last.map { $0.firstLine &+ $0.lines } ?? line
            let totalRows = totals.map { SkippedRow(line: afterData &+ $0.lineOffset, reason: $0.label) }
            if !totalRows.isEmpty { notices.append(TotalRows.note(totalRows, byLine: true)) }
            var result = LoadResult(table: table, skipped: skipped, notices: notices, columnNotes: notes,
                                    encoding: encoding, delimiter: delimiter)
            result.totalRows = totalRows
            return result
        }
    }

    /// Chunks small enough to keep both cores busy on mid-sized files and memory low (a
    /// few chunks are in flight), big enough that per-chunk dictionaries stay few.
    /// Measured on the 10M-row file: 16 MiB gave the same time as 32 MiB with 120 MiB
    /// less peak memory; 8 MiB was no better.
    private static func defaultChunkBytes(size: Int?) -> Int {
        guard let size else { return 16 << 20 }
        return min(16 << 20, max(1 << 20, size / 8))
    }

    /// Decodes the whole input from GB18030, then loads the UTF-8 result. (Files that
    /// need this come from Excel on Chinese Windows and are small; holding them is fine.)
    private static func loadGB18030(feeder: inout ChunkFeeder, name: String, options: LoadOptions,
                                    forced: Bool, tabByName: Bool) throws(Failure) -> LoadResult {
        var raw: [UInt8]
        do {
            while try feeder.extend() {}
        } catch { throw .failed(error) }
        raw = Array(UnsafeBufferPointer(start: feeder.buffer.base, count: feeder.buffer.length))
        if raw.starts(with: [0xFF, 0xFE]) || raw.starts(with: [0xFE, 0xFF]) {
            throw .failed(LoadError(file: name, message: "the file is UTF-16 text, which is not read: save it as UTF-8"))
        }
        // A GB18030 byte-order mark.
        if raw.starts(with: [0x84, 0x31, 0x95, 0x33]) { raw.removeFirst(4) }
        // Detected, not chosen: a file whose lines are partly UTF-8 and partly GB18030
        // would come out garbled either way.
        if !forced, let mixed = Transcoder.mixedEncodingLine(raw) {
            let (before, here) = mixed.gb18030AfterUTF8 ? ("UTF-8", "GB18030") : ("GB18030", "UTF-8")
            throw .failed(LoadError(file: name, line: mixed.line,
                                    message: "the file mixes encodings: \(before) before this line, \(here) here"))
        }
        let decoded: [UInt8]
        do {
            decoded = try Transcoder.utf8(fromGB18030: raw)
        } catch {
            switch error {
            case .unavailable:
                throw .failed(LoadError(file: name, message: "GB18030 decoding is not available on this system"))
            case .invalid(let offset):
                var line = 1
                for b in raw[..<min(offset, raw.count)] where b == RecordTokenizer.lf { line += 1 }
                let what = forced ? "bytes that are not GB18030" : "bytes that are neither UTF-8 nor GB18030"
                throw .failed(LoadError(file: name, line: line, message: what))
            }
        }
        var o = options
        o.encoding = .utf8
        return try load(source: ByteSource(bytes: decoded), name: name, options: o, decodedFrom: .gb18030, tabByName: tabByName)
    }
}
