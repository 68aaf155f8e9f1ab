#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TallyCore

/// Writes tables to CSV, TSV and Markdown files.
public enum TableWriter {
    /// Writes `t` to `path` atomically: into a temporary file in the same directory,
    /// which then replaces `path` with `rename()`, so readers never see half a file and a
    /// failure leaves the old file as it was. Lines end with LF. Returns what the user
    /// should be told (a leftover temporary file it removed; see `AtomicFile`).
    @discardableResult
    public static func write(_ t: Table, to path: String, format: ExportFormat) throws -> AtomicFile.Notices {
        try AtomicFile.replace(path) { fd in
            var sink = FileSink(fd: fd)
            emit(t, format: format, into: &sink)
            sink.flush()
            return sink.error
        }
    }

    /// Writes rows that come in batches (a remote table read a batch at a time) to `path` as
    /// CSV or TSV, atomically as `write(_:to:format:)` does, holding one batch at a time:
    /// `names` is the header, then `batches` hands each batch to the closure it is given.
    /// An error thrown by `batches` (the server's, or Ctrl-C) leaves the old file as it was
    /// and is thrown again. Returns the notices and the number of rows written.
    public static func write<E: Error>(names: [String], batches: ((Table) throws(E) -> Void) throws(E) -> Void, to path: String,
                                       format: ExportFormat) throws -> AtomicFile.Notices {
        let delimiter = format == .tsv ? UInt8(ascii: "\t") : UInt8(ascii: ",")
        var stopped: E?
        do {
            return try AtomicFile.replace(path) { fd in
                var sink = FileSink(fd: fd)
                header(names, delimiter: delimiter, into: &sink)
                do throws(E) {
                    try batches { t throws(E) in rows(t, delimiter: delimiter, single: names.count == 1, into: &sink) }
                } catch {
                    stopped = error
                    return ECANCELED
                }
                sink.flush()
                return sink.error
            }
        } catch {
            if let stopped { throw stopped }
            throw error
        }
    }

    /// Writes text made elsewhere (a Markdown table the REPL formatted) to `path`,
    /// atomically as `write(_:to:format:)` does.
    @discardableResult
    public static func write(text: String, to path: String) throws -> AtomicFile.Notices {
        try AtomicFile.replace(path) { fd in
            var sink = FileSink(fd: fd)
            sink.append(Array(text.utf8))
            sink.flush()
            return sink.error
        }
    }

    /// The file's bytes, for output modes and tests.
    public static func render(_ t: Table, format: ExportFormat) -> [UInt8] {
        var sink = MemorySink()
        emit(t, format: format, into: &sink)
        return sink.bytes
    }

    private static func emit<S: ByteSink>(_ t: Table, format: ExportFormat, into sink: inout S) {
        switch format {
        case .csv: delimited(t, delimiter: UInt8(ascii: ","), into: &sink)
        case .tsv: delimited(t, delimiter: UInt8(ascii: "\t"), into: &sink)
        case .md: markdown(t, into: &sink)
        }
    }

    private static func delimited<S: ByteSink>(_ t: Table, delimiter: UInt8, into sink: inout S) {
        header(t.names, delimiter: delimiter, into: &sink)
        rows(t, delimiter: delimiter, single: t.columnCount == 1, into: &sink)
    }

    private static func header<S: ByteSink>(_ names: [String], delimiter: UInt8, into sink: inout S) {
        var lines = DelimitedRows(delimiter: delimiter, single: names.count == 1)
        lines.header(names, into: &sink)
    }

    /// The rows of `t`; `single`: one column, whose empty cell would be a blank line, which
    /// readers skip.
    private static func rows<S: ByteSink>(_ t: Table, delimiter: UInt8, single: Bool, into sink: inout S) {
        var lines = DelimitedRows(delimiter: delimiter, single: single)
        lines.write(t, into: &sink)
    }

    private static func markdown<S: ByteSink>(_ t: Table, into sink: inout S) {
        func row(_ cells: [String]) {
            sink.append(Array("|".utf8))
            for c in cells {
                sink.append(0x20)
                var escaped = ""
                for ch in c {
                    switch ch {
                    case "|": escaped += "\\|"
                    case "\n", "\r\n": escaped += "<br>"
                    case "\r": break
                    default: escaped.append(ch)
                    }
                }
                sink.append(Array(escaped.utf8))
                sink.append(Array(" |".utf8))
            }
            sink.append(0x0A)
        }
        row(t.names)
        row(t.columns.map { CellText.isNumeric($0) ? "---:" : "---" })
        for i in 0..<t.rowCount { row(t.columns.map { CellText.cell($0, i) }) }
    }
}

/// Where rendered bytes go.
protocol ByteSink {
    mutating func append(_ b: UInt8)
    mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8
}

/// Collects bytes in memory.
struct MemorySink: ByteSink {
    var bytes: [UInt8] = []
    mutating func append(_ b: UInt8) { bytes.append(b) }
    mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 { self.bytes.append(contentsOf: bytes) }
}

/// Buffers bytes and writes them to a file descriptor a megabyte at a time.
struct FileSink: ByteSink {
    let fd: Int32
    private var buffer: [UInt8] = []
    /// The first write error (errno), or 0.
    private(set) var error: Int32 = 0

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 20)
    }

    mutating func append(_ b: UInt8) {
        buffer.append(b)
        if buffer.count >= 1 << 20 { flush() }
    }

    mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { flush() }
    }

    mutating func flush() {
        guard error == 0 else { buffer.removeAll(keepingCapacity: true); return }
        var done = 0
        let e: Int32 = buffer.withUnsafeBytes { raw in
            while done < raw.count {
                guard let base = raw.baseAddress else { return 0 }
                let k = Glibc.write(fd, base + done, raw.count - done)
                if k < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += k
            }
            return 0
        }
        error = e
        buffer.removeAll(keepingCapacity: true)
    }
}
