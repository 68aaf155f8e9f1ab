import Foundation
import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Synchronization
import TallyREPL
import CMalloc

/// The `tally` command: the REPL on a terminal, otherwise a script runner.
@main
struct Tally: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tally",
        abstract: "A spreadsheet-style calculator for sales planning.",
        discussion: """
            Tally keeps named numbers, formulas and tables in a workspace that recalculates \
            whenever something they depend on changes. With no arguments on a terminal it opens \
            an interactive REPL (history, tab completion, Ctrl-C cancels, Ctrl-D quits); given a \
            FILE, `-e` statements or a pipe on standard input, it runs them as a script and stops \
            at the first error, printing FILE:line:col.

            Examples:
              tally                                 open the REPL
              tally plan.tally                      run a script
              tally --keep-going plan.tally         run all of it, reporting every error
              tally plan.tally -e 'revenue'         run a script, then evaluate a statement
              tally -e 'visitors = 12000' -e 'visitors * 3%'
              echo 'round(2.345, 2)' | tally        run statements piped on standard input
            """,
        version: "tally \(Driver.version)"
    )

    @Argument(help: ArgumentHelp("A .tally script to run.", valueName: "FILE"),
              completion: .file(extensions: ["tally"]))
    var file: String?

    @Option(name: [.customShort("e"), .customLong("eval")], parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Run a statement, after FILE if there is one (repeatable).", valueName: "STMT"))
    var eval: [String] = []

    @Flag(help: "Keep running a script after an error (the exit code is still 1).")
    var keepGoing = false

    @Flag(help: "Don't colour the output (colour is also off when NO_COLOR is set or stdout is not a terminal).")
    var noColor = false

    @Flag(help: "Start with the bundled sample data set.")
    var demo = false

    @Flag(help: "Restore the most recent session that ended without saving (from its journal).")
    var resume = false

    mutating func run() throws {
        // Column arrays of tens of megabytes come and go with every statement; glibc would map
        // each fresh and fault it in again (40% of `sum(round(t.amount, 0))` on 10M rows).
        tally_tune_allocator()

        // Read the script before anything runs, so a typo in the name fails cleanly.
        var scriptText: String?
        if let file {
            switch ScriptText.load(path: file) {
            case .success(let text): scriptText = text
            case .failure(let failure):
                Terminal.printError("tally: cannot read \(file): \(failure.reason)\n")
                throw ExitCode(2)
            }
        }

        var settings = Settings()
        settings.color = Terminal.wantsColor(noColorFlag: noColor)
        settings.demo = demo
        settings.lang = Settings.language(environment: ProcessInfo.processInfo.environment)
        // A terminal's width, else `COLUMNS`; output to a pipe or file is not cut.
        settings.terminalWidth = Terminal.width()
        if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), (20...1000).contains(columns),
           settings.terminalWidth == nil {
            settings.width = columns
            settings.widthFollowsTerminal = false
        } else {
            settings.width = settings.terminalWidth ?? Settings.unlimitedWidth
        }
        let driver = Driver(settings: settings, output: StandardOutput())

        let status: Int32
        if let file, let scriptText {
            status = runScripts([(scriptText, file)] + eval.map { ($0, "-e") }, driver)
        } else if !eval.isEmpty {
            status = runScripts(eval.map { ($0, "-e") }, driver)
        } else if resume || (Terminal.isTTY(STDIN_FILENO) && Terminal.isTTY(STDOUT_FILENO)) {
            status = runInteractive(driver)
        } else {
            // A pipe or redirect: no prompt, no libedit, no history.
            switch ScriptText.loadStandardInput() {
            case .success(let text): status = driver.runScript(text, name: "<stdin>", keepGoing: keepGoing)
            case .failure(let failure):
                Terminal.printError("tally: cannot read standard input: \(failure.reason)\n")
                status = 2
            }
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// Runs each text in turn in one workspace; stops after a failing one unless `--keep-going`.
    private func runScripts(_ scripts: [(text: String, name: String)], _ driver: Driver) -> Int32 {
        var status: Int32 = 0
        for script in scripts {
            let code = driver.runScript(script.text, name: script.name, keepGoing: keepGoing)
            status = max(status, code)
            if code != 0 && !keepGoing { break }
        }
        return status
    }

    private func runInteractive(_ driver: Driver) -> Int32 {
        SessionJournal.start(driver, resume: resume)
        defer { driver.closeJournal() }
        Terminal.installSigintHandler()
        driver.isInterrupted = { sigintReceived.load(ordering: .relaxed) }
        if Terminal.isTTY(STDERR_FILENO) {
            // A long fetch from a server shows the rows so far on one line, cleared at its end.
            driver.postgres.progress = { [unowned driver] rows in
                Terminal.printError("\r\u{1B}[K" + (rows.map { driver.remoteProgressLine(rows: $0) } ?? ""))
            }
        }
        driver.pager = { Pager.page(wrap: $0, $1) }
        driver.screenHeight = { Terminal.height() }
        let source = LibEditLineSource(
            historyPath: Self.historyPath(),
            completer: { [unowned driver] line, word in driver.completions(line: line, word: word) },
            spacer: { [unowned driver] matches, line, word in driver.completionWantsSpace(after: matches, line: line, word: word) })
        // Follow terminal resizes, unless the user chose a width with `set width`. Read before
        // each prompt and again once a line is entered (the window may change while it is typed).
        source.beforeRead = { [unowned driver] in
            guard let width = Terminal.width() else { return }
            driver.settings.terminalWidth = width
            if driver.settings.widthFollowsTerminal { driver.settings.width = width }
        }
        return driver.runInteractive(source)
    }

    /// `TALLY_HISTORY` if set (empty turns history off), else `~/.tally_history`.
    private static func historyPath() -> String? {
        if let custom = getenv("TALLY_HISTORY") {
            let path = String(cString: custom)
            return path.isEmpty ? nil : path
        }
        if let home = getenv("HOME"), home.pointee != 0 {
            return String(cString: home) + "/.tally_history"
        }
        guard let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir else { return nil }
        return String(cString: dir) + "/.tally_history"
    }
}
