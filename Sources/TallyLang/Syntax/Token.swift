import TallyCore

/// The words the language reserves inside expressions.
public enum Keyword: String, Sendable, CaseIterable {
    case and, or, not, `as`, `true`, `false`
}

/// One lexical token.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case number(Double, NumberFormat)
        case text(String)
        /// A name; `quoted` when written in backticks (never a keyword or command).
        case name(String, quoted: Bool)
        case keyword(Keyword)
        /// Punctuation and operators: `+ - * / ^ & == != < <= > >= = |> ( ) [ ] { } , : . %`.
        case symbol(String)
        case end
    }

    public var kind: Kind
    public var span: SourceSpan

    public func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }
    public func isKeyword(_ k: Keyword) -> Bool { kind == .keyword(k) }
}
