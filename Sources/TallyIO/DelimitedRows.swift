import TallyCore

/// The rows of a table as CSV or TSV lines, made a block of rows at a time, column by
/// column: each column's cells of the block are spelled in one loop over its typed cells,
/// then the fields are laid out row by row. Reaching each cell through its `Column` cost
/// more than spelling it (the column's references copied and released once per cell).
struct DelimitedRows {
    let delimiter: UInt8
    /// One column: its empty cell is written `""`, since a blank line is skipped by readers.
    let single: Bool

    /// Rows spelled at a time: the block's fields stay in the CPU's caches.
    static let blockRows = 4096

    /// The fields of the block, column after column.
    private var bytes: [UInt8] = []
    /// Where each field ends in `bytes`: column k's row r at `k * blockRows + r`.
    private var ends: [Int] = []
    /// ISO text of the days met so far (a date column repeats few days).
    private var isoDays: [Int32: String] = [:]

    init(delimiter: UInt8, single: Bool) {
        self.delimiter = delimiter
        self.single = single
    }

    /// Appends the header line, the file's first, to `sink`.
    mutating func header<S: ByteSink>(_ names: [String], into sink: inout S) {
        bytes.removeAll(keepingCapacity: true)
        for (k, name) in names.enumerated() {
            if k > 0 { bytes.append(delimiter) }
            field(name, startsFile: k == 0)
        }
        bytes.append(0x0A)
        sink.append(bytes)
    }

    /// Appends the lines of `t`'s rows to `sink`.
    mutating func write<S: ByteSink>(_ t: Table, into sink: inout S) {
        let columns = t.columns
        guard !columns.isEmpty else {
            for _ in 0..<t.rowCount { sink.append(0x0A) }
            return
        }
        for start in stride(from: 0, to: t.rowCount, by: Self.blockRows) {
            let rows = start..<min(start + Self.blockRows, t.rowCount)
            bytes.removeAll(keepingCapacity: true)
            ends = [Int](repeating: 0, count: columns.count * Self.blockRows)
            for (k, c) in columns.enumerated() { spell(c, rows, column: k) }
            lay(rows.count, columns: columns.count, into: &sink)
        }
    }

    /// The block's lines: field after field, a delimiter between, a line feed after each row.
    private func lay<S: ByteSink>(_ n: Int, columns: Int, into sink: inout S) {
        bytes.withUnsafeBufferPointer { b in
            ends.withUnsafeBufferPointer { e in
                // Column k's fields follow column k - 1's last one.
                let starts = (0..<columns).map { k in k == 0 ? 0 : e[(k - 1) * Self.blockRows + n - 1] }
                for r in 0..<n {
                    for k in 0..<columns {
                        let slot = k * Self.blockRows + r
                        let from = r == 0 ? starts[k] : e[slot - 1]
                        if k > 0 { sink.append(delimiter) }
                        sink.append(UnsafeBufferPointer(rebasing: b[from..<e[slot]]))
                    }
                    sink.append(0x0A)
                }
            }
        }
    }

    /// Spells column `k`'s cells of `rows` into `bytes`, noting where each ends.
    private mutating func spell(_ c: Column, _ rows: Range<Int>, column k: Int) {
        let errors = c.errors
        let validity = c.typedValidity
        let base = k * Self.blockRows - rows.lowerBound
        /// The text of an empty or error cell; nil for a cell holding a value.
        func missing(_ i: Int) -> String? {
            guard let validity, !validity[i] else { return nil }
            return errors.isEmpty ? "" : errors[i].map { $0.kind.rawValue } ?? ""
        }
        switch c.typedStorage {
        case .number(let cells):
            for i in rows {
                field(missing(i) ?? CellText.number(cells.value(at: i)))
                ends[base + i] = bytes.count
            }
        case .text(let codes, let dictionary):
            for i in rows {
                let code = Int(codes[i])
                field(missing(i) ?? (code >= 0 && code < dictionary.count ? dictionary[code] : ""))
                ends[base + i] = bytes.count
            }
        case .date(let days):
            for i in rows {
                field(missing(i) ?? iso(days[i]))
                ends[base + i] = bytes.count
            }
        case .bool(let flags):
            for i in rows {
                field(missing(i) ?? (flags[i] ? "true" : "false"))
                ends[base + i] = bytes.count
            }
        case .mixed(let values):
            for i in rows {
                field(missing(i) ?? CellText.value(values[i]))
                ends[base + i] = bytes.count
            }
        }
    }

    /// `2026-07-01`, kept for the next cell of the same day.
    private mutating func iso(_ day: Int32) -> String {
        if let text = isoDays[day] { return text }
        let text = TallyDate(days: day).iso
        if isoDays.count < 100_000 { isoDays[day] = text }
        return text
    }

    /// One field, quoted when it holds the delimiter, a quote or a line break, and when it
    /// starts the file with U+FEFF, which readers would take for a byte order mark.
    private mutating func field(_ s: String, startsFile: Bool = false) {
        var s = s
        s.withUTF8 { u in
            if u.isEmpty {
                if single { bytes.append(0x22); bytes.append(0x22) }
                return
            }
            let needsQuotes = u.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
                || (startsFile && u.starts(with: [0xEF, 0xBB, 0xBF]))
            guard needsQuotes else { bytes.append(contentsOf: u); return }
            bytes.append(0x22)
            for b in u {
                if b == 0x22 { bytes.append(0x22) }
                bytes.append(b)
            }
            bytes.append(0x22)
        }
    }
}
