import TallyCore
import TallyLang

/// What runs for a table expression over a remote table: one SQL query on the server,
/// then what the result becomes here.
public struct RemotePlan: Sendable {
    /// What Tally does with the rows the query returns.
    public enum Result: Sendable {
        /// The rows are the answer.
        case table
        /// One row, one column: a number (`count(o)`).
        case scalar
        /// A built-in runs here over the fetched rows (the scoring of `rfm`, the classes of
        /// `abc`): the call, whose first argument is `RemotePlan.fetchedName`.
        case local(name: String, arguments: [Argument], span: SourceSpan)
    }

    public var source: RemoteSource
    public var query: SQLQuery
    public var result: Result
    /// The operations sent to the server, in order (`where`, `group`).
    public var steps: [String]

    public init(source: RemoteSource, query: SQLQuery, result: Result, steps: [String]) {
        self.source = source
        self.query = query
        self.result = result
        self.steps = steps
    }

    /// The name the fetched rows go by in a `.local` call.
    public static let fetchedName = "\u{1}fetched"

    /// The lines `explain` shows.
    public var explanation: [String] {
        var lines = ["-- on \(source.server): " + (steps.isEmpty ? "the rows" : steps.joined(separator: ", ")), query.text + ";"]
        if case .local(let name, _, _) = result { lines.append("-- then here: `\(name)` over the rows it returns") }
        return lines
    }
}
