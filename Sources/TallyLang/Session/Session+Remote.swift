import TallyCore

extension Session {
    /// Rows a remote table's name alone shows: a screen's worth, not the whole table.
    public static let previewRows = 10

    /// A remote table's name typed alone: its first rows and how many there are, read from
    /// the server (`show o` and `collect(o)` read them all). Nil for anything else.
    func remotePreview(_ e: Expr) throws(TallyError) -> Value? {
        guard let rows = remotePreviewRows, case .name(let n, let span) = e, let remote = host?.remoteTables,
              case .table(let t)? = workspace[n]?.value, let source = RemoteSource(t) else { return nil }
        lastValue = .table(t)
        return .table(try remote.preview(t, source: source, rows: rows, span: span))
    }

    /// `explain EXPR`: the SQL the host would send for a remote table expression.
    func explain(_ e: Expr) throws(TallyError) -> [Event] {
        guard let remote = host?.remoteTables else {
            throw TallyError(.command("`explain` needs a remote table (load postgres ...)"), span: e.span)
        }
        // The plan is SQL text, shown as it is in every language.
        return [.message(.verbatim(try remote.explain(e, evaluator: evaluator(for: nil)).joined(separator: "\n")))]
    }
}
