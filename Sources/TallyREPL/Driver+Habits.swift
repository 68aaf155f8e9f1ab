import TallyLang

extension Driver {
    /// The dot and backslash commands of sqlite3, DuckDB and psql, and what they are in Tally.
    static let foreignCommands: [String: String] = [
        ".tables": "list tables", "\\d": "list tables", "\\dt": "list tables",
        ".help": "help", "\\?": "help", "\\h": "help",
        ".quit": "quit", ".exit": "quit", "\\q": "quit",
        ".schema": "describe", "\\d+": "describe",
        ".mode": "set output", ".timer": "set timer", "\\timing": "set timer",
    ]

    /// `.tables`, `\d`, `.help`, `\q`: does what it means in the tool it comes from and says
    /// Tally's word for it; another `.word` or `\x` is refused with the list of commands.
    /// Nil when the line is not one of those.
    func foreignCommand(_ text: String, name: String?, line: Int) -> Bool? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let first = trimmed.first, first == "." || first == "\\",
              trimmed.dropFirst().first.map({ $0.isLetter || $0 == "?" }) == true else { return nil }
        let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
        let word = parts[0], argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard var tally = Driver.foreignCommands[word] else {
            return fail("Tally's commands have no `\(first)`: `\(word)` is not a command",
                        hint: "type `help` for the commands (`list tables`, `describe t`, `set output csv`, `quit`)",
                        text: text, name: name, line: line, length: word.count)
        }
        // `\d orders` (psql) and `.schema orders` (sqlite3) describe one table.
        if word == "\\d" || word == "\\d+" || word == ".schema" {
            tally = argument.isEmpty ? "list tables" : "describe " + argument
        } else if !argument.isEmpty {
            tally += " " + argument
        }
        output.write("(`\(word)` is `\(tally)` in Tally)\n")
        return execute(tally, name: name, line: line)
    }
}
