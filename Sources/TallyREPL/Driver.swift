import Foundation
import TallyCore
import TallyIO
import TallyLang
import TallyPostgres

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
    /// The rest of the line around the statement being run, when it shares one (`a = 1; b`).
    var lineContext = LineContext.none
    /// Remote tables (`load postgres`) and their server connections.
    public private(set) lazy var postgres: PostgresRemoteTables = {
        let p = PostgresRemoteTables()
        p.isInterrupted = { [unowned self] in self.isInterrupted() }
        p.statementTimeout = settings.pgTimeout
        return p
    }()

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
        output.write("\(n) \(Plural.noun(n, "formula")) not saved: `save \"file.tally\"`, or Ctrl-D again to quit (the journal keeps them for `tally --resume`)\n")
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
                    let shown = postgres.redactingPasswords(buffer, keep: false)
                    source.remember(statement: shown)
                    if settings.echo { output.write("tally> " + shown + "\n") }
                    _ = execute(buffer, name: nil, line: 1)
                    buffer = ""
                }
                if mayQuit() { return 0 }
            case .interrupted:
                buffer = ""
            case .line(let l):
                buffer += buffer.isEmpty ? l : "\n" + l
                if Lexer.needsMoreInput(buffer) { continue }
                let typed = buffer, text = postgres.redactingPasswords(buffer, keep: false)
                buffer = ""
                if text.allSatisfy(\.isWhitespace) { continue }
                source.remember(statement: text)
                if settings.echo { output.write("tally> " + text + "\n") }
                _ = execute(typed, name: nil, line: 1)
            }
        }
        return 0
    }

    /// Runs a script; stops at the first error unless `keepGoing`. Exit code 1 after any error.
    public func runScript(_ script: String, name: String, keepGoing: Bool) -> Int32 {
        let text = postgres.redactingPasswords(script, keep: false)
        if settings.demo && !demoLoaded { loadDemo(announce: false) }
        var failed = false
        // A failing statement stops the rest of its line, even with keepGoing.
        var lineFailed = false
        for stmt in ScriptSplitter.statements(script) {
            if quitRequested { break }
            if stmt.context.continuesLine && lineFailed { continue }
            lineFailed = false
            // Each statement's own password is kept as it runs (executeOne), none before.
            let context = redacted(stmt.context)
            if settings.echo { output.write("tally> " + postgres.redactingPasswords(stmt.text, keep: false) + "\n") }
            if !executeOne(stmt.text, name: name, line: stmt.line, context: context) {
                failed = true
                lineFailed = true
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

    /// Runs one input (statements separated by `;` run one after another, each its own
    /// step with its own output) and prints its output; false when a statement was refused,
    /// which stops the rest of the input.
    @discardableResult
    public func execute(_ typed: String, name: String?, line: Int) -> Bool {
        for stmt in ScriptSplitter.separated(typed, line: line) {
            if quitRequested { break }
            if !executeOne(stmt.text, name: name, line: stmt.line, context: redacted(stmt.context)) { return false }
        }
        return true
    }

    /// The rest of a statement's line without passwords (a caret line shows it).
    private func redacted(_ c: LineContext) -> LineContext {
        LineContext(before: postgres.redactingPasswords(c.before, keep: false), after: postgres.redactingPasswords(c.after, keep: false),
                    continuesLine: c.continuesLine)
    }

    /// Runs one statement and prints its output; false when it was refused. `context` is
    /// the rest of its line when it shares one, for the caret of an error. A password in
    /// a `load postgres` URL is taken out before anything else sees the text.
    func executeOne(_ typed: String, name: String?, line: Int, context: LineContext) -> Bool {
        let outer = lineContext
        lineContext = context
        defer { lineContext = outer }
        let text = postgres.absorbingPasswords(typed)
        _ = postgres.takeServerTime()
        let sampler = settings.timer ? HeapSampler() : nil
        let start = DispatchTime.now().uptimeNanoseconds
        let ok = dispatch(text, name: name, line: line)
        if settings.timer {
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            var shown = "\(ValueFormatter(decimals: 1).fixed(ms, ms < 10 ? 3 : 1)) ms"
            // The memory the statement needed above what was in use before it.
            if let sampler { shown += ", +\(sampler.stop()) MiB" }
            let server = postgres.takeServerTime()
            if server.milliseconds > 0 { shown += remoteTiming(server.milliseconds, bytes: server.bytes) }
            output.write("(\(shown))\n")
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
        defer { writeRemoteNotes() }
        // A table printed as CSV or markdown is printed whole: no preview of a remote one.
        session.remotePreviewRows = settings.output == .box || settings.output == .plain ? Session.previewRows : nil
        return render(session.run(text, name: name, line: line, context: lineContext), current: session.lastSource)
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
        let source = session.registerSource(text, name: name, line: line, context: lineContext)
        let span = SourceSpan(source: source, start: column - 1, end: column - 1 + max(1, length))
        report(TallyError(.command(message), span: span, hint: hint), source: source)
        return false
    }

    /// Runs a command whose refusals are `TallyError`s pointing into its own line (`source`).
    func command(_ text: String, name: String?, line: Int, _ body: (_ source: Int) throws(TallyError) -> Bool) -> Bool {
        let source = session.registerSource(text, name: name, line: line, context: lineContext)
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

    /// Candidates for tab completion of `word` in `line` (the line up to the cursor): commands
    /// at the start of a line, then functions and workspace names, `table.column`, bare columns
    /// inside a call whose first argument is a table, file names in `load "`, and the names
    /// and values of settings after `set`.
    public func completions(line: String, word: String) -> [String] {
        var pool: [String] = []
        let beforeWord = String(line.unicodeScalars.dropLast(word.unicodeScalars.count))
        let scan = CompletionScan(beforeWord)
        let before = beforeWord.trimmingCharacters(in: .whitespaces)
        let words = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let partial = scan.openString {
            guard let first = words.first, Driver.fileCommands.contains(first) else { return [] }
            return Driver.fileCompletions(partial: partial + word, word: word)
        }
        if let dot = word.lastIndex(of: ".") {
            let table = String(word[..<dot])
            if case .table(let t)? = session.workspace[table]?.value {
                pool = t.names.map { "\(table).\($0)" }
            }
        } else if words.first == "set" && words.count <= 2 {
            pool = words.count == 1 ? Settings.names : Settings.values(of: words[1])
        } else {
            if before.isEmpty { pool += Session.commandWords.filter { $0 != "what" } + ["what if", "scenario apply"] }
            if before == "help" { pool += Driver.commandHelp.map(\.name) }
            if before == "list" { pool += ListScope.words }
            let functions = session.registry.all.flatMap { [$0.name] + $0.aliases }
            pool += before == "help" ? functions : functions.map { $0 + "(" }
            pool += session.workspace.order
            pool += session.registry.labelCompletions(in: line)
            if let table = scan.callTable, case .table(let t)? = session.workspace[table]?.value {
                pool += t.names
            }
        }
        return Array(Set(pool.filter { $0.hasPrefix(word) })).sorted()
    }

    /// Whether libedit should put a space after completing `word` to `matches`: after a command
    /// or its argument (`help round `), but not after a name inside an expression
    /// (`round(visitors, 2)`), a function's `(`, a table's name (`.column` may follow) or a file name.
    public func completionWantsSpace(after matches: [String], line: String, word: String) -> Bool {
        if matches.count == 1 {
            let match = matches[0]
            if let last = match.last, last == "(" || last == "." || last == "/" { return false }
            if case .table? = session.workspace[match]?.value { return false }
        }
        let before = line.unicodeScalars.dropLast(word.unicodeScalars.count)
        return before.allSatisfy { $0 == " " || $0 == "\t" || $0 == "_" || $0.properties.isAlphabetic }
    }

    /// Commands whose quoted argument is a file name.
    static let fileCommands: Set<String> = ["load", "run"]

    /// Files and directories (ending in `/`) that start with `partial`, a path typed so far.
    /// Each candidate replaces `word`, the end of `partial` that libedit completes.
    static func fileCompletions(partial: String, word: String) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let dir = slash.map { String(partial[...$0]) } ?? ""
        let base = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        var listed = dir.isEmpty ? "." : dir
        if listed.hasPrefix("~/") { listed = NSHomeDirectory() + listed.dropFirst() }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: listed) else { return [] }
        let keep = partial.unicodeScalars.count - word.unicodeScalars.count
        return entries.filter { $0.hasPrefix(base) && (base.hasPrefix(".") || !$0.hasPrefix(".")) }.map { entry in
            var isDir: ObjCBool = false
            let full = dir + entry
            let path = listed.hasSuffix("/") ? listed + entry : listed + "/" + entry
            let suffix = FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue ? "/" : ""
            return String(String.UnicodeScalarView(full.unicodeScalars.dropFirst(keep))) + suffix
        }.sorted()
    }
}

/// What the text before the word being completed is in the middle of: an unclosed text
/// (`load "data/`), and the innermost open call with its first argument (`sort(orders, `).
struct CompletionScan {
    /// The text typed after an unclosed `"`, nil outside a text.
    private(set) var openString: String?
    /// The first argument of the innermost open call when it is a plain name and a later
    /// argument is being typed.
    private(set) var callTable: String?

    init(_ text: String) {
        var opens: [(start: String.Index, commas: Int)] = []
        var stringStart: String.Index?
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if stringStart != nil {
                if c == "\\" {
                    i = text.index(after: i)
                    if i == text.endIndex { break }
                } else if c == "\"" {
                    stringStart = nil
                }
            } else if c == "\"" {
                stringStart = text.index(after: i)
            } else if c == "(" || c == "[" || c == "{" {
                opens.append((text.index(after: i), c == "(" ? 0 : -1))
            } else if c == ")" || c == "]" || c == "}" {
                if !opens.isEmpty { opens.removeLast() }
            } else if c == ",", !opens.isEmpty, opens[opens.count - 1].commas >= 0 {
                opens[opens.count - 1].commas += 1
            }
            i = text.index(after: i)
        }
        if let s = stringStart { openString = String(text[s...]) }
        if let call = opens.last, call.commas > 0 {
            let args = text[call.start...]
            let first = args.prefix { $0 != "," }.trimmingCharacters(in: .whitespaces)
            if !first.isEmpty, first.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { callTable = first }
        }
    }
}
