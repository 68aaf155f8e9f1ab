/// How `CSVReader` reads a file. Every field has a default that suits a plain UTF-8 CSV.
///
/// Unchecked `Sendable` for `isInterrupted` alone, a plain closure so that the REPL can
/// pass its own: readers call it only on the thread that called `read`.
public struct LoadOptions: @unchecked Sendable {
    /// The field separator; nil detects one of `,` tab `;` `|` from the first lines.
    public var delimiter: UInt8?
    /// Whether the first record names the columns; without it they are `column1`, `column2`...
    public var header: Bool = true
    /// Nil detects: UTF-8 (with or without BOM), else GB18030.
    public var encoding: TextEncoding?
    /// Lines to skip before the header.
    public var skip: Int = 0
    /// Forces the type of the named columns (names as they are after renaming).
    public var types: [String: ColumnType] = [:]
    /// An extra date layout, strftime style (`"%m/%d/%Y"`) or token style (`"M/D/YYYY"`);
    /// see `DatePattern`. ISO and `2026/7/1`, `2026年7月1日` are always recognised.
    public var dateFormat: String?
    /// `.skip` loads the good rows and lists the bad ones instead of failing.
    public var onError: ErrorPolicy = .fail
    /// Keeps a total row (`合计`, `Total`) at the end of the data as a row of the table;
    /// by default it is left out and reported (see `TotalRows`).
    public var keepTotals = false

    /// Asked between chunks of a CSV file and pieces of an `.xlsx` part; when it says
    /// true the load stops with the error "interrupted" and loads nothing. The REPL
    /// passes its Ctrl-C flag.
    public var isInterrupted: () -> Bool = { false }

    /// Set when `encoding` is GB18030 because the reader guessed so (the file was not UTF-8).
    var encodingGuessed = false

    /// Bytes per parallel parse chunk; nil picks from the input size. For tests.
    var chunkBytes: Int?

    public init() {}
}

/// A text encoding the reader can decode.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8
    case gb18030

    /// From option text: `utf8`, `utf-8`, `gb18030`, `gbk`, `gb2312` (any letter case).
    public init?(optionText: String) {
        switch optionText.lowercased() {
        case "utf8", "utf-8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }
}

/// A column type that can be forced with `types:`.
public enum ColumnType: String, Sendable, CaseIterable {
    case number, text, date, bool

    /// From option text; `boolean` is accepted for `bool`.
    public init?(optionText: String) {
        let t = optionText.lowercased()
        if t == "boolean" { self = .bool; return }
        self.init(rawValue: t)
    }
}

/// What to do with a bad row.
public enum ErrorPolicy: String, Sendable, CaseIterable {
    /// Stop at the first bad row and load nothing.
    case fail
    /// Load the good rows; report the bad ones in `LoadResult.skipped`.
    case skip

    public init?(optionText: String) { self.init(rawValue: optionText.lowercased()) }
}
