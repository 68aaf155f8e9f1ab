import Foundation
import TallyCore
import TallyIO
import TallyLang

extension Driver {
    static let loadOptions = ["delimiter", "header", "encoding", "skip", "types", "dateformat", "on_error", "sheet"]

    /// `load "file" as name, options...`
    func load(_ text: String, name: String?, line: Int) -> Bool {
        return command(text, name: name, line: line) { source throws(TallyError) -> Bool in
            var args = try CommandArguments(text, source: source, command: "load")
            let (path, pathSpan) = try args.text("the file name")
            try args.keyword("as")
            let (table, tableSpan) = try args.name("a name for the table: load \"file.csv\" as orders")
            let opts = try args.options(allowed: Driver.loadOptions)
            let options = try loadOptions(opts)
            let result: LoadResult
            let isXLSX = path.lowercased().hasSuffix(".xlsx")
            if opts["sheet"] != nil, !isXLSX {
                throw TallyError(.syntax("`sheet:` applies to .xlsx files"), span: opts["sheet"]?.1)
            }
            let sheetChoice = try sheet(opts["sheet"])
            do throws(LoadError) {
                if isXLSX {
                    result = try XLSXReader.read(path: path, sheet: sheetChoice, options: options)
                } else {
                    result = try CSVReader.read(path: path, options: options)
                }
            } catch {
                throw TallyError(.command(error.description), span: pathSpan,
                                 hint: error.line == nil ? nil : (options.onError == .fail ? "on_error: \"skip\" loads the good rows" : nil))
            }
            let events = session.defineData(table, table: result.table, statement: text.trimmingCharacters(in: .whitespacesAndNewlines), span: tableSpan)
            let ok = render(events, current: source)
            guard ok else { return false }
            loadNotes[table] = result.columnNotes
            let delimiter = [0x2C: "comma", 0x09: "tab", 0x3B: "semicolon", 0x7C: "pipe"][Int(result.delimiter)] ?? "delimiter \(result.delimiter)"
            let n = result.table.rowCount
            var out = "  read \(path): \(ValueFormatter().fixed(Double(n), 0)) row\(n == 1 ? "" : "s")"
            out += isXLSX ? ", Excel workbook\n" : ", \(delimiter)-separated, \(result.encoding == .utf8 ? "UTF-8" : "GB18030")\n"
            for n in result.notices { out += "  note: \(n)\n" }
            for (col, note) in result.columnNotes.sorted(by: { $0.key < $1.key }) { out += "  note: column `\(col)` \(note)\n" }
            output.write(out)
            return true
        }
    }

    private func loadOptions(_ opts: [String: (Value, SourceSpan)]) throws(TallyError) -> LoadOptions {
        var o = LoadOptions()
        func text(_ k: String) throws(TallyError) -> (String, SourceSpan)? {
            guard let (v, span) = opts[k] else { return nil }
            guard case .text(let s) = v else { throw TallyError(.syntax("`\(k)` takes a text in quotes"), span: span) }
            return (s, span)
        }
        if let (d, span) = try text("delimiter") {
            let map: [String: UInt8] = [",": 0x2C, "\t": 0x09, "\\t": 0x09, "tab": 0x09, ";": 0x3B, "|": 0x7C]
            guard let b = map[d] ?? (d.utf8.count == 1 ? d.utf8.first : nil) else {
                throw TallyError(.syntax("the delimiter must be one character"), span: span, hint: "delimiter: \";\" or \"tab\"")
            }
            o.delimiter = b
        }
        if let (v, span) = opts["header"] {
            guard case .bool(let b) = v else { throw TallyError(.syntax("`header` is true or false"), span: span) }
            o.header = b
        }
        if let (e, span) = try text("encoding") {
            guard let enc = TextEncoding(optionText: e) else {
                throw TallyError(.syntax("unknown encoding `\(e)`"), span: span, hint: "utf-8, gb18030 (also gbk)")
            }
            o.encoding = enc
        }
        if let (v, span) = opts["skip"] {
            guard case .number(let x, _) = v, x >= 0, x == x.rounded(), x < 1e9 else {
                throw TallyError(.syntax("`skip` is a whole number of lines"), span: span)
            }
            o.skip = Int(x)
        }
        if let (v, span) = opts["types"] {
            guard case .record(let r) = v else { throw TallyError(.syntax("`types` is a record such as {order_date: date}"), span: span) }
            for f in r.fields {
                guard case .text(let t) = f.value, let ct = ColumnType(optionText: t) else {
                    throw TallyError(.syntax("unknown type for `\(f.name)`"), span: span, hint: "number, text, date or bool")
                }
                o.types[f.name] = ct
            }
        }
        if let (f, _) = try text("dateformat") { o.dateFormat = f }
        if let (p, span) = try text("on_error") {
            guard let policy = ErrorPolicy(optionText: p) else {
                throw TallyError(.syntax("on_error is \"fail\" or \"skip\""), span: span)
            }
            o.onError = policy
        }
        return o
    }

    /// `sheet: "Q3"` or `sheet: 2`.
    private func sheet(_ opt: (Value, SourceSpan)?) throws(TallyError) -> XLSXSheet? {
        guard let (v, span) = opt else { return nil }
        switch v {
        case .text(let s): return .name(s)
        case .number(let x, _) where x >= 1 && x == x.rounded() && x < 10_000: return .index(Int(x))
        default: throw TallyError(.syntax("`sheet` is a sheet name in quotes or a sheet number from 1"), span: span)
        }
    }

    /// `reload name`: runs the table's load statement again.
    func reload(_ rest: String, text: String, name: String?, line: Int) -> Bool {
        let table = rest.trimmingCharacters(in: .whitespaces)
        guard let cell = session.workspace[table], case .data(let statement) = cell.origin, statement.hasPrefix("load") else {
            let hint = Suggestions.closest(to: table, among: session.workspace.order).map { "did you mean `\($0)`?" }
            return fail(table.isEmpty ? "usage: reload name" : "`\(table)` is not a loaded table", hint: hint, text: text, name: name, line: line,
                        column: 8, length: table.count)
        }
        return load(statement, name: name, line: line)
    }

    /// Renders events; false when one was an error.
    @discardableResult
    func render(_ events: [Event], current: Int) -> Bool {
        let r = EventRenderer(settings: settings, sources: session.sources, current: current).render(events)
        if !r.out.isEmpty { output.write(r.out) }
        if !r.err.isEmpty { output.error(r.err) }
        return r.err.isEmpty
    }
}
