import TallyCore

extension Session {
    /// Evaluates an expression in the current workspace without changing it: nothing is
    /// defined, `_` is not updated and nothing is recorded for `undo`. Front ends use it
    /// for the data argument of commands such as `chart bar orders_by_channel, ...`.
    /// Names resolve to workspace cells (and `_`/`ans` to the last value); a static
    /// problem (an unknown name) throws with the span of the offending text.
    public func evaluate(_ expr: Expr) throws(TallyError) -> Value {
        try evaluator(for: nil).evaluate(expr)
    }

    /// Parses `text` as one expression, registered as a source named like a REPL input
    /// (or `name` at `line` in a script), and evaluates it as `evaluate(_:)` does.
    public func evaluate(_ text: String, name: String? = nil, line: Int = 1) -> Result<Value, TallyError> {
        let source = registerSource(text, name: name, line: line)
        do throws(TallyError) {
            return .success(try evaluate(try Parser.parseExpression(text, source: source)))
        } catch {
            return .failure(error)
        }
    }
}
