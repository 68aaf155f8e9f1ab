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
        CommandHelp(name: "list", usage: "list", summary: "shows every formula with its value and definition"),
        CommandHelp(name: "drop", usage: "drop name, ...", summary: "removes formulas (refused while others depend on them)"),
        CommandHelp(name: "undo", usage: "undo", summary: "steps back one workspace change"),
        CommandHelp(name: "redo", usage: "redo", summary: "steps forward again after undo"),
        CommandHelp(name: "load", usage: "load \"f.csv\" as t, ...", summary: "reads a CSV/TSV or .xlsx file into a table (options: delimiter, header, encoding, skip, types, dateformat, on_error, sheet)"),
        CommandHelp(name: "reload", usage: "reload t", summary: "reads a loaded table's file again and recalculates what depends on it"),
        CommandHelp(name: "describe", usage: "describe t", summary: "per column: type, count, empties, min, max, mean, distinct values"),
        CommandHelp(name: "show", usage: "show t", summary: "the whole table, a page at a time"),
        CommandHelp(name: "export", usage: "export t to \"f.csv\"", summary: "writes a table to .csv, .tsv, .md or .xlsx (atomic; `force: true` to overwrite)"),
        CommandHelp(name: "chart", usage: "chart KIND t, ...", summary: "draws bar (x:, y:), hist (chart hist t.col), line (x:, y:), pareto (abc result), rfm (rfm result); `to: \"c.svg\"` writes SVG"),
        CommandHelp(name: "run", usage: "run \"file.tally\"", summary: "runs a script of statements in this workspace"),
        CommandHelp(name: "set", usage: "set NAME VALUE", summary: "output box|markdown|csv|plain, decimals N, width N, timer on|off, color on|off, lang en|zh"),
        CommandHelp(name: "quit", usage: "quit (or exit, or Ctrl-D)", summary: "leaves Tally"),
    ]

    /// Commands of SPEC section 2 that later issues bring; typing one says so.
    static let plannedCommands = ["save", "open", "rename", "what", "scenario", "compare", "goalseek", "datatable"]

    static let settingNames = ["output", "decimals", "width", "timer", "color", "lang"]

    /// Handles `word` when it is a REPL command; nil hands the statement to the session.
    func replCommand(_ word: String, _ rest: String, text: String, name: String?, line: Int) -> Bool? {
        switch word {
        case "help": return help(rest, text: text, name: name, line: line)
        case "quit", "exit":
            guard rest.isEmpty else { return fail("`\(word)` takes no arguments", text: text, name: name, line: line, column: word.count + 2) }
            quitRequested = true
            return true
        case "set": return set(rest, text: text, name: name, line: line)
        case "run": return run(rest, text: text, name: name, line: line)
        case "load": return load(text, name: name, line: line)
        case "reload": return reload(rest, text: text, name: name, line: line)
        case "describe": return describe(rest, text: text, name: name, line: line)
        case "show": return show(rest, text: text, name: name, line: line)
        case "export": return export(text, name: name, line: line)
        case "chart": return chart(text, name: name, line: line)
        default:
            guard Driver.plannedCommands.contains(word) else { return nil }
            return fail("`\(word)` is not available yet in Tally \(Driver.version)", hint: "type `help` for what works now",
                        text: text, name: name, line: line, length: word.count)
        }
    }

    // MARK: help

    private func help(_ topic: String, text: String, name: String?, line: Int) -> Bool {
        let values = ValueFormatter(decimals: settings.decimals)
        if topic.isEmpty {
            var out = "Commands (at the start of a line):\n"
            let w = Driver.commandHelp.map { $0.usage.count }.max() ?? 0
            for c in Driver.commandHelp { out += "  " + DisplayWidth.pad(c.usage, to: w) + "  " + c.summary + "\n" }
            out += "  not yet available: " + Driver.plannedCommands.joined(separator: ", ") + "\n"
            out += "Statements: `name = expr` defines a formula; an expression alone prints its value.\n"
            for cat in Builtin.Category.allCases {
                let fns = session.registry.all.filter { $0.category == cat }
                guard !fns.isEmpty else { continue }
                out += "\n\(cat.rawValue.capitalized) functions:\n"
                let fw = fns.map { DisplayWidth.of($0.signature) }.max() ?? 0
                for f in fns { out += "  " + DisplayWidth.pad(f.signature, to: min(fw, 40)) + "  " + f.summary + "\n" }
            }
            out += "\n`help NAME` shows a function's parameters and an example.\n"
            output.write(out)
            return true
        }
        if let f = session.registry.lookup(topic) {
            var out = f.signature + "\n  " + f.summary + "\n"
            if !f.details.isEmpty { out += "  " + f.details.replacingOccurrences(of: "\n", with: "\n  ") + "\n" }
            if !f.aliases.isEmpty { out += "  also: " + f.aliases.joined(separator: ", ") + "\n" }
            out += "example:\n  tally> \(f.example)\n"
            let scratch = Session(registry: session.registry)
            for e in scratch.run(f.example) {
                switch e {
                case .value(let v), .defined(_, let v): out += "  " + EventRenderer(settings: settings, sources: scratch.sources, current: nil).describe(v) + "\n"
                default: break
                }
            }
            output.write(out)
            return true
        }
        if let c = Driver.commandHelp.first(where: { $0.name == topic || ($0.name == "quit" && topic == "exit") }) {
            output.write("\(c.usage)\n  \(c.summary)\n")
            return true
        }
        if Driver.plannedCommands.contains(topic) {
            output.write("`\(topic)` is not available yet in Tally \(Driver.version).\n")
            return true
        }
        _ = values
        let all = session.registry.names + Driver.commandHelp.map(\.name)
        let hint = Suggestions.closest(to: topic, among: all).map { "did you mean `\($0)`?" } ?? "type `help` for the list"
        return fail("no help for `\(topic)`", hint: hint, text: text, name: name, line: line, column: 6, length: topic.count)
    }

    // MARK: set

    private func set(_ rest: String, text: String, name: String?, line: Int) -> Bool {
        let parts = rest.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 2 else {
            return fail("usage: set NAME VALUE", hint: "settings: " + Driver.settingNames.joined(separator: ", "), text: text, name: name, line: line)
        }
        let (key, value) = (parts[0], parts[1])
        let valueColumn = text.count - value.count + 1
        func bad(_ expected: String) -> Bool {
            fail("`\(value)` is not a valid value for `\(key)`", hint: "expected \(expected)", text: text, name: name, line: line,
                 column: valueColumn, length: value.count)
        }
        func onOff() -> Bool? { value == "on" ? true : (value == "off" ? false : nil) }
        switch key {
        case "output":
            guard let m = Settings.OutputMode(rawValue: value) else { return bad("box, markdown, csv or plain") }
            settings.output = m
        case "decimals":
            guard let n = Int(value), (0...12).contains(n) else { return bad("a whole number from 0 to 12") }
            settings.decimals = n
        case "width":
            guard let n = Int(value), (20...1000).contains(n) else { return bad("a whole number from 20 to 1000") }
            settings.width = n
        case "timer":
            guard let b = onOff() else { return bad("on or off") }
            settings.timer = b
        case "color":
            guard let b = onOff() else { return bad("on or off") }
            settings.color = b
        case "lang":
            guard value == "en" || value == "zh" else { return bad("en or zh") }
            settings.lang = value
        default:
            let hint = Suggestions.closest(to: key, among: Driver.settingNames).map { "did you mean `\($0)`?" }
                ?? "settings: " + Driver.settingNames.joined(separator: ", ")
            return fail("unknown setting `\(key)`", hint: hint, text: text, name: name, line: line, column: 5, length: key.count)
        }
        output.write("\(key) = \(value)\n")
        return true
    }

    // MARK: run

    private func run(_ rest: String, text: String, name: String?, line: Int) -> Bool {
        guard rest.count >= 2, let q = rest.first, q == "\"" || q == "'", rest.last == q else {
            return fail("usage: run \"file.tally\"", text: text, name: name, line: line)
        }
        let path = String(rest.dropFirst().dropLast())
        guard let data = FileManager.default.contents(atPath: path), let script = String(data: data, encoding: .utf8) else {
            let exists = FileManager.default.fileExists(atPath: path)
            return fail(exists ? "cannot read `\(path)` as UTF-8 text" : "no such file: `\(path)`", text: text, name: name, line: line,
                        column: 5, length: rest.count)
        }
        guard !running.contains(path) else {
            return fail("`\(path)` is already running (a script cannot run itself)", text: text, name: name, line: line, column: 5, length: rest.count)
        }
        running.append(path)
        defer { running.removeLast() }
        return runScript(script, name: path, keepGoing: false) == 0
    }
}
