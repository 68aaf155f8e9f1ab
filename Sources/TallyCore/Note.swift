/// A line under a result or a command's message, as data: a catalogue key and typed
/// arguments. The core never formats a number into a sentence; the REPL renders a note
/// with the settings in force (`set decimals`, `set lang`, `set currency`).
public struct Note: Sendable, Equatable {
    public enum Tone: Sendable, Equatable {
        case info
        /// Printed even when the table it belongs to is not (after `name = ...`).
        case warning
    }

    public var key: MessageKey
    public var args: [NotePart]
    public var tone: Tone
    /// Levels of two-space indentation.
    public var indent: Int

    public init(_ key: MessageKey, _ args: [NotePart] = [], tone: Tone = .info, indent: Int = 0) {
        self.key = key
        self.args = args
        self.tone = tone
        self.indent = indent
    }

    /// A sentence that comes as text from a layer without a catalogue (a reader's
    /// notice, an analysis warning): shown as it is, in English.
    public static func verbatim(_ s: String, tone: Tone = .info, indent: Int = 0) -> Note {
        Note(.verbatim, [.text(s)], tone: tone, indent: indent)
    }
}

/// One typed argument of a note.
public indirect enum NotePart: Sendable, Equatable {
    /// Shown as it is: a customer, a period label, a path.
    case text(String)
    /// A name the user can type, shown in backticks.
    case name(String)
    /// A number shown as a cell of its format would be.
    case number(Double, NumberFormat)
    /// A whole count with thousands separators.
    case count(Int)
    /// `6 rows` / `6 行`: a count with its noun from the catalogue.
    case counted(Int, MessageKey)
    /// A number a sentence compares with whole numbers (a mean beside scores): shown with
    /// enough decimals that it never reads as a whole number it is not (2.9975 is 2.998,
    /// not 3.00).
    case threshold(Double, NumberFormat)
    case date(TallyDate)
    /// A nested phrase of the catalogue.
    case phrase(MessageKey, [NotePart])
    /// Parts joined with the language's list separator (`, ` / `、`).
    case list([NotePart])
    /// Parts joined with the given separator, as they are.
    case joined([NotePart], String)
}

extension NotePart {
    public static func phrase(_ key: MessageKey) -> NotePart { .phrase(key, []) }
}
