import Foundation
import TallyCore
import TallyIO
import TallyLang

extension Driver {
    /// The table an inspecting command names, or a reported error.
    private func namedTable(_ rest: String, command: String, text: String, name: String?, line: Int) -> Table? {
        let n = rest.trimmingCharacters(in: .whitespaces)
        let column = command.count + 2
        guard let cell = session.workspace[n] else {
            var hint = Suggestions.closest(to: n, among: session.workspace.order).map { "did you mean `\($0)`?" }
            // `describe orders.amount` or `show orders extra`: the command takes one table.
            if let table = n.split(whereSeparator: { $0 == "." || $0 == " " }).first, String(table) != n,
               case .table? = session.workspace[String(table)]?.value {
                hint = "`\(command)` takes one table: \(command) \(table)"
            }
            _ = fail(n.isEmpty ? "usage: \(command) name" : "unknown name `\(n)`", hint: hint, text: text, name: name, line: line,
                     column: column, length: n.count)
            return nil
        }
        guard case .table(let t) = cell.value else {
            _ = fail("`\(n)` is a \(cell.value.typeName), not a table", text: text, name: name, line: line, column: column, length: n.count)
            return nil
        }
        return t
    }

    /// `show t`: the whole table, through the pager on a terminal.
    func show(_ rest: String, text: String, name: String?, line: Int) -> Bool {
        guard let t = namedTable(rest, command: "show", text: text, name: name, line: line) else { return false }
        var s = settings
        s.width = 100_000
        let formatter = TableFormatter(settings: s)
        if let pager {
            pager(false) { emit in formatter.stream(t, emit: emit) }
        } else {
            formatter.stream(t) { output.write($0); return true }
        }
        return true
    }
}
