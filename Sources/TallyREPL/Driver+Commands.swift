import Foundation
import TallyCore
import TallyLang

extension Driver {
    /// A REPL command and its one-line description, for `help`.
    struct CommandHelp {
        var name: String
        var usage: String
        var summary: String
    }

    static let commandHelp: [CommandHelp] = [
        CommandHelp(name: "help", usage: "help [name]", summary: "lists commands and functions; `help NAME` explains one"),
        CommandHelp(name: "list", usage: "list [NAME, ...]", summary: "shows every formula with its value and definition; `list tables`, `list formulas`, `list inputs` or `list NAME, ...` show some"),
        CommandHelp(name: "drop", usage: "drop name, ...", summary: "removes formulas (refused while others depend on them)"),
        CommandHelp(name: "undo", usage: "undo", summary: "steps back one workspace change"),
        CommandHelp(name: "redo", usage: "redo", summary: "steps forward again after undo"),
        CommandHelp(name: "rename", usage: "rename a to b", summary: "renames a formula or table and rewrites every definition that refers to it"),
        CommandHelp(name: "load", usage: "load \"f.csv\" as t, ...", summary: "reads a CSV/TSV or .xlsx file into a table (options: delimiter, header, encoding, skip, types, dateformat, on_error, sheet, keep_totals); a total row (合计, Total) at the end is left out unless keep_totals: true; `load demo` loads the sample tables"),
        CommandHelp(name: "reload", usage: "reload t", summary: "reads a loaded table's file again and recalculates what depends on it"),
        CommandHelp(name: "describe", usage: "describe t", summary: "per column: type, count, empties, min, max, mean, distinct values"),
        CommandHelp(name: "show", usage: "show t", summary: "the whole table, a page at a time"),
        CommandHelp(name: "export", usage: "export t to \"f.csv\"", summary: "writes a table (any table expression) to .csv, .tsv, .md or .xlsx (atomic; `force: true` to overwrite)"),
        CommandHelp(name: "chart", usage: "chart KIND t, ...", summary: "draws bar (x:, y:), hist (chart hist t.col), line (x:, y:), pareto (abc result), rfm (rfm result), tornado (sensitivity result), heat (two-input data table); `to: \"c.svg\"` writes SVG"),
        CommandHelp(name: "what", usage: "what if a = 1, b = 2: f1, f2", summary: "the formulas with the inputs replaced, beside their values now (base, what-if, change, % change); nothing changes"),
        CommandHelp(name: "scenario", usage: "scenario best: a = 1, b = 2", summary: "stores a named set of overrides; `scenario apply best` sets them (one undoable step); `drop scenario best`"),
        CommandHelp(name: "scenarios", usage: "scenarios", summary: "lists the stored scenarios and their overrides"),
        CommandHelp(name: "compare", usage: "compare f1, f2", summary: "one column per scenario beside the base (no names: every formula a scenario changes)"),
        CommandHelp(name: "goalseek", usage: "goalseek f = 2000000 by input, range: [lo, hi]", summary: "finds the input value that makes f equal the value (bracketing, then Brent's method), sets it; `undo` restores"),
        CommandHelp(name: "datatable", usage: "datatable f by x in 1..5 step 1, y in [1, 2]", summary: "f at every value of one input, or a grid over two (at most 10,000 cells); nothing changes"),
        CommandHelp(name: "sensitivity", usage: "sensitivity f, by: 20%, x: [lo, hi]", summary: "moves each input of f down and up alone and ranks them by how far f swings (a tornado); nothing changes"),
        CommandHelp(name: "save", usage: "save \"plan.tally\", data: true", summary: "writes the workspace as a script that `open` or `tally plan.tally` restores (atomic); `data: true` embeds loaded tables"),
        CommandHelp(name: "open", usage: "open \"plan.tally\"", summary: "replaces the workspace with a saved plan; one `undo` brings the old one back"),
        CommandHelp(name: "run", usage: "run \"file.tally\"", summary: "runs a script of statements in this workspace"),
        CommandHelp(name: "set", usage: "set NAME VALUE", summary: "output box|markdown|csv|plain, decimals N, width N|auto, timer on|off, color on|off, lang en|zh, currency \"¥\"|none, undo_memory MiB, max_rows N, pg_timeout N|off"),
        CommandHelp(name: "quit", usage: "quit (or exit, or Ctrl-D)", summary: "leaves Tally"),
    ]

    /// Handles `word` when it is a REPL command; nil hands the statement to the session.
    func replCommand(_ word: String, _ rest: String, text: String, name: String?, line: Int) -> Bool? {
        switch word {
        case "help": return help(rest, text: text, name: name, line: line)
        case "quit", "exit":
            guard rest.isEmpty else { return fail("`\(word)` takes no arguments", text: text, name: name, line: line, column: word.count + 2) }
            if mayQuit() { quitRequested = true }
            return true
        case "run": return run(rest, text: text, name: name, line: line)
        case "show": return show(rest, text: text, name: name, line: line)
        case "chart": return chart(text, name: name, line: line)
        default: return nil
        }
    }

    // MARK: help

    private func help(_ topic: String, text: String, name: String?, line: Int) -> Bool {
        let values = ValueFormatter(settings: settings)
        if topic.isEmpty {
            let zh = settings.lang == "zh"
            func heading(_ key: String, _ english: String) -> String { zh ? Catalogue.helpHeadingsZh[key] ?? english : english }
            var out = heading("commands", "Commands (at the start of a line):") + "\n"
            let w = Driver.commandHelp.map { $0.usage.count }.max() ?? 0
            for c in Driver.commandHelp {
                out += "  " + DisplayWidth.pad(c.usage, to: w) + "  " + Catalogue.helpSummary(c.name, english: c.summary, lang: settings.lang) + "\n"
            }
            out += heading("statements", "Statements: `name = expr` defines a formula; an expression alone prints its value; `;` separates statements on one line.") + "\n"
            for cat in Builtin.Category.allCases {
                let fns = session.registry.all.filter { $0.category == cat }
                guard !fns.isEmpty else { continue }
                out += "\n" + heading(cat.rawValue, "\(cat.rawValue.capitalized) functions:") + "\n"
                let fw = fns.map { DisplayWidth.of($0.signature) }.max() ?? 0
                for f in fns {
                    out += "  " + DisplayWidth.pad(f.signature, to: min(fw, 40)) + "  " + Catalogue.helpSummary(f.name, english: f.summary, lang: settings.lang) + "\n"
                }
            }
            out += "\n" + heading("footer", "`help NAME` shows a function's parameters and an example.") + "\n"
            writePaged(out)
            return true
        }
        if let f = session.registry.lookup(topic) {
            // Under `set lang zh` the summary and the headings are Chinese; the details stay English.
            let zh = settings.lang == "zh"
            func heading(_ key: String, _ english: String) -> String { zh ? Catalogue.helpHeadingsZh[key] ?? english : english }
            var out = f.signature + "\n  " + Catalogue.helpSummary(f.name, english: f.summary, lang: settings.lang) + "\n"
            if !f.details.isEmpty {
                if zh { out += heading("details", "") + "\n" }
                // The registry's `parameters:` line is a heading too.
                let lines = f.details.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0 == "parameters:" ? heading("parameters", "parameters:") : String($0) }
                out += "  " + lines.joined(separator: "\n  ") + "\n"
            }
            if !f.aliases.isEmpty { out += "  " + heading("also", "also: ") + f.aliases.joined(separator: ", ") + "\n" }
            out += heading("example", "example:") + "\n  tally> \(f.example)\n"
            let scratch = Session(registry: session.registry)
            for e in scratch.run(f.example) {
                switch e {
                case .value(let v), .defined(_, let v): out += "  " + EventRenderer(settings: settings, sources: scratch.sources, current: nil).describe(v) + "\n"
                default: break
                }
            }
            writePaged(out)
            return true
        }
        if let c = Driver.commandHelp.first(where: { $0.name == topic || ($0.name == "quit" && topic == "exit") || ($0.name == "what" && topic == "what if") }) {
            output.write("\(c.usage)\n  \(Catalogue.helpSummary(c.name, english: c.summary, lang: settings.lang))\n")
            return true
        }
        _ = values
        let all = session.registry.names + Driver.commandHelp.map(\.name)
        let hint = Suggestions.closest(to: topic, among: all).map { "did you mean `\($0)`?" } ?? "type `help` for the list"
        return fail("no help for `\(topic)`", hint: hint, text: text, name: name, line: line, column: 6, length: topic.count)
    }

    // MARK: run

    private func run(_ rest: String, text: String, name: String?, line: Int) -> Bool {
        guard rest.count >= 2, let q = rest.first, q == "\"" || q == "'", rest.last == q else {
            return fail("usage: run \"file.tally\"", text: text, name: name, line: line)
        }
        let path = String(rest.dropFirst().dropLast())
        // A regular text file of bounded size only: a FIFO would block, /dev/zero never ends.
        let script: String
        switch PlanFile.read(path) {
        case .success(let s): script = s
        case .failure(let f):
            return fail("cannot run `\(path)`: \(f.reason)", text: text, name: name, line: line, column: 5, length: rest.count)
        }
        guard !running.contains(path) else {
            return fail("`\(path)` is already running (a script cannot run itself)", text: text, name: name, line: line, column: 5, length: rest.count)
        }
        running.append(path)
        defer { running.removeLast() }
        // The script is one step: a failing statement puts back everything it did, and then
        // only its error is shown.
        let sink = output
        let held = HeldOutput()
        output = held
        let (ok, notes) = session.batch(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            runScript(script, name: path, keepGoing: false) == 0
        }
        output = sink
        held.release(to: sink, errorsOnly: !ok)
        render(notes, current: session.lastSource)
        if !ok { output.error("  note: nothing of `\(path)` was kept (a script is one step)\n") }
        return ok
    }
}
