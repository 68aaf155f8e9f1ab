/// A spreadsheet-style error value (`#DIV/0!`...). A formula whose evaluation fails holds
/// one; it propagates to dependents instead of stopping the session.
public struct ErrorValue: Sendable, Hashable, Error {
    public enum Kind: String, Sendable, Hashable {
        case divisionByZero = "#DIV/0!"
        case notAvailable = "#N/A"
        case reference = "#REF!"
        case value = "#VALUE!"
        case number = "#NUM!"
    }

    public var kind: Kind
    /// Why, in words ("division by zero", "sqrt of a negative number").
    public var message: String
    /// Where it arose, when known.
    public var span: SourceSpan?

    public init(_ kind: Kind, _ message: String, span: SourceSpan? = nil) {
        self.kind = kind
        self.message = message
        self.span = span
    }
}
