import TallyCore
import TallyIO
import TallyREPL

extension LoadResult {
    /// The notices as the REPL shows them in English, a note and the lines under it as one
    /// text (`skipped 2 bad rows:\n    line 3: ...`).
    var noticeTexts: [String] {
        let renderer = NoteRenderer(settings: Settings())
        var out: [String] = []
        for n in notices {
            if n.indent > 0, let last = out.popLast() {
                out.append(last + "\n  " + renderer.render(n))
            } else {
                out.append(renderer.render(n))
            }
        }
        return out
    }

    /// Why each column stayed text, as the REPL shows it in English.
    var columnNoteTexts: [String: String] {
        let renderer = NoteRenderer(settings: Settings())
        return columnNotes.mapValues { renderer.render($0) }
    }
}
