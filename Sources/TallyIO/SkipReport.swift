/// The note that lists the rows `on_error: "skip"` left out, with why: the first few
/// reasons, one a line, then how many more.
enum SkipReport {
    static let shown = 5

    /// `place` names where a row is (`line 4, column 3`), or nil when its reason does.
    static func notice(_ rows: [SkippedRow], place: (SkippedRow) -> String?) -> String {
        var s = "skipped \(rows.count) bad row\(rows.count == 1 ? "" : "s"):"
        for r in rows.prefix(shown) {
            s += "\n    " + (place(r).map { $0 + ": " } ?? "") + r.reason
        }
        if rows.count > shown { s += "\n    and \(rows.count - shown) more" }
        return s
    }
}
