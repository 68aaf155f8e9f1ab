import TallyCore

/// Which sheet of a workbook to read.
public enum XLSXSheet: Sendable, Equatable {
    /// By its tab name (an exact match first, then ignoring letter case).
    case name(String)
    /// By its 1-based position in the workbook's tab order, hidden sheets included.
    case index(Int)
}

/// Reads one sheet of an Excel `.xlsx` workbook into a table.
///
/// Supported: shared strings (rich text joined, phonetic guides dropped), inline strings,
/// numbers, booleans, error cells (loaded as empty, with a notice), formula cells (their
/// cached value), dates by number format (built-in and custom codes such as `yyyy-mm-dd`
/// or `yyyy"年"m"月"d"日"`) in the 1900 and 1904 date systems, strict OOXML `t="d"` cells,
/// percent and currency formats (the column's `NumberFormat`), sparse rows, cells
/// without `r` references, namespace prefixes (`x:c`).
///
/// Text cells go through the CSV parsers, so `"1,234"` stored as text is a number and
/// `2026-07-01` a date. Merged cells keep their value in the top-left cell only; the rest
/// are empty. Not read: formulas (only their results), times of day (kept as numbers),
/// rich formatting, hidden-row filtering, pivot tables, `.xls` and `.xlsb` files, and
/// password-protected workbooks (reported as such).
public enum XLSXReader {
    /// Reads one sheet: the first visible worksheet when `sheet` is nil. The header is the
    /// first row with a value after `options.skip` rows (unless `options.header` is
    /// false); `options.types` forces column types and `options.onError` says whether a
    /// cell that does not fit fails the load or skips its row. Errors name the file and,
    /// where they have one, the sheet and cell (`B7`); `line` and `column` are the cell's
    /// row and column number.
    public static func read(path: String, sheet: XLSXSheet?, options: LoadOptions) throws(LoadError) -> LoadResult {
        if options.skip < 0 { throw LoadError(file: path, message: "skip must be 0 or more") }
        var datePattern: DatePattern?
        if let f = options.dateFormat {
            switch DatePattern.parse(f) {
            case .success(let p): datePattern = p
            case .failure(let e): throw LoadError(file: path, message: "dateFormat `\(f)`: \(e.message)")
            }
        }
        let package = try XLSXPackage.open(path: path, isInterrupted: options.isInterrupted)
        let chosen = try select(sheet, in: package)
        guard chosen.isWorksheet else {
            throw LoadError(file: path, message: "sheet `\(chosen.name)` is a chart, not a sheet of cells")
        }
        guard let part = chosen.part, let data = try package.data(part) else {
            throw LoadError(file: path, message: "sheet `\(chosen.name)` is missing from the file (damaged workbook)")
        }
        let shared = XLSXSharedStringsHandler()
        _ = try package.parse(package.sharedStringsPart, with: shared)
        let styles = XLSXStylesHandler()
        _ = try package.parse(package.stylesPart, with: styles)

        let handler = XLSXSheetHandler(sharedStrings: shared.strings)
        handler.isInterrupted = options.isInterrupted
        if let problem = handler.run(data) {
            if handler.wasInterrupted { throw LoadError(file: path, message: "interrupted") }
            throw LoadError(file: path, message: "sheet `\(chosen.name)`: \(problem)")
        }
        let reader = XLSXValueReader(strings: handler.strings, styles: styles.displays,
                                     date1904: package.date1904, datePattern: datePattern)
        var builder = XLSXTableBuilder(file: path, sheet: chosen.name, options: options, reader: reader,
                                       cells: handler.cells, formulasWithoutValue: handler.formulasWithoutValue)
        var result = try builder.build(ordered: handler.ordered)
        if sheet == nil && package.sheets.count > 1 {
            let others = package.sheets.filter { $0.name != chosen.name }.map(\.name)
            let list = others.prefix(8).map { NotePart.text($0) } + (others.count > 8 ? [.text("...")] : [])
            result.notices.insert(Note(.loadOtherSheets, [.name(chosen.name), .list(list)]), at: 0)
        }
        return result
    }

    /// The workbook's sheet names in tab order (hidden sheets and chart sheets included).
    public static func sheetNames(path: String) throws(LoadError) -> [String] {
        try XLSXPackage.open(path: path).sheets.map(\.name)
    }

    private static func select(_ sheet: XLSXSheet?, in package: XLSXPackage) throws(LoadError) -> XLSXPackage.Sheet {
        let sheets = package.sheets
        let list = sheets.map(\.name).joined(separator: ", ")
        switch sheet {
        case nil:
            if let s = sheets.first(where: { $0.isWorksheet && !$0.hidden }) ?? sheets.first(where: \.isWorksheet) {
                return s
            }
            throw LoadError(file: package.file, message: "the workbook has no sheet of cells (sheets: \(list))")
        case .name(let name):
            if let s = sheets.first(where: { $0.name == name }) { return s }
            let folded = name.trimmingSpaces.lowercased()
            if let s = sheets.first(where: { $0.name.trimmingSpaces.lowercased() == folded }) { return s }
            throw LoadError(file: package.file, message: "no sheet named `\(name)` (sheets: \(list))")
        case .index(let i):
            guard i >= 1, i <= sheets.count else {
                let count = sheets.count == 1 ? "1 sheet" : "\(sheets.count) sheets"
                throw LoadError(file: package.file, message: "there is no sheet \(i): the workbook has \(count) (\(list))")
            }
            return sheets[i - 1]
        }
    }
}

extension String {
    /// The text without spaces at either end.
    fileprivate var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
