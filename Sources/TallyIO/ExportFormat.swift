/// A file format `TableWriter` can write.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// Comma-separated, RFC 4180 quoting.
    case csv
    /// Tab-separated, quoted like CSV where a cell holds a tab, quote or line break.
    case tsv
    /// A Markdown pipe table.
    case md

    /// From a file name's extension: `.csv`, `.tsv` or `.tab`, `.md` or `.markdown`.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "md", "markdown": self = .md
        default: return nil
        }
    }
}

/// Why a table could not be written.
public struct WriteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `out/plan.csv: permission denied`.
    public var description: String { "\(path): \(message)" }
}
