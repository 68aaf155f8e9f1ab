import Foundation

/// One stored cell of a worksheet, before its column's type is decided.
struct XLSXRawCell {
    enum Kind: UInt8 {
        /// `number` holds the value (perhaps a date serial, by the cell's style).
        case number
        /// `string` indexes the handler's strings.
        case text
        /// `number` is 1 or 0.
        case bool
        /// `string` holds the error's text (`#N/A`, `#DIV/0!`).
        case error
        /// `string` holds an ISO 8601 date (`t="d"` cells of strict OOXML).
        case isoDate
    }

    /// 1-based, as in `B7`.
    var row: Int32
    /// 0-based: column A is 0.
    var column: Int32
    var kind: Kind
    /// Index into the workbook's cell styles (`s="3"`).
    var style: Int32
    var number: Double
    var string: Int32
}

/// Reads a worksheet part's `<sheetData>` into raw cells. Cells without a value (styled
/// blanks, the covered cells of a merge) are left out; formulas contribute their cached
/// value. Rows and cells without an `r` reference follow the one before.
final class XLSXSheetHandler: XLSXXMLHandler {
    private(set) var cells: [XLSXRawCell] = []
    /// The shared strings, then the text of inline and formula-string cells.
    private(set) var strings: [String]
    /// Formula cells the file holds no computed value for.
    private(set) var formulasWithoutValue = 0
    /// Whether the cells came in row-major order (they should; not every writer obliges).
    private(set) var ordered = true

    private let sharedCount: Int
    private var extra: [String: Int32] = [:]
    private var inSheetData = false
    private var row = 0
    private var nextColumn = 0
    private var last: (row: Int, column: Int) = (0, -1)

    private var inCell = false
    private var cellRow = 0
    private var cellColumn = 0
    private var cellType: String?
    private var cellStyle: Int32 = 0
    private var capture = false
    private var hasValue = false
    private var hasFormula = false
    private var hasInline = false
    private var inInline = false
    private var phonetic = 0
    private var buffer = ""
    /// UTF-16 length of `buffer`, checked against `XLSXCells.maxCellLength` as text arrives.
    private var captured = 0
    private var value = ""
    private var inline = ""

    init(sharedStrings: [String]) {
        strings = sharedStrings
        sharedCount = sharedStrings.count
    }

    override func start(_ name: String, _ attributes: [String: String]) {
        switch name {
        case "c" where inSheetData:
            startCell(attributes)
        case "v" where inCell:
            capture = true; buffer = ""; captured = 0
        case "t" where inInline && phonetic == 0:
            capture = true; buffer = ""; captured = inline.utf16.count
        case "f" where inCell:
            hasFormula = true
        case "is" where inCell:
            inInline = true
        case "rPh":
            phonetic += 1
        case "row" where inSheetData:
            if let r = attributes["r"] {
                guard let n = Int(r), n >= 1, n <= XLSXCells.maxRow else { return fail("row number `\(r)` is out of range") }
                row = n
            } else {
                guard row < XLSXCells.maxRow else { return fail("more than \(XLSXCells.maxRow) rows (Excel's limit)") }
                row += 1
            }
            nextColumn = 0
        case "sheetData":
            inSheetData = true
        default:
            break
        }
    }

    override func end(_ name: String) {
        switch name {
        case "v" where inCell:
            capture = false; hasValue = true; value = buffer
        case "t" where inInline && phonetic == 0:
            capture = false; hasInline = true; inline += buffer
        case "is":
            inInline = false
        case "rPh":
            phonetic -= 1
        case "c" where inCell:
            finishCell()
            inCell = false
        case "sheetData":
            inSheetData = false
        default:
            break
        }
    }

    override func text(_ s: String) {
        guard capture else { return }
        captured += s.utf16.count
        if captured > XLSXCells.maxCellLength {
            capture = false
            return fail("cell \(XLSXCells.reference(column: cellColumn, row: cellRow)) holds more than \(XLSXCells.maxCellLength) characters (Excel's limit)")
        }
        buffer += s
    }

    private func startCell(_ attributes: [String: String]) {
        if let ref = attributes["r"] {
            guard let p = XLSXCells.parseReference(ref) else { return fail("cell reference `\(ref)` is not valid") }
            cellColumn = p.column
            cellRow = p.row ?? row
        } else {
            cellColumn = nextColumn
            cellRow = row
        }
        guard cellRow >= 1 else { return fail("a cell lies outside any row") }
        guard cellColumn < XLSXCells.maxColumn else {
            return fail("row \(cellRow) has more than \(XLSXCells.maxColumn) columns")
        }
        nextColumn = cellColumn + 1
        cellType = attributes["t"]
        cellStyle = attributes["s"].flatMap { Int32($0) } ?? 0
        inCell = true
        hasValue = false
        hasFormula = false
        hasInline = false
        inline = ""
        value = ""
    }

    private func finishCell() {
        // Built only for messages: most cells never need it.
        var ref: String { XLSXCells.reference(column: cellColumn, row: cellRow) }
        switch cellType {
        case nil, "n":
            let v = trimmed(value)
            guard hasValue, !v.isEmpty else { return noValue() }
            guard let x = Double(v) else { return fail("cell \(ref): `\(v)` is not a number") }
            // `1e400` and `NaN` parse, but a column holds finite numbers only.
            guard x.isFinite else { return fail("cell \(ref): `\(v)` is not a finite number") }
            append(.number, number: x)
        case "s":
            guard hasValue else { return noValue() }
            guard let i = Int(trimmed(value)), i >= 0, i < sharedCount else {
                return fail("cell \(ref): shared string `\(value)` does not exist (the workbook has \(sharedCount))")
            }
            append(.text, string: Int32(i))
        case "inlineStr":
            if hasInline { append(.text, string: intern(XLSXCells.unescape(inline))) } else if hasValue {
                append(.text, string: intern(XLSXCells.unescape(value)))
            }
        case "str":
            guard hasValue else { return noValue() }
            append(.text, string: intern(XLSXCells.unescape(value)))
        case "b":
            guard hasValue else { return noValue() }
            switch trimmed(value).lowercased() {
            case "1", "true": append(.bool, number: 1)
            case "0", "false": append(.bool, number: 0)
            default: return fail("cell \(ref): `\(value)` is not a boolean")
            }
        case "e":
            guard hasValue else { return noValue() }
            append(.error, string: intern(trimmed(value)))
        case "d":
            guard hasValue else { return noValue() }
            append(.isoDate, string: intern(trimmed(value)))
        case let t?:
            fail("cell \(ref) has an unknown type `\(t)`")
        }
    }

    private func noValue() {
        if hasFormula { formulasWithoutValue += 1 }
    }

    private func append(_ kind: XLSXRawCell.Kind, number: Double = 0, string: Int32 = 0) {
        if cellRow < last.row || (cellRow == last.row && cellColumn <= last.column) { ordered = false }
        last = (cellRow, cellColumn)
        cells.append(XLSXRawCell(row: Int32(cellRow), column: Int32(cellColumn), kind: kind,
                                 style: cellStyle, number: number, string: string))
    }

    private func intern(_ s: String) -> Int32 {
        if let i = extra[s] { return i }
        let i = Int32(strings.count)
        strings.append(s)
        extra[s] = i
        return i
    }

    private func trimmed(_ s: String) -> String {
        guard let f = s.utf8.first, let l = s.utf8.last, f <= 0x20 || l <= 0x20 else { return s }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
