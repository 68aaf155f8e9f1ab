import Foundation
import TallyCore
import TallyIO
import TallyLang

/// The REPL is the session's host: it reads files, writes plans and keeps the display
/// settings; the language only asks.
extension Driver: SessionHost {
    static let loadOptions = ["delimiter", "header", "encoding", "skip", "types", "dateformat", "on_error", "sheet", "keep_totals"]

    public func load(_ spec: LoadSpec) throws(TallyError) -> LoadedData {
        if case .postgres = spec.source { return try postgres.load(spec) }
        guard case .file(let path) = spec.source else {
            return LoadedData(tables: DemoData.tables().map { ($0.0, $0.1) },
                              report: [Note(.demoLoaded, [.list(DemoData.tables().map { .phrase(.tableRows, [.text($0.0), .counted($0.1.rowCount, .nounRow)]) })],
                                            indent: 1)])
        }
        let pathSpan = spec.pathSpan
        for o in spec.options where !Driver.loadOptions.contains(o.label) {
            let hint = Suggestions.closest(to: o.label, among: Driver.loadOptions).map { "did you mean `\($0)`?" }
                ?? "options: " + Driver.loadOptions.joined(separator: ", ")
            throw TallyError(.syntax("`load` has no option `\(o.label)`"), span: o.labelSpan, hint: hint)
        }
        var options = try loadOptions(spec)
        options.isInterrupted = isInterrupted
        let isXLSX = path.lowercased().hasSuffix(".xlsx")
        if let (_, span) = spec.option("sheet"), !isXLSX {
            throw TallyError(.syntax("`sheet:` applies to .xlsx files"), span: span)
        }
        for k in ["delimiter", "encoding"] {
            if isXLSX, let (_, span) = spec.option(k) {
                throw TallyError(.syntax("`\(k):` applies to CSV and TSV files, not .xlsx"), span: span)
            }
        }
        let sheetChoice = try sheet(spec.option("sheet"))
        let result: LoadResult
        do throws(LoadError) {
            result = isXLSX ? try XLSXReader.read(path: path, sheet: sheetChoice, options: options)
                : try CSVReader.read(path: path, options: options)
        } catch {
            // Only a bad row can be skipped; a damaged or binary file cannot.
            let rowError = error.line != nil && !error.message.contains("NUL byte") && !error.message.contains("mixes encodings")
            throw TallyError(.command(error.description), span: pathSpan,
                             hint: rowError && options.onError == .fail ? "on_error: \"skip\" loads the good rows" : nil)
        }
        let delimiter: NotePart = [0x2C: NotePart.phrase(.delimiterComma), 0x09: .phrase(.delimiterTab), 0x3B: .phrase(.delimiterSemicolon),
                                   0x7C: .phrase(.delimiterPipe)][Int(result.delimiter)]
            ?? .name(String(decoding: [result.delimiter], as: UTF8.self))
        let n = result.table.rowCount
        var report = [Note(.readFile, [.text(path), .counted(n, .nounRow),
                                       isXLSX ? .phrase(.readWorkbook) : .phrase(.readSeparated, [delimiter,
                                                                                                .text(result.encoding == .utf8 ? "UTF-8" : "GB18030")])],
                           indent: 1)]
        // A head notice reads "note: ..."; the lines under it keep their indent below it.
        report += result.notices.map { n in
            n.indent == 0 ? Note(.plainNote, [.phrase(n.key, n.args)], indent: 1) : Note(n.key, n.args, tone: n.tone, indent: n.indent + 1)
        }
        report += result.columnNotes.sorted { $0.key < $1.key }.map { Note(.columnNote, [.name($0.key), .phrase($0.value.key, $0.value.args)], indent: 1) }
        let name = spec.name ?? "t"
        return LoadedData(tables: [(name, result.table)], report: report, columnNotes: [name: result.columnNotes])
    }

    private func loadOptions(_ spec: LoadSpec) throws(TallyError) -> LoadOptions {
        var o = LoadOptions()
        func text(_ k: String) throws(TallyError) -> (String, SourceSpan)? {
            guard let (v, span) = spec.option(k) else { return nil }
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
        if let (v, span) = spec.option("header") {
            guard case .bool(let b) = v else { throw TallyError(.syntax("`header` is true or false"), span: span) }
            o.header = b
        }
        if let (e, span) = try text("encoding") {
            guard let enc = TextEncoding(optionText: e) else {
                throw TallyError(.syntax("unknown encoding `\(e)`"), span: span, hint: "utf-8, gb18030 (also gbk)")
            }
            o.encoding = enc
        }
        if let (v, span) = spec.option("skip") {
            guard case .number(let x, _) = v, x >= 0, x == x.rounded(), x < 1e9 else {
                throw TallyError(.syntax("`skip` is a whole number of lines"), span: span)
            }
            o.skip = Int(x)
        }
        if let (v, span) = spec.option("types") {
            guard case .record(let r) = v else { throw TallyError(.syntax("`types` is a record such as {order_date: date}"), span: span) }
            for f in r.fields {
                guard case .text(let t) = f.value, let ct = ColumnType(optionText: t) else {
                    throw TallyError(.syntax("unknown type for `\(f.name)`"), span: span, hint: "number, text, date or bool")
                }
                o.types[f.name] = ct
            }
        }
        if let (v, span) = spec.option("keep_totals") {
            guard case .bool(let b) = v else { throw TallyError(.syntax("`keep_totals` is true or false"), span: span) }
            o.keepTotals = b
        }
        if let (f, _) = try text("dateformat") { o.dateFormat = f }
        if let (p, span) = try text("on_error") {
            guard let policy = ErrorPolicy(optionText: p) else {
                let near = Suggestions.closest(to: p, among: ["fail", "skip"])
                throw TallyError(.syntax("on_error is \"fail\" or \"skip\", not \"\(p)\""), span: span,
                                 hint: near.map { "did you mean \"\($0)\"?" })
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

    public func readPlan(path: String, span: SourceSpan) throws(TallyError) -> String {
        switch PlanFile.read(path) {
        case .success(let text): return text
        case .failure(let failure): throw TallyError(.command("cannot open `\(path)`: \(failure.reason)"), span: span)
        }
    }

    public func writePlan(path: String, text: String, span: SourceSpan) throws(TallyError) {
        let full = (path as NSString).standardizingPath
        if FileManager.default.fileExists(atPath: full), !written.contains(full), !PlanFile.looksLikePlan(full) {
            throw TallyError(.command("`\(path)` exists and is not a Tally plan"), span: span,
                             hint: "save to another file name (a plan starts with \"# Tally plan\")")
        }
        do throws(WriteError) {
            _ = try AtomicFile.write(Array(text.utf8), to: path)
        } catch {
            throw TallyError(.command("cannot save: \(error.message)"), span: span, hint: "nothing was written; the old file is as it was")
        }
        written.insert(full)
    }

    /// The format `path`'s extension names (nil: .xlsx) and its full path, once `export` may
    /// write there: never over a file this session did not write unless `force`.
    private func exportTarget(_ path: String, force: Bool, span: SourceSpan) throws(TallyError) -> (ExportFormat?, String) {
        let ext = (path as NSString).pathExtension.lowercased()
        let formats: [String: ExportFormat] = ["csv": .csv, "tsv": .tsv, "txt": .tsv, "md": .md]
        guard ext == "xlsx" || formats[ext] != nil else {
            throw TallyError(.command(ext.isEmpty ? "`\(path)` has no extension to tell the format by" : "cannot export to .\(ext) files"),
                             span: span, hint: "use .csv, .tsv, .md or .xlsx")
        }
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        if FileManager.default.fileExists(atPath: full), !written.contains(full), !force {
            throw TallyError(.command("`\(path)` exists and was not written by this session"), span: span,
                             hint: "add `, force: true` to overwrite it")
        }
        return (formats[ext], full)
    }

    /// `export` of rows read in batches: CSV and TSV are written as the batches come;
    /// nil for Markdown and .xlsx, which are made from the whole table.
    public func export(_ batches: RemoteBatches, name: String, path: String, force: Bool, span: SourceSpan) throws(TallyError) -> [Note]? {
        let (format, full) = try exportTarget(path, force: force, span: span)
        guard let format, format != .md else { return nil }
        var rows = 0
        let notices: AtomicFile.Notices
        do {
            notices = try TableWriter.write(names: batches.names, batches: { (write: (Table) throws(TallyError) -> Void) throws(TallyError) in
                rows = try batches.forEach(write)
            }, to: path, format: format)
        } catch let error as TallyError {
            throw error
        } catch {
            throw TallyError(.command("cannot write `\(path)`: \(error)"), span: span)
        }
        written.insert(full)
        return [Note(.exported, [.counted(rows, .nounRow), .text(path)])] + notices.map { Note(.plainNote, [.phrase($0.key, $0.args)], indent: 1) }
    }

    /// `export`: atomic, and never over a file this session did not write unless `force`.
    public func export(_ t: Table, name: String, path: String, force: Bool, span: SourceSpan) throws(TallyError) -> [Note] {
        let (format, full) = try exportTarget(path, force: force, span: span)
        let notices: AtomicFile.Notices
        do {
            if format == nil {
                notices = try XLSXWriter.write(t, to: path, sheetName: name)
            } else if format == .md {
                // Markdown is for people: numbers as the REPL shows them (separators, decimals, %).
                var markdown = settings
                markdown.output = .markdown
                notices = try TableWriter.write(text: TableFormatter(settings: markdown).render(t, totals: nil), to: path)
            } else {
                notices = try TableWriter.write(t, to: path, format: format ?? .csv)
            }
        } catch {
            throw TallyError(.command("cannot write `\(path)`: \(error)"), span: span)
        }
        written.insert(full)
        return [Note(.exported, [.counted(t.rowCount, .nounRow), .text(path)])] + notices.map { Note(.plainNote, [.phrase($0.key, $0.args)], indent: 1) }
    }

    public func applySetting(key: NameRef, value: String, valueSpan: SourceSpan) throws(TallyError) -> Note {
        let note = Note(.settingSet, [.text(try settings.apply(key: key, value: value, valueSpan: valueSpan, session: session))])
        postgres.statementTimeout = settings.pgTimeout
        return note
    }

    public func planSettings() -> [String] {
        let d = Settings()
        var out: [String] = []
        if settings.decimals != d.decimals { out.append("set decimals \(settings.decimals)") }
        if settings.lang != d.lang { out.append("set lang \(settings.lang)") }
        if settings.currency != d.currency { out.append("set currency \"\(settings.currency)\"") }
        if settings.output != d.output { out.append("set output \(settings.output.rawValue)") }
        if session.maxRows != Evaluator.defaultMaxRows { out.append("set max_rows \(session.maxRows)") }
        if settings.pgTimeout != d.pgTimeout { out.append("set pg_timeout \(settings.pgTimeout)") }
        return out
    }
}

/// Reading plan files: UTF-8 text from a regular file of bounded size.
enum PlanFile {
    static let maxBytes = 256 << 20

    struct Failure: Error { var reason: String }

    static func read(_ path: String) -> Result<String, Failure> {
        var st = stat()
        guard stat(path, &st) == 0 else { return .failure(Failure(reason: errno == ENOENT ? "no such file" : SystemErrorText.describe(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .failure(Failure(reason: "it is not a regular file")) }
        guard Int(st.st_size) <= maxBytes else { return .failure(Failure(reason: "it is larger than \(maxBytes >> 20) MiB")) }
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(Failure(reason: "it cannot be read")) }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(Failure(reason: "it is not UTF-8 text")) }
        if let nul = data.firstIndex(of: 0) {
            let line = data[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            return .failure(Failure(reason: "line \(line) has a NUL byte: it is a binary file, not a script"))
        }
        return .success(text)
    }

    static func looksLikePlan(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 12)) ?? Data()
        return head.starts(with: Array("# Tally plan".utf8))
    }
}

enum SystemErrorText {
    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
