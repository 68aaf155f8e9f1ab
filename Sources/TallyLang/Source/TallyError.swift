import TallyCore

/// A refused statement: what went wrong, where, and a hint. Errors are data; the REPL
/// renders them with a caret under `span`.
public struct TallyError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case syntax(String)
        case unknownName(String)
        case unknownFunction(String)
        case unknownColumn(column: String, table: String)
        case arguments(String)
        case cycle([String])
        case hasDependents(name: String, dependents: [String])
        case notDefined(String)
        case interrupted
        case command(String)
        case evaluation(ErrorValue)
    }

    public var kind: Kind
    public var span: SourceSpan?
    /// "did you mean `visitors`?" and similar advice.
    public var hint: String?

    public init(_ kind: Kind, span: SourceSpan?, hint: String? = nil) {
        self.kind = kind
        self.span = span
        self.hint = hint
    }

    /// The one-line description of the problem.
    public var message: String {
        switch kind {
        case .syntax(let m): return m
        case .unknownName(let n): return "unknown name `\(n)`"
        case .unknownFunction(let n): return "unknown function `\(n)`"
        case .unknownColumn(let c, let t): return t == "the table" ? "the table has no column `\(c)`" : "table `\(t)` has no column `\(c)`"
        case .arguments(let m): return m
        case .cycle(let path): return "circular definition: " + path.joined(separator: " -> ")
        case .hasDependents(let n, let deps):
            return "cannot drop `\(n)`: " + deps.map { "`\($0)`" }.joined(separator: ", ") + (deps.count == 1 ? " depends" : " depend") + " on it"
        case .notDefined(let n): return "`\(n)` is not defined"
        case .interrupted: return "interrupted; nothing changed"
        case .command(let m): return m
        case .evaluation(let e): return "\(e.kind.rawValue) \(e.message)"
        }
    }
}
