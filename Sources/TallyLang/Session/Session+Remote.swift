import TallyCore

extension Session {
    /// `explain EXPR`: the SQL the host would send for a remote table expression.
    func explain(_ e: Expr) throws(TallyError) -> [Event] {
        guard let remote = host?.remoteTables else {
            throw TallyError(.command("`explain` needs a remote table (load postgres ...)"), span: e.span)
        }
        // The plan is SQL text, shown as it is in every language.
        return [.message(.verbatim(try remote.explain(e, evaluator: evaluator(for: nil)).joined(separator: "\n")))]
    }
}
