import TallyCore

extension Session {
    /// `explain EXPR`: the SQL the host would send for a remote table expression.
    func explain(_ e: Expr) throws(TallyError) -> [Event] {
        guard let remote = host?.remoteTables else {
            throw TallyError(.command("`explain` needs a remote table (load postgres ...)"), span: e.span)
        }
        return [.message(try remote.explain(e, evaluator: evaluator(for: nil)).joined(separator: "\n"))]
    }
}
