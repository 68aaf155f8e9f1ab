import TallyCore
import TallyLang

/// Draws an error: one line naming the problem (with `FILE:line:col` when it is not the
/// line just typed), the source line with a caret under the span, and the hint.
public struct DiagnosticRenderer {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// `current` is the source being run; its location prefix is left out in the REPL.
    public func render(_ e: TallyError, sources: SourceMap, current: Int?) -> String {
        render(message: e.message, hint: e.hint, span: e.span, sources: sources, current: current)
    }

    public func render(message: String, hint: String?, span: SourceSpan?, sources: SourceMap, current: Int?,
                       label: String = "error") -> String {
        var out = ""
        let loc = span.flatMap { sources.location(of: $0) }
        let head = paint("\(label):", label == "error" ? "1;31" : "1;33") + " " + message
        if let loc, let span, span.source != current || !loc.name.hasPrefix("<input:") {
            out += "\(loc.name):\(loc.line):\(loc.column): " + head + "\n"
        } else {
            out += head + "\n"
        }
        if loc != nil, let span { out += caret(span, sources: sources) }
        if let hint { out += "  " + paint("hint:", "36") + " " + hint + "\n" }
        return out
    }

    /// The source line and a caret under the span.
    public func caret(_ span: SourceSpan, sources: SourceMap) -> String {
        var out = ""
        if let loc = sources.location(of: span) {
            let indent = DisplayWidth.of(loc.prefix)
            let caretWidth = max(1, DisplayWidth.of(String(loc.lineText.unicodeScalars.dropFirst(loc.prefix.unicodeScalars.count).prefix(loc.length).map(Character.init))))
            out += "  " + loc.lineText + "\n"
            out += "  " + String(repeating: " ", count: indent) + paint(String(repeating: "^", count: caretWidth), "1;31") + "\n"
        }
        return out
    }
}
