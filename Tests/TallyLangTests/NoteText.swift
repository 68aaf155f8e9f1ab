import TallyCore
import TallyREPL

extension TableDisplay {
    /// The notes as the REPL prints them with the default settings (English, 2 decimals).
    var noteTexts: [String] { notes.map { NoteRenderer(settings: Settings()).render($0) } }
}
