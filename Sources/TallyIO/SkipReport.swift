import TallyCore

/// The notes that list the rows `on_error: "skip"` left out, with why: a head line, the
/// first few reasons one a note indented under it, then how many more. A reason is the
/// parser's own (English) text; where the row is comes as typed numbers.
enum SkipReport {
    static let shown = 5

    static func notes(_ rows: [SkippedRow]) -> [Note] {
        var notes = [Note(.loadSkipped, [.counted(rows.count, .nounBadRow)])]
        for r in rows.prefix(shown) {
            let line = NotePart.text(String(r.line)), reason = NotePart.text(r.reason)
            if let cell = r.cell {
                notes.append(Note(.loadSkipAtCell, [.text(cell), reason], indent: 1))
            } else if let column = r.column {
                notes.append(Note(.loadSkipAtLineColumn, [line, .text(String(column)), reason], indent: 1))
            } else {
                notes.append(Note(.loadSkipAtLine, [line, reason], indent: 1))
            }
        }
        if rows.count > shown { notes.append(Note(.loadSkipMore, [.count(rows.count - shown)], indent: 1)) }
        return notes
    }
}
