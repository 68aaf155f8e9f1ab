import TallyCore

/// Builds the XML of one worksheet and its shared strings, straight into bytes (a 100k-row
/// table is millions of cells; no XML library is involved).
struct XLSXSheetWriter {
    /// Cell style indexes; the order matches `XLSXWriter.stylesXML`.
    enum Style: Int {
        case general = 0, date, percent, money, digits, header
    }

    private(set) var sheet: [UInt8] = []
    private var strings: [String] = []
    private var stringIndex: [String: Int] = [:]
    /// How many cells refer to a shared string.
    private var references = 0

    /// The `sharedStrings.xml` part for the strings the sheet used.
    var sharedStringsXML: [UInt8] {
        var out = Array(XLSXSheetWriter.declaration.utf8)
        out.append(contentsOf: "<sst xmlns=\"\(XLSXSheetWriter.mainNamespace)\" count=\"\(references)\" uniqueCount=\"\(strings.count)\">".utf8)
        for s in strings {
            out.append(contentsOf: "<si>".utf8)
            XLSXSheetWriter.textElement(s, into: &out)
            out.append(contentsOf: "</si>".utf8)
        }
        out.append(contentsOf: "</sst>".utf8)
        return out
    }

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// Writes the whole sheet: a bold header row, frozen, then one row per table row.
    /// Empty cells are left out.
    init(_ t: Table) {
        let columnCount = t.columnCount
        let letters = (0..<columnCount).map { Array(XLSXCells.columnName($0).utf8) }
        sheet.reserveCapacity(64 + t.rowCount * max(columnCount, 1) * 24)
        sheet.append(contentsOf: XLSXSheetWriter.declaration.utf8)
        sheet.append(contentsOf: "<worksheet xmlns=\"\(XLSXSheetWriter.mainNamespace)\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">".utf8)
        if columnCount > 0 {
            sheet.append(contentsOf: "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>".utf8)
            sheet.append(contentsOf: "<cols>".utf8)
            for j in 0..<columnCount {
                let w = XLSXSheetWriter.width(t.columns[j], name: t.names[j])
                sheet.append(contentsOf: "<col min=\"\(j + 1)\" max=\"\(j + 1)\" width=\"\(w)\" customWidth=\"1\"/>".utf8)
            }
            sheet.append(contentsOf: "</cols>".utf8)
        }
        sheet.append(contentsOf: "<sheetData>".utf8)
        if columnCount > 0 {
            sheet.append(contentsOf: "<row r=\"1\">".utf8)
            for j in 0..<columnCount { textCell(t.names[j], letters[j], 1, style: .header) }
            sheet.append(contentsOf: "</row>".utf8)
        }
        // Text columns: each dictionary entry gets its shared-string index once.
        let remaps: [[Int]] = t.columns.map { c in
            guard case .text(_, let dictionary) = c.storage else { return [] }
            return dictionary.map { intern($0) }
        }
        // Each column's cells as every reader sees them, made once: `storage` boxes every
        // cell of a column that holds an error.
        let storages = t.columns.map(\.storage), validities = t.columns.map(\.validity)
        for i in 0..<t.rowCount {
            let row = i + 2
            sheet.append(contentsOf: "<row r=\"".utf8)
            XLSXSheetWriter.decimal(row, into: &sheet)
            sheet.append(contentsOf: "\">".utf8)
            for (j, c) in t.columns.enumerated() where validities[j].map({ $0[i] }) ?? true {
                switch storages[j] {
                case .number(let a): numberCell(a.value(at: i), format: c.format, letters[j], row)
                case .date(let a): dateCell(a[i], letters[j], row)
                case .bool(let a): boolCell(a[i], letters[j], row)
                case .text(let codes, _):
                    let code = Int(codes[i])
                    if code >= 0 && code < remaps[j].count { sharedCell(remaps[j][code], letters[j], row, style: .general) }
                case .mixed(let a): valueCell(a[i], letters[j], row)
                }
            }
            sheet.append(contentsOf: "</row>".utf8)
        }
        sheet.append(contentsOf: "</sheetData></worksheet>".utf8)
    }

    private mutating func intern(_ s: String) -> Int {
        if let k = stringIndex[s] { return k }
        let k = strings.count
        strings.append(s)
        stringIndex[s] = k
        return k
    }

    private mutating func open(_ letters: [UInt8], _ row: Int, style: Style, type: String?) {
        sheet.append(contentsOf: "<c r=\"".utf8)
        sheet += letters
        XLSXSheetWriter.decimal(row, into: &sheet)
        sheet.append(0x22)
        if style != .general {
            sheet.append(contentsOf: " s=\"".utf8)
            XLSXSheetWriter.decimal(style.rawValue, into: &sheet)
            sheet.append(0x22)
        }
        if let type {
            sheet.append(contentsOf: " t=\"".utf8)
            sheet.append(contentsOf: type.utf8)
            sheet.append(0x22)
        }
        sheet.append(contentsOf: "><v>".utf8)
    }

    private mutating func close() { sheet.append(contentsOf: "</v></c>".utf8) }

    private mutating func numberCell(_ x: Double, format: NumberFormat, _ letters: [UInt8], _ row: Int) {
        guard x.isFinite else { return errorCell("#NUM!", letters, row) }
        let style: Style
        switch format {
        case .plain, .wan, .yi: style = .general
        case .percent: style = .percent
        case .money: style = .money
        case .digits: style = .digits
        }
        open(letters, row, style: style, type: nil)
        sheet.append(contentsOf: CellText.number(x).utf8)
        close()
    }

    private mutating func dateCell(_ days: Int32, _ letters: [UInt8], _ row: Int) {
        // Before 1900 a date has no serial: write it as ISO text, which reads back as a date.
        guard let serial = XLSXCells.serial(fromDays: days) else {
            return textCell(TallyDate(days: days).iso, letters, row, style: .general)
        }
        open(letters, row, style: .date, type: nil)
        XLSXSheetWriter.decimal(serial, into: &sheet)
        close()
    }

    private mutating func boolCell(_ b: Bool, _ letters: [UInt8], _ row: Int) {
        open(letters, row, style: .general, type: "b")
        sheet.append(b ? 0x31 : 0x30)
        close()
    }

    private mutating func errorCell(_ text: String, _ letters: [UInt8], _ row: Int) {
        open(letters, row, style: .general, type: "e")
        sheet.append(contentsOf: text.utf8)
        close()
    }

    private mutating func textCell(_ s: String, _ letters: [UInt8], _ row: Int, style: Style) {
        sharedCell(intern(s), letters, row, style: style)
    }

    private mutating func sharedCell(_ index: Int, _ letters: [UInt8], _ row: Int, style: Style) {
        open(letters, row, style: style, type: "s")
        references += 1
        XLSXSheetWriter.decimal(index, into: &sheet)
        close()
    }

    private mutating func valueCell(_ v: Value, _ letters: [UInt8], _ row: Int) {
        switch v {
        case .empty: break
        case .number(let x, let f): numberCell(x, format: f, letters, row)
        case .date(let d): dateCell(d.days, letters, row)
        case .bool(let b): boolCell(b, letters, row)
        case .text(let s): textCell(s, letters, row, style: .general)
        case .error(let e): errorCell(e.kind.rawValue, letters, row)
        default: textCell(CellText.value(v), letters, row, style: .general)
        }
    }

    /// A column width in characters, from the header and the first rows.
    private static func width(_ c: Column, name: String) -> Int {
        var widest = displayWidth(name) + 3  // room for Excel's filter button
        let storage = c.storage
        for i in 0..<min(c.count, 200) {
            let s: String
            switch storage {
            case .number(let a) where c.isValid(i):
                s = CellText.number(a.value(at: i))
                widest = max(widest, s.count + s.count / 3 + (c.format == .percent ? 3 : 1))
                continue
            case .date: s = "2026-07-01"
            default: s = CellText.cell(c, i)
            }
            widest = max(widest, displayWidth(s) + 1)
        }
        return min(max(widest, 8), 60)
    }

    /// Characters, with East Asian wide characters counted twice.
    private static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
    }

    // MARK: Bytes

    /// Appends a non-negative integer in decimal.
    static func decimal(_ n: Int, into out: inout [UInt8]) {
        let start = out.count
        var v = max(n, 0)
        repeat {
            out.append(UInt8(0x30 + v % 10))
            v /= 10
        } while v > 0
        out[start...].reverse()
    }

    /// `<t>` with the text escaped for XML; spaces at the ends are kept.
    static func textElement(_ s: String, into out: inout [UInt8]) {
        let u = s.utf8
        let padded = u.first.map { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A } == true
            || u.last.map { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A } == true
        out.append(contentsOf: (padded ? "<t xml:space=\"preserve\">" : "<t>").utf8)
        escape(s, into: &out)
        out.append(contentsOf: "</t>".utf8)
    }

    /// Escapes text for an XML text node or attribute. Characters XML 1.0 cannot hold
    /// (control characters, and `\r`, which XML would turn into `\n`) become `_xHHHH_`, as
    /// Excel writes them; a literal `_x0041_` is protected as `_x005F_x0041_`.
    static func escape(_ s: String, into out: inout [UInt8]) {
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            let b = u[i]
            switch b {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x09, 0x0A: out.append(b)
            case 0x00..<0x20:
                out.append(contentsOf: "_x00".utf8)
                let hex = Array("0123456789ABCDEF".utf8)
                out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)]); out.append(0x5F)
            case 0x5F where looksEscaped(u, i):
                out.append(contentsOf: "_x005F_".utf8)
            default:
                out.append(b)
            }
            i += 1
        }
    }

    /// Whether `u[i...]` reads `_xHHHH_`.
    private static func looksEscaped(_ u: [UInt8], _ i: Int) -> Bool {
        guard i + 6 < u.count, u[i + 1] == 0x78, u[i + 6] == 0x5F else { return false }
        return u[(i + 2)...(i + 5)].allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
    }
}
