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

    /// `describe t`: per column its type, counts, range, mean and distinct values.
    func describe(_ rest: String, text: String, name: String?, line: Int) -> Bool {
        guard let t = namedTable(rest, command: "describe", text: text, name: name, line: line) else { return false }
        let notes = session.workspace[rest.trimmingCharacters(in: .whitespaces)]?.columnNotes ?? [:]
        var rows: [[Value]] = []
        for (n, c) in zip(t.names, t.columns) {
            let distinct = c.distinctCount()
            let empties = c.emptyCount
            var lo = Value.empty, hi = Value.empty, mean = Value.empty
            switch c.storage {
            case .number(let xs):
                var s = CompensatedSum()
                var mn = Double.infinity, mx = -Double.infinity
                if let v = c.validity {
                    for i in 0..<xs.count where v[i] { s.add(xs[i]); mn = min(mn, xs[i]); mx = max(mx, xs[i]) }
                } else {
                    for x in xs { s.add(x); mn = min(mn, x); mx = max(mx, x) }
                }
                if c.count > empties {
                    lo = .number(mn, c.format); hi = .number(mx, c.format)
                    mean = .number(s.value / Double(c.count - empties), c.format)
                }
            case .date(let ds):
                var mn = Int32.max, mx = Int32.min
                for i in 0..<ds.count where c.isValid(i) { mn = min(mn, ds[i]); mx = max(mx, ds[i]) }
                if mn <= mx { lo = .date(TallyDate(days: mn)); hi = .date(TallyDate(days: mx)) }
            case .text(_, let dict):
                let used = c.usedCodes()
                let texts = dict.indices.filter { used[$0] }.map { dict[$0] }
                if let a = texts.min(), let b = texts.max() { lo = .text(a); hi = .text(b) }
            default: break
            }
            rows.append([.text(n), .text(c.typeName), .num(Double(c.count - empties)), .num(Double(empties)),
                         lo, hi, mean, .num(Double(distinct))])
        }
        let headers = ["column", "type", "count", "empty", "min", "max", "mean", "distinct"]
        output.write(TableFormatter(settings: settings).render(headers: headers, rows: rows, elide: false))
        var out = "(\(ValueFormatter().fixed(Double(t.rowCount), 0)) row\(t.rowCount == 1 ? "" : "s"))\n"
        // Why a column stayed text (the row that broke its type), from the load.
        for n in t.names { if let note = notes[n] { out += "note: column `\(n)` \(note)\n" } }
        output.write(out)
        return true
    }

    /// `show t`: the whole table, through the pager on a terminal.
    func show(_ rest: String, text: String, name: String?, line: Int) -> Bool {
        guard let t = namedTable(rest, command: "show", text: text, name: name, line: line) else { return false }
        var s = settings
        s.width = 100_000
        let formatter = TableFormatter(settings: s)
        if let pager {
            pager { emit in formatter.stream(t, emit: emit) }
        } else {
            formatter.stream(t) { output.write($0); return true }
        }
        return true
    }

    /// `export t to "file.csv"[, force: true]`: atomic, and never over a file this session did not write.
    func export(_ text: String, name: String?, line: Int) -> Bool {
        return command(text, name: name, line: line) { source throws(TallyError) -> Bool in
            var args = try CommandArguments(text, source: source, command: "export")
            let (table, tableSpan) = try args.name("the table to export")
            try args.keyword("to")
            let (path, pathSpan) = try args.text("the file name")
            let opts = try args.options(allowed: ["force"])
            guard case .table(let t)? = session.workspace[table]?.value else {
                throw TallyError(.command("`\(table)` is not a table"), span: tableSpan,
                                 hint: Suggestions.closest(to: table, among: session.workspace.order).map { "did you mean `\($0)`?" })
            }
            let ext = (path as NSString).pathExtension.lowercased()
            let formats: [String: ExportFormat] = ["csv": .csv, "tsv": .tsv, "txt": .tsv, "md": .md]
            guard ext == "xlsx" || formats[ext] != nil, let format = formats[ext] ?? .csv as ExportFormat? else {
                throw TallyError(.command(ext.isEmpty ? "`\(path)` has no extension to tell the format by" : "cannot export to .\(ext) files"),
                                 span: pathSpan, hint: "use .csv, .tsv, .md or .xlsx")
            }
            var force = false
            if let (v, span) = opts["force"] {
                guard case .bool(let b) = v else { throw TallyError(.syntax("`force` is true or false"), span: span) }
                force = b
            }
            let full = URL(fileURLWithPath: path).standardizedFileURL.path
            if FileManager.default.fileExists(atPath: full), !written.contains(full), !force {
                throw TallyError(.command("`\(path)` exists and was not written by this session"), span: pathSpan,
                                 hint: "add `, force: true` to overwrite it")
            }
            let notices: [String]
            do {
                if ext == "xlsx" {
                    notices = try XLSXWriter.write(t, to: path, sheetName: table)
                } else {
                    notices = try TableWriter.write(t, to: path, format: format)
                }
            } catch {
                throw TallyError(.command("cannot write `\(path)`: \(error)"), span: pathSpan)
            }
            written.insert(full)
            output.write("wrote \(ValueFormatter().fixed(Double(t.rowCount), 0)) rows to \(path)\n")
            for n in notices { output.write("  note: \(n)\n") }
            return true
        }
    }
}
