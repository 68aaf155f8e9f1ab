import TallyCore

/// A loaded table plus what the reader had to say about it.
public struct LoadResult: Sendable {
    public var table: Table
    /// Rows left out under `onError: .skip`, in file order.
    public var skipped: [SkippedRow]
    /// Total rows (`合计`, `Total`) left out at the end of the data, in file order; the
    /// reason is the label.
    public var totalRows: [SkippedRow] = []
    /// Things the user should know (renamed headers, how many rows were skipped), as notes
    /// the REPL renders in the interface language. A note with an indent belongs under the
    /// one before it (the reasons under "skipped 6 bad rows:").
    public var notices: [Note]
    /// Why a column stayed text, by column name:
    /// "text: line 17 value `N/A` is not a number".
    public var columnNotes: [String: Note]
    public var encoding: TextEncoding
    public var delimiter: UInt8

    public init(table: Table, skipped: [SkippedRow] = [], notices: [Note] = [],
                columnNotes: [String: Note] = [:], encoding: TextEncoding = .utf8, delimiter: UInt8 = 0x2C) {
        self.table = table
        self.skipped = skipped
        self.notices = notices
        self.columnNotes = columnNotes
        self.encoding = encoding
        self.delimiter = delimiter
    }
}

/// A row the reader left out.
public struct SkippedRow: Sendable, Equatable {
    /// 1-based line in the file where the row starts (the row number in a workbook).
    public var line: Int
    /// 1-based field where the problem is, when it is one field's.
    public var column: Int?
    public var reason: String
    /// The workbook cell the reason is about (`C5`), when the row comes from a workbook.
    public var cell: String?

    public init(line: Int, column: Int? = nil, reason: String, cell: String? = nil) {
        self.line = line
        self.column = column
        self.reason = reason
        self.cell = cell
    }
}

/// Why a file could not be loaded.
public struct LoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// 1-based line, when the problem has one.
    public var line: Int?
    /// 1-based field number within the line, when the problem has one.
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `orders.csv:12:5: row has 8 fields, expected 7`.
    public var description: String {
        var s = file
        if let line {
            s += ":\(line)"
            if let column { s += ":\(column)" }
        }
        return s + ": " + message
    }
}
