import Foundation
import TallyCore
import TallyIO
import TallyLang

/// The REPL front end: reads statements from a line source or a script, runs REPL
/// commands itself, hands everything else to the session and renders its events.
public final class Driver {
    public static let version = "0.1.0"
    public static let banner = "Tally \(version) - type `help` for commands, `help round` for a function."

    public let session: Session
    public var settings: Settings
    var output: OutputSink
    /// Polled during evaluation; the executable wires it to Ctrl-C.
    public var isInterrupted: () -> Bool = { false } {
        didSet { session.isInterrupted = isInterrupted }
    }
    /// Set by `quit`/`exit`.
    public internal(set) var quitRequested = false
    /// Scripts being run by `run`, to refuse a script that runs itself.
    var running: [String] = []
    /// The crash-safe log of accepted statements (interactive sessions only).
    public var journal: Journal? {
        didSet { wireJournal() }
    }
    /// Set after the first quit with unsaved work (the second one quits).
    var warnedUnsaved = false
    /// Files `export` or `chart` wrote in this session (only those are overwritten without `force`).
    var written: Set<String> = []
    /// Shows a long text a page at a time (`show`, a long `help`); nil prints it all. `wrap`:
    /// fold long lines (prose) instead of cutting them (tables). `produce` makes the text in
    /// chunks through `emit`, which returns false once the pager has quit.
    public var pager: ((_ wrap: Bool, _ produce: (_ emit: (String) -> Bool) -> Void) -> Void)?
    /// Rows of the terminal, for text that may not fit on one screen (`help`).
    public var screenHeight: () -> Int? = { nil }
    var demoLoaded = false

    public init(settings: Settings = Settings(), output: OutputSink, session: Session = Session()) {
        self.settings = settings
        self.output = output
        self.session = session
        session.host = self
    }

    /// Every accepted change goes to the journal before its result is printed; a journal
    /// that cannot be written is said once, and work goes on without it.
    private func wireJournal() {
        guard let journal else { session.onCommit = nil; return }
        session.onCommit = { [unowned self] statement in
            do throws(JournalError) {
                try journal.append(statement)
            } catch {
                output.error("warning: \(error.message); this session is no longer journaled\n")
                self.journal = nil
            }
        }
    }

    /// Defines the demo tables (`--demo`) and says so.
    public func loadDemo(announce: Bool = true) {
        demoLoaded = true
        _ = session.run("load demo", name: "--demo", line: 1)
        let parts = DemoData.tables().map { "\($0.0) (\(ValueFormatter().fixed(Double($0.1.rowCount), 0)) rows)" }
        if announce { output.write("Demo data loaded: " + parts.joined(separator: ", ") + ". Try: describe orders\n") }
    }

    /// Writes a line of the front end's own (start-up notices).
    public func output(text: String) { output.write(text) }

    /// Runs journaled statements again (`--resume`); each goes into this session's journal.
    /// Returns how many were refused (they are reported).
    public func replay(_ statements: [String], from path: String) -> Int {
        var failed = 0
        // The old journal stays on disk until the new one is synced, so one sync at the end
        // keeps the promise and replays a long journal quickly.
        journal?.batching = true
        defer {
            do throws(JournalError) { try journal?.sync() } catch {
                output.error("warning: \(error.message); this session is no longer journaled\n")
                journal = nil
            }
        }
        for (i, s) in statements.enumerated() {
            let events = session.run(s, name: path, line: i + 2)
            for case .error(let e) in events {
                report(e, source: session.lastSource)
                failed += 1
            }
        }
        return failed
    }

    /// On quit or Ctrl-D: true to leave now, false after warning once about unsaved work.
    func mayQuit() -> Bool {
        let unsaved = session.unsaved.filter { session.workspace[$0] != nil || $0 == "scenario" }
        guard journal != nil, !unsaved.isEmpty, !warnedUnsaved else { return true }
        warnedUnsaved = true
        let n = unsaved.count
        output.write("\(n) formula\(n == 1 ? "" : "s") not saved: `save \"file.tally\"`, or Ctrl-D again to quit (the journal keeps them for `tally --resume`)\n")
        return false
    }

    /// Ends the journal at exit: removed when everything was saved, kept for `--resume` otherwise.
    public func closeJournal() {
        guard let journal else { return }
        let unsaved = session.unsaved.filter { session.workspace[$0] != nil || $0 == "scenario" }
        if unsaved.isEmpty { journal.discard() } else { journal.keep() }
        self.journal = nil
    }

    // MARK: loops

    /// The interactive loop. Returns the exit code (0 after Ctrl-D or `quit`).
    public func runInteractive(_ source: LineSource) -> Int32 {
        if settings.banner { output.write(Driver.banner + "\n") }
        if settings.demo && !demoLoaded { loadDemo() }
        var buffer = ""
        while !quitRequested {
            switch source.read(prompt: buffer.isEmpty ? "tally> " : "  ...> ") {
            case .eof:
                if !buffer.isEmpty {
                    if settings.echo { output.write("tally> " + buffer + "\n") }
                    _ = execute(buffer, name: nil, line: 1)
                    buffer = ""
                }
                if mayQuit() { return 0 }
            case .interrupted:
                buffer = ""
            case .line(let l):
                buffer += buffer.isEmpty ? l : "\n" + l
                if Lexer.needsMoreInput(buffer) { continue }
                let text = buffer
                buffer = ""
                if text.allSatisfy(\.isWhitespace) { continue }
                if settings.echo { output.write("tally> " + text + "\n") }
                _ = execute(text, name: nil, line: 1)
            }
        }
        return 0
    }

    /// Runs a script; stops at the first error unless `keepGoing`. Exit code 1 after any error.
    public func runScript(_ text: String, name: String, keepGoing: Bool) -> Int32 {
        if settings.demo && !demoLoaded { loadDemo(announce: false) }
        var failed = false
        for stmt in ScriptSplitter.statements(text) {
            if quitRequested { break }
            if settings.echo { output.write("tally> " + stmt.text + "\n") }
            if !execute(stmt.text, name: name, line: stmt.line) {
                failed = true
                if !keepGoing { break }
            }
        }
        if let open = ScriptSplitter.unfinished(text), !(failed && !keepGoing) {
            // Point at the start of the statement that never closes, on its own line.
            let lineText = String(ScriptSplitter.lines(text)[open - 1])
            let column = lineText.prefix { $0 == " " || $0 == "\t" }.count + 1
            _ = fail("the input ends inside an open bracket or text", hint: "close it, or remove the line",
                     text: lineText, name: name, line: open, column: column)
            failed = true
        }
        return failed ? 1 : 0
    }

    // MARK: one statement

    /// Runs one statement and prints its output; false when it was refused.
    @discardableResult
    public func execute(_ text: String, name: String?, line: Int) -> Bool {
        let start = DispatchTime.now().uptimeNanoseconds
        let ok = dispatch(text, name: name, line: line)
        if settings.timer {
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            output.write("(\(ValueFormatter(decimals: 1).fixed(ms, ms < 10 ? 3 : 1)) ms)\n")
        }
        return ok
    }

    private func dispatch(_ text: String, name: String?, line: Int) -> Bool {
        if let handled = foreignCommand(text, name: name, line: line) { return handled }
        // Only the first word matters here; a command's own parser reads the rest.
        let trimmed = text.drop { $0.isWhitespace }
        let word = String(trimmed.prefix { $0.isLetter || $0 == "_" })
        let rest = trimmed.dropFirst(word.count)
        let isDefinition = rest.drop { $0 == " " || $0 == "\t" }.first == "=" && !rest.drop { $0 == " " }.hasPrefix("==")
        guard Driver.commandHelp.contains(where: { $0.name == word }) || word == "exit" else {
            return runInSession(text, name: name, line: line)
        }
        if !isDefinition, let handled = replCommand(word, String(rest).trimmingCharacters(in: .whitespacesAndNewlines), text: text, name: name, line: line) {
            return handled
        }
        return runInSession(text, name: name, line: line)
    }

    /// Hands a statement to the session and renders its events; false when it was refused.
    private func runInSession(_ text: String, name: String?, line: Int) -> Bool {
        render(session.run(text, name: name, line: line), current: session.lastSource)
    }

    /// Writes text, through the pager when there is one and the text is longer than the screen.
    func writePaged(_ text: String) {
        let lines = text.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
        guard let pager, lines >= (screenHeight() ?? 24) - 1 else { output.write(text); return }
        pager(true) { emit in _ = emit(text) }
    }

    /// Prints events; false when one of them was an error.
    @discardableResult
    func render(_ events: [Event], current: Int) -> Bool {
        let r = EventRenderer(settings: settings, sources: session.sources, current: current).render(events)
        if !r.out.isEmpty { output.write(r.out) }
        if !r.err.isEmpty { output.error(r.err) }
        return r.err.isEmpty
    }

    /// Reports a REPL-level problem in the same shape as language errors.
    func fail(_ message: String, hint: String? = nil, text: String, name: String?, line: Int, column: Int = 1, length: Int = 0) -> Bool {
        let source = session.registerSource(text, name: name, line: line)
        let span = SourceSpan(source: source, start: column - 1, end: column - 1 + max(1, length))
        report(TallyError(.command(message), span: span, hint: hint), source: source)
        return false
    }

    /// Runs a command whose refusals are `TallyError`s pointing into its own line (`source`).
    func command(_ text: String, name: String?, line: Int, _ body: (_ source: Int) throws(TallyError) -> Bool) -> Bool {
        let source = session.registerSource(text, name: name, line: line)
        do {
            return try body(source)
        } catch {
            report(error, source: source)
            return false
        }
    }

    func report(_ e: TallyError, source: Int) {
        output.error(DiagnosticRenderer(color: settings.color).render(e, sources: session.sources, current: source))
    }

    // MARK: completion

    /// Candidates for tab completion of `word` in `line`: commands at the start of a
    /// line, then functions and workspace names, and `table.column`.
    public func completions(line: String, word: String) -> [String] {
        var pool: [String] = []
        if let dot = word.lastIndex(of: ".") {
            let table = String(word[..<dot])
            if case .table(let t)? = session.workspace[table]?.value {
                pool = t.names.map { "\(table).\($0)" }
            }
        } else {
            let before = line.dropLast(word.count).trimmingCharacters(in: .whitespaces)
            if before.isEmpty { pool += Session.commandWords.filter { $0 != "what" } + ["what if", "scenario apply"] }
            if before == "help" { pool += Driver.commandHelp.map(\.name) }
            if before == "list" { pool += ListScope.words }
            if before.hasPrefix("set") && before.split(separator: " ").count == 1 { pool += Settings.names }
            let functions = session.registry.all.flatMap { [$0.name] + $0.aliases }
            pool += before == "help" ? functions : functions.map { $0 + "(" }
            pool += session.workspace.order
            pool += session.registry.labelCompletions(in: line)
        }
        return Array(Set(pool.filter { $0.hasPrefix(word) })).sorted()
    }
}
