@preconcurrency import CLibEdit   // libedit's rl_* globals are shared mutable C state
#if canImport(Glibc)
@preconcurrency import Glibc      // ... and so is `stdout`
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Synchronization
import TallyREPL

/// Reads lines on a terminal through libedit's readline-compatible API: emacs keys,
/// history kept in a file across sessions, tab completion, Ctrl-C to drop a line.
final class LibEditLineSource: LineSource {
    /// Longest history kept in memory and in the file.
    static let historyLimit: Int32 = 1000

    /// Nil when history is kept in memory only.
    private var historyPath: String?
    private var lastEntry: String?
    private var historyWriteFailed = false
    private var historyIsNew = false

    /// Called before each prompt and after each line; the executable uses it to follow terminal resizes.
    var beforeRead: (() -> Void)?

    /// - Parameters:
    ///   - historyPath: the history file, or nil to keep history in memory only.
    ///   - completer: candidates for the word being completed, given the line up to the cursor.
    ///   - spacer: whether a space follows the completed word, given the candidates.
    init(historyPath: String?, completer: @escaping (_ line: String, _ word: String) -> [String],
         spacer: @escaping (_ matches: [String], _ line: String, _ word: String) -> Bool) {
        self.historyPath = historyPath
        Terminal.adoptUTF8Locale()
        rl_readline_name = UnsafePointer(strdup("tally"))   // "tally:" lines in ~/.editrc apply
        // libedit reads the basic set (the completer set is GNU's); `.` stays out so `orders.am` is one word.
        let breaks = " \t\n\"'`@$><=;|&{(,+-*/^[]%!:"
        rl_basic_word_break_characters = UnsafePointer(strdup(breaks))
        rl_completer_word_break_characters = strdup(breaks)
        using_history()
        stifle_history(Self.historyLimit)
        if let historyPath {
            historyIsNew = access(historyPath, F_OK) != 0
            // Only a regular file keeps history: `/dev/zero` would never finish reading,
            // and libedit's save sets the mode of its target to 0600 (`/dev/null` too).
            var st = stat()
            if !historyIsNew && stat(historyPath, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
                if historyPath != "/dev/null" {
                    fputs("tally: history is off: `\(historyPath)` is not a regular file\n", stderr)
                }
                self.historyPath = nil
                historyIsNew = false
            }
        }
        if let historyPath = self.historyPath {
            _ = read_history(historyPath)                 // a missing file on the first run is fine
            lastEntry = history_get(history_base + history_length - 1)
                .flatMap { $0.pointee.line }
                .map { String(cString: $0) }
        }
        CompletionContext.completer = completer
        CompletionContext.spacer = spacer
        rl_attempted_completion_function = { text, _, end in
            rl_attempted_completion_over = 1               // no match must not fall back to file names
            let word = text.map { String(cString: $0) } ?? ""
            let whole = rl_line_buffer.map { String(cString: $0) } ?? ""
            // `end` counts characters (libedit works on wide chars), not bytes.
            let line = String(String.UnicodeScalarView(whole.unicodeScalars.prefix(Int(end))))
            let matches = CompletionContext.candidates(line: line, word: word)
            guard !matches.isEmpty else { return nil }
            rl_completion_append_character = CompletionContext.wantsSpace(matches, line, word) ? 32 : 0
            CompletionContext.matches = matches
            CompletionContext.index = 0
            return rl_completion_matches(text) { _, _ in
                guard CompletionContext.index < CompletionContext.matches.count else { return nil }
                defer { CompletionContext.index += 1 }
                return strdup(CompletionContext.matches[CompletionContext.index])   // libedit frees it
            }
        }
    }

    func read(prompt: String) -> LineRead {
        beforeRead?()
        fflush(stdout)                                    // the driver's output must precede the prompt
        sigintReceived.store(false, ordering: .relaxed)
        guard let raw = readline(prompt) else {
            let interrupted = sigintReceived.exchange(false, ordering: .relaxed)
            // Either way the cursor sits after the prompt: move on so the next output starts clean.
            // On Ctrl-D libedit has echoed `^D` after the prompt: redraw the prompt without it.
            fputs(interrupted ? "\n" : "\r\u{1B}[K" + prompt + "\n", stdout)
            fflush(stdout)
            return interrupted ? .interrupted : .eof
        }
        defer { free(raw) }
        // A Ctrl-C that raced with Enter must not abort the evaluation that follows.
        sigintReceived.store(false, ordering: .relaxed)
        beforeRead?()                                     // the terminal may have been resized meanwhile
        return .line(String(cString: raw))
    }

    /// The history entry for a statement: a statement typed over several lines is one entry.
    /// Its lines are joined with a space, which libedit shows and edits as one line, unless a
    /// text or a comment spans them (a newline matters there), then with the newline itself.
    static func historyEntry(_ statement: String) -> String {
        let lines = statement.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1, !statement.contains(where: { $0 == "\"" || $0 == "'" || $0 == "#" }) else { return statement }
        return lines.enumerated().map { $0.offset == 0 ? String($0.element) : String($0.element.drop { $0 == " " || $0 == "\t" }) }
            .joined(separator: " ")
    }

    /// Adds a non-blank statement to the history and saves the file at once, so a killed
    /// terminal keeps it (libedit's `append_history` duplicates entries, hence the full write).
    func remember(statement: String) {
        let line = Self.historyEntry(statement)
        guard !line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }), line != lastEntry else { return }
        add_history(line)
        lastEntry = line
        guard let historyPath, !historyWriteFailed else { return }
        // libedit's save sets its file's mode to 0600: keep the mode of a file someone
        // else made, change only the one Tally creates (what people type may be confidential).
        var st = stat()
        let keptMode: mode_t? = !historyIsNew && stat(historyPath, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
            ? st.st_mode & 0o7777 : nil
        if !historyIsNew && keptMode == nil {
            historyWriteFailed = true                      // replaced by something that is not a file
            fputs("tally: history is off: `\(historyPath)` is not a regular file\n", stderr)
            return
        }
        if write_history(historyPath) != 0 {
            historyWriteFailed = true
            fputs("tally: cannot save history to \(historyPath)\n", stderr)
        } else if historyIsNew {
            historyIsNew = false
            chmod(historyPath, 0o600)
        } else if let keptMode, stat(historyPath, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
                  st.st_mode & 0o7777 != keptMode {
            chmod(historyPath, keptMode)
        }
    }
}

/// readline-compat callbacks carry no user-data pointer, so the completion state lives here.
private enum CompletionContext {
    nonisolated(unsafe) static var completer: ((_ line: String, _ word: String) -> [String])?
    nonisolated(unsafe) static var matches: [String] = []
    nonisolated(unsafe) static var index = 0

    /// Whether a space follows the completed word (the driver decides; see `Driver.completionWantsSpace`).
    nonisolated(unsafe) static var spacer: ((_ matches: [String], _ line: String, _ word: String) -> Bool)?

    static func wantsSpace(_ matches: [String], _ line: String, _ word: String) -> Bool {
        spacer?(matches, line, word) ?? false
    }

    /// The completer's candidates; for `table.col` they must carry the `table.` prefix,
    /// because libedit replaces the whole word with the common prefix of the matches.
    static func candidates(line: String, word: String) -> [String] {
        let found = completer?(line, word) ?? []
        guard let dot = word.lastIndex(of: ".") else { return found }
        let table = word[...dot]
        return found.map { $0.hasPrefix(table) ? $0 : table + $0 }
    }
}
