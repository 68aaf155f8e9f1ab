import TallyCore

/// The total rows spreadsheet exports put under a table (`合计`, `总计`, `Total`): rows at
/// the end of the data whose first non-empty cell that is not a number is such a label.
/// They are not data (a sum over the column would count everything twice), so a load
/// leaves them out and says so; `keep_totals: true` keeps them.
enum TotalRows {
    /// The labels, written without spaces, letter case or a trailing colon (`合 计：`,
    /// `GRAND TOTAL` and `Total:` are labels too). A subtotal under the last group counts:
    /// at the end of the data it is a total row like the grand total after it.
    static let labels: Set<String> = [
        "合计", "总计", "小计", "总合计", "共计", "合計", "總計", "小計",
        "total", "totals", "grandtotal", "subtotal", "sub-total",
    ]

    /// At most this many total rows are taken off the end (a subtotal, a total, a grand total).
    static let most = 3

    static func isLabel(_ text: String) -> Bool {
        var s = String(text.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace })
        while let last = s.last, last == ":" || last == "：" { s.removeLast() }
        return labels.contains(s)
    }

    /// The label when `cells` is a total row: its first non-empty cell that is not a number
    /// (a row number before the label is passed over).
    static func label(_ cells: [String]) -> String? {
        for cell in cells {
            let text = trimmed(cell)
            if text.isEmpty || isNumber(text) { continue }
            return isLabel(text) ? text : nil
        }
        return nil
    }

    /// The note for the rows left out, placed by line (CSV) or by row (a workbook).
    static func note(_ rows: [SkippedRow], byLine: Bool) -> Note {
        let labels = NotePart.list(rows.map { .text($0.reason) })
        if rows.count == 1, let r = rows.first {
            return Note(.loadTotalRow, [.phrase(byLine ? .atLine : .atRow, [.text(String(r.line))]), labels])
        }
        let places = NotePart.list(rows.map { .text(String($0.line)) })
        return Note(.loadTotalRows, [.count(rows.count), .phrase(byLine ? .atLines : .atRows, [places]), labels])
    }

    // MARK: CSV

    /// The total rows at the end of CSV data that starts at `dataStart` in `source`, in file
    /// order: where each starts in the source and its line counted from the first one's.
    /// Only the last 64 KiB are read; a line that may begin before them is not judged.
    static func trailing(in source: ByteSource, dataStart: Int, delimiter: UInt8) -> [(offset: Int, lineOffset: Int, label: String)] {
        guard let size = source.size, size > dataStart else { return [] }
        let window = min(size - dataStart, 64 << 10)
        let origin = size - window
        var bytes = [UInt8](repeating: 0, count: window)
        let read = bytes.withUnsafeMutableBufferPointer { b -> Bool in
            guard let base = b.baseAddress else { return false }
            return source.read(at: origin, count: window, into: base)
        }
        guard read else { return [] }
        var found: [(start: Int, label: String)] = []
        var end = window
        while found.count < most {
            while end > 0, [RecordTokenizer.lf, RecordTokenizer.cr, 0x20, RecordTokenizer.tab].contains(bytes[end - 1]) { end -= 1 }
            guard end > 0 else { break }
            var start = end
            while start > 0, bytes[start - 1] != RecordTokenizer.lf { start -= 1 }
            if start == 0 && origin > dataStart { break }
            guard let cells = fields(bytes[start..<end], delimiter: delimiter), let label = label(cells) else { break }
            found.append((start, label))
            end = start
        }
        found.reverse()
        guard let first = found.first else { return [] }
        return found.map { f in
            (origin + f.start, bytes[first.start..<f.start].reduce(0) { $0 + ($1 == RecordTokenizer.lf ? 1 : 0) }, f.label)
        }
    }

    /// The cells of one line, quotes read as the tokenizer does; nil when a quote stays open
    /// (the line is part of a field that spans lines, not a record of its own).
    static func fields(_ line: ArraySlice<UInt8>, delimiter: UInt8) -> [String]? {
        var out: [String] = []
        var cell: [UInt8] = []
        var inQuotes = false
        var atFieldStart = true
        var i = line.startIndex
        while i < line.endIndex {
            let b = line[i]
            if inQuotes {
                if b == RecordTokenizer.quote {
                    if i + 1 < line.endIndex && line[i + 1] == RecordTokenizer.quote {
                        cell.append(b)
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    cell.append(b)
                }
            } else if b == RecordTokenizer.quote && atFieldStart {
                inQuotes = true
            } else if b == delimiter {
                out.append(String(decoding: cell, as: UTF8.self))
                cell = []
                atFieldStart = true
                i += 1
                continue
            } else {
                cell.append(b)
            }
            atFieldStart = false
            i += 1
        }
        if inQuotes { return nil }
        out.append(String(decoding: cell, as: UTF8.self))
        return out
    }

    static func trimmed(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let a = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let b = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[a...b]))
    }

    /// Whether a cell reads as a number (or an id such as `00042`, or a `-` placeholder).
    private static func isNumber(_ text: String) -> Bool {
        // Padded, as the parser's buffers are: it may read a word past the cell.
        let n = text.utf8.count
        let bytes = Array(text.utf8) + [UInt8](repeating: 0, count: ByteChunk.padding)
        return bytes.withUnsafeBufferPointer { b -> Bool in
            guard let base = b.baseAddress else { return false }
            return NumberParser.parse(base, n, allowThousands: true) != .invalid
        }
    }
}
