import TallyCore

/// A table read from outside, with what the reader said about it.
public struct LoadedData: Sendable {
    /// One table, or several for `load demo`.
    public var tables: [(name: String, table: Table)]
    /// Lines to show under the result (`read orders.csv: 5,000 rows, comma-separated, UTF-8`).
    public var report: [Note]
    /// Per table: column -> why it has the type it has.
    public var columnNotes: [String: [String: Note]]

    public init(tables: [(name: String, table: Table)], report: [Note] = [], columnNotes: [String: [String: Note]] = [:]) {
        self.tables = tables
        self.report = report
        self.columnNotes = columnNotes
    }
}

/// What the session asks of its front end: reading and writing files and keeping
/// display settings. The language itself never touches a file or a terminal, so tests
/// give it a host of their own (or none: then `load`, `save`, `open` and `set` say so).
public protocol SessionHost: AnyObject {
    /// Reads the data `spec` names. Errors carry a span in the load statement.
    func load(_ spec: LoadSpec) throws(TallyError) -> LoadedData
    /// The text of a plan file for `open`.
    func readPlan(path: String, span: SourceSpan) throws(TallyError) -> String
    /// Writes a plan atomically (a failing write leaves the old file intact).
    func writePlan(path: String, text: String, span: SourceSpan) throws(TallyError)
    /// Writes `table` to `path` in the format its extension names, atomically; `force`
    /// allows replacing a file this session did not write. Returns lines to show.
    func export(_ table: Table, name: String, path: String, force: Bool, span: SourceSpan) throws(TallyError) -> [Note]
    /// Writes rows that come in batches (`export o`) as `export(_:name:path:force:span:)`
    /// writes a table, or returns nil, having read none of them, when the format needs the
    /// whole table at once.
    func export(_ batches: RemoteBatches, name: String, path: String, force: Bool, span: SourceSpan) throws(TallyError) -> [Note]?
    /// Applies `set key value`; returns the line to show (`decimals = 3`).
    func applySetting(key: NameRef, value: String, valueSpan: SourceSpan) throws(TallyError) -> Note
    /// The `set` statements a saved plan restores (`set decimals 3`).
    func planSettings() -> [String]
    /// Runs operations over remote tables (`load postgres`); nil when the host has none.
    var remoteTables: RemoteTables? { get }
}

extension SessionHost {
    public var remoteTables: RemoteTables? { nil }
    public func export(_ batches: RemoteBatches, name: String, path: String, force: Bool, span: SourceSpan) throws(TallyError) -> [Note]? { nil }
}
