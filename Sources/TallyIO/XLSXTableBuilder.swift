import TallyCore

/// Turns a worksheet's raw cells into a table, the way `CSVReader` turns records into
/// one: `skip` rows dropped, then the first row with a value is the header; rows with no
/// value are left out; the table spans the columns that hold anything (a table that
/// starts at `B3` loads from `B3`, wholly empty columns in between are left out); each
/// column takes the type of its first value and turns text, with a note, when a later
/// value disagrees; forced types fail the load or skip the row (`onError`).
struct XLSXTableBuilder {
    let file: String
    let sheet: String
    let options: LoadOptions
    var reader: XLSXValueReader
    var cells: [XLSXRawCell]
    /// Formula cells without a computed value, for a notice.
    var formulasWithoutValue = 0

    /// A cell of the table: its row among the data rows and its index into `kept`.
    private typealias Slot = (row: Int32, item: Int32)

    private func fail(_ message: String, row: Int? = nil, column: Int? = nil) -> LoadError {
        let joiner = message.hasPrefix("cell ") || message.hasPrefix("is ") ? " " : ": "
        return LoadError(file: file, line: row, column: column, message: "sheet `\(sheet)`" + joiner + message)
    }

    mutating func build(ordered: Bool) throws(LoadError) -> LoadResult {
        if options.skip < 0 { throw fail("skip must be 0 or more") }
        if !ordered {
            cells = cells.enumerated().sorted { a, b in
                (a.element.row, a.element.column, a.offset) < (b.element.row, b.element.column, b.offset)
            }.map(\.element)
        }
        // The cells that hold a value, below the skipped rows.
        var kept: [Int32] = []
        var values: [XLSXValue] = []
        kept.reserveCapacity(cells.count)
        values.reserveCapacity(cells.count)
        for k in cells.indices where Int(cells[k].row) > options.skip {
            let v = reader.value(cells[k])
            if v == .empty { continue }
            kept.append(Int32(k))
            values.append(v)
        }
        guard !kept.isEmpty else {
            throw fail(options.skip > 0 ? "no data after skipping \(options.skip) \(Plural.noun(options.skip, "row"))" : "is empty")
        }
        var notices: [Note] = []
        if options.header && options.skip == 0, let n = titleCells(kept, values) {
            let titles = kept.prefix(n).map { k -> NotePart in
                .phrase(.loadTitleRow, [.text(String(cells[Int(k)].row)), .name(XLSXTableBuilder.short(reader.text(cells[Int(k)])))])
            }
            notices.append(Note(.loadTitles, [.list(titles), .text(String(cells[Int(kept[n])].row))]))
            kept.removeFirst(n)
            values.removeFirst(n)
        }
        let headerRow: Int32? = options.header ? cells[Int(kept[0])].row : nil
        let totalRows = options.keepTotals ? [] : leaveOutTotalRows(&kept, &values, below: headerRow)

        // Columns: from the leftmost to the rightmost that holds a value.
        var minColumn = Int32.max
        var maxColumn = Int32.min
        for k in kept {
            minColumn = min(minColumn, cells[Int(k)].column)
            maxColumn = max(maxColumn, cells[Int(k)].column)
        }
        let width = Int(maxColumn - minColumn) + 1
        var tableIndex = [Int](repeating: -1, count: width)
        for k in kept { tableIndex[Int(cells[Int(k)].column - minColumn)] = 0 }
        var columnCount = 0
        var dropped: [String] = []
        for o in 0..<width {
            if tableIndex[o] < 0 { dropped.append(XLSXCells.columnName(Int(minColumn) + o)); continue }
            tableIndex[o] = columnCount
            columnCount += 1
        }
        if !dropped.isEmpty {
            let list = dropped.prefix(5).map { NotePart.text($0) } + (dropped.count > 5 ? [.text("...")] : [])
            notices.append(Note(dropped.count == 1 ? .loadEmptyColumn : .loadEmptyColumns, [.list(list)]))
        }

        // Rows, and each column's cells in row order.
        var rowNumbers: [Int32] = []
        var slots = [[Slot]](repeating: [], count: columnCount)
        var headerItems = [Int32?](repeating: nil, count: columnCount)
        for (item, k) in kept.enumerated() {
            let c = cells[Int(k)]
            let j = tableIndex[Int(c.column - minColumn)]
            if c.row == headerRow { headerItems[j] = Int32(item); continue }
            if rowNumbers.last != c.row { rowNumbers.append(c.row) }
            slots[j].append((Int32(rowNumbers.count - 1), Int32(item)))
        }
        let grid = rowNumbers.count.multipliedReportingOverflow(by: columnCount)
        if grid.overflow || grid.partialValue > 200_000_000 {
            throw fail("is too large to load (\(rowNumbers.count) rows by \(columnCount) columns)")
        }

        var names: [String]
        if options.header {
            var raw: [String] = []
            for j in 0..<columnCount {
                raw.append(headerItems[j].map { reader.text(cells[Int(kept[Int($0)])]) } ?? "")
            }
            let (clean, renamed) = HeaderNames.clean(raw)
            names = clean
            notices += renamed
        } else {
            names = HeaderNames.generated(columnCount)
        }

        var forced = [ColumnKind](repeating: .undecided, count: columnCount)
        for (column, type) in options.types.sorted(by: { $0.key < $1.key }) {
            guard let j = names.firstIndex(of: column) else {
                throw fail("types: no column named `\(column)` (columns: \(names.joined(separator: ", ")))")
            }
            forced[j] = ColumnKind(type)
        }

        // Cells that do not fit a forced type: fail at the first, or skip their rows.
        var bad: [Int32: (reason: String, column: Int32, cell: String)] = [:]
        for j in 0..<columnCount where forced[j] != .undecided && forced[j] != .text {
            for s in slots[j] where bad[s.row] == nil {
                let c = cells[Int(kept[Int(s.item)])]
                guard reader.forced(c, as: forced[j]) == nil else { continue }
                let ref = XLSXCells.reference(column: Int(c.column), row: Int(c.row))
                bad[s.row] = ("value `\(XLSXTableBuilder.short(reader.text(c)))` in column `\(names[j])` is not \(forced[j].article)", c.column, ref)
            }
        }
        var skipped: [SkippedRow] = []
        var newRow = [Int32](repeating: 0, count: rowNumbers.count)
        if !bad.isEmpty {
            let order = bad.keys.sorted()
            if options.onError == .fail, let r = order.first, let b = bad[r] {
                throw fail("cell \(b.cell): " + b.reason, row: Int(rowNumbers[Int(r)]), column: Int(b.column) + 1)
            }
            for r in order {
                if let b = bad[r] {
                    skipped.append(SkippedRow(line: Int(rowNumbers[Int(r)]), column: Int(b.column) + 1, reason: b.reason, cell: b.cell))
                }
            }
        }
        var rows = 0
        for r in rowNumbers.indices {
            if bad[Int32(r)] != nil { newRow[r] = -1 } else { newRow[r] = Int32(rows); rows += 1 }
        }

        var columns: [Column] = []
        var columnNotes: [String: Note] = [:]
        for j in 0..<columnCount {
            let live = slots[j].filter { newRow[Int($0.row)] >= 0 }.map { (newRow[Int($0.row)], $0.item) }
            let (column, note, errors) = buildColumn(live, rows: rows, forced: forced[j], kept: kept, values: values)
            columns.append(column)
            if let note { columnNotes[names[j]] = note }
            if !errors.isEmpty {
                let kinds = Array(Set(errors)).sorted().prefix(3).map { NotePart.text($0) }
                notices.append(Note(.loadExcelErrors, [.name(names[j]), .counted(errors.count, .nounExcelError), .list(kinds)]))
            }
        }
        guard let table = Table(names: names, columns: columns) else { throw fail("internal error: columns of different lengths") }
        if formulasWithoutValue > 0 {
            notices.append(Note(.loadFormulasNoValue, [.counted(formulasWithoutValue, .nounFormulaCellHas)]))
        }
        // Each reason is placed by its cell (`cell B7: ...`).
        if !skipped.isEmpty { notices += SkipReport.notes(skipped) }
        if !totalRows.isEmpty { notices.append(TotalRows.note(totalRows, byLine: false)) }
        var result = LoadResult(table: table, skipped: skipped, notices: notices, columnNotes: columnNotes,
                                encoding: .utf8, delimiter: 0)
        result.totalRows = totalRows
        return result
    }

    /// Takes the total rows (`合计`, `Total`) off the end of the data and returns them (row
    /// number and label): rows below the header whose first cell that is not a number holds
    /// a total label. At least one cell always stays.
    private mutating func leaveOutTotalRows(_ kept: inout [Int32], _ values: inout [XLSXValue], below headerRow: Int32?) -> [SkippedRow] {
        var rows: [SkippedRow] = []
        while rows.count < TotalRows.most, let last = kept.last {
            let row = cells[Int(last)].row
            guard row != headerRow else { break }
            var first = kept.count - 1
            while first > 0 && cells[Int(kept[first - 1])].row == row { first -= 1 }
            guard first > 0 else { break }
            let labelled = (first..<kept.count).first { k in
                if case .number = values[k] { return false }
                return true
            }
            guard let k = labelled, case .text = values[k] else { break }
            let text = reader.text(cells[Int(kept[k])])
            guard TotalRows.isLabel(text) else { break }
            rows.insert(SkippedRow(line: Int(row), reason: TotalRows.trimmed(text)), at: 0)
            kept.removeSubrange(first...)
            values.removeSubrange(first...)
        }
        return rows
    }

    /// How many leading cells are report titles rather than the header: rows (at most
    /// five) that each hold a single text cell, followed by a row of two or more values.
    /// A header row holding a single name above wider rows would leave every other
    /// column nameless, so such rows are taken as titles; nil when there are none.
    private func titleCells(_ kept: [Int32], _ values: [XLSXValue]) -> Int? {
        var i = 0
        var titles = 0
        while i < kept.count && titles <= 5 {
            let row = cells[Int(kept[i])].row
            var j = i + 1
            while j < kept.count && cells[Int(kept[j])].row == row { j += 1 }
            if j - i >= 2 { return titles > 0 ? i : nil }
            guard case .text = values[i] else { return nil }
            titles += 1
            i = j
        }
        return nil
    }

    /// One column from its cells (row among the loaded rows, item into `kept`), plus why
    /// it turned text and the Excel errors it held.
    private mutating func buildColumn(_ live: [(Int32, Int32)], rows n: Int, forced: ColumnKind,
                                      kept: [Int32], values: [XLSXValue]) -> (Column, Note?, [String]) {
        var kind: ColumnKind? = forced == .undecided ? nil : forced
        var note: Note?
        var errors: [String] = []
        if forced == .undecided {
            var firstItem: Int32?
            for (_, item) in live {
                guard let k = values[Int(item)].kind else { continue }
                guard let current = kind else { kind = k; firstItem = item; continue }
                if k != current && current != .text {
                    let c = cells[Int(kept[Int(item)])]
                    let ref = XLSXCells.reference(column: Int(c.column), row: Int(c.row))
                    note = ColumnKind.stayedText(at: .phrase(.placeCell, [.text(ref)]), value: XLSXTableBuilder.short(reader.text(c)),
                                                 leadingZeros: current == .number && reader.hasLeadingZeros(c), expected: current)
                    kind = .text
                    break
                }
            }
            if kind == .text, note == nil, let f = firstItem {
                let c = cells[Int(kept[Int(f)])]
                if reader.hasLeadingZeros(c) {
                    let ref = XLSXCells.reference(column: Int(c.column), row: Int(c.row))
                    note = ColumnKind.stayedText(at: .phrase(.placeCell, [.text(ref)]), value: XLSXTableBuilder.short(reader.text(c)),
                                                 leadingZeros: true, expected: .number)
                }
            }
        }
        var valid = Bitmap(count: n, value: false)
        var filled = 0
        var numbers: [Double] = []
        var ints: [Int32] = []
        var bools: [Bool] = []
        var dictionary: [String] = []
        var codesOf: [String: Int32] = [:]
        var format: NumberFormat?
        var formats = Set<NumberFormat>()
        switch kind {
        case .number: numbers = Array(repeating: 0, count: n)
        case .date, .text: ints = Array(repeating: 0, count: n)
        case .bool: bools = Array(repeating: false, count: n)
        case .undecided, nil: numbers = Array(repeating: 0, count: n)
        }
        for (r, item) in live {
            let c = cells[Int(kept[Int(item)])]
            var v = values[Int(item)]
            if case .error(let e) = v { errors.append(reader.strings[Int(e)]); continue }
            if forced != .undecided && forced != .text { v = reader.forced(c, as: forced) ?? .empty }
            let i = Int(r)
            switch (kind, v) {
            case (_, .empty): continue
            case (.number?, .number(let x, let f)):
                numbers[i] = x
                if f != .plain { formats.insert(f); format = f }
            case (.date?, .date(let d)): ints[i] = d
            case (.bool?, .bool(let b)): bools[i] = b
            case (.text?, _):
                let s = reader.text(c)
                if s.isEmpty { continue }
                if let code = codesOf[s] { ints[i] = code } else {
                    let code = Int32(dictionary.count)
                    dictionary.append(s)
                    codesOf[s] = code
                    ints[i] = code
                }
            default: continue
            }
            if !valid[i] { valid[i] = true; filled += 1 }
        }
        let validity: Bitmap? = filled == n ? nil : valid
        let storage: ColumnStorage
        switch kind {
        case .number: storage = .number(NumberCells(numbers))
        case .date: storage = .date(ints)
        case .bool: storage = .bool(bools)
        case .text: storage = .text(codes: ints, dictionary: dictionary)
        case .undecided, nil: storage = .number(NumberCells(numbers))
        }
        let f: NumberFormat = formats.count == 1 ? (format ?? .plain) : .plain
        return (Column(storage: storage, validity: validity, format: f), note, errors)
    }

    /// A cell's text for messages, shortened.
    static func short(_ s: String) -> String { s.count > 40 ? String(s.prefix(37)) + "..." : s }
}
