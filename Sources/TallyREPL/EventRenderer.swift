import TallyAnalytics
import TallyCore
import TallyLang

/// Turns a statement's events into text.
struct EventRenderer {
    var settings: Settings
    var sources: SourceMap
    var current: Int?

    var values: ValueFormatter { ValueFormatter(settings: settings) }
    var notes: NoteRenderer { NoteRenderer(settings: settings) }
    var diagnostics: DiagnosticRenderer { DiagnosticRenderer(color: settings.color) }

    /// Standard output text and error text.
    func render(_ events: [Event]) -> (out: String, err: String) {
        var out = "", err = ""
        for e in events {
            switch e {
            case .defined(let name, let v):
                out += "\(name) = \(describe(v))\n"
                // Warnings under a result table matter even when the table is not printed.
                if case .table(let t) = v {
                    for n in t.display.notes where n.tone == .warning { out += "  " + notes.render(n) + "\n" }
                }
                out += errorNote(name, v)
            case .changed(let changes):
                out += renderChanges(changes)
            case .value(let v):
                out += display(v)
                out += errorNote(nil, v)
            case .error(let te):
                err += diagnostics.render(chineseHeaderHint(te), sources: sources, current: current)
            case .message(let m):
                out += notes.render(m) + "\n"
            case .described(let t, let rows, let notes):
                let cells = (0..<t.rowCount).map { i in t.columns.map { $0[i] } }
                out += TableFormatter(settings: settings).render(headers: t.names.map { Catalogue.header($0, lang: settings.lang) },
                                                                 rows: cells, elide: false)
                out += self.notes.fill(.inParentheses, [.counted(rows, .nounRow)]) + "\n"
                // Why a column stayed text (the row that broke its type), from the load.
                for i in 0..<t.rowCount {
                    if case .text(let n) = t.columns[0][i], let note = notes[n] {
                        out += self.notes.render(Note(.columnNote, [.name(n), .phrase(note.key, note.args)])) + "\n"
                    }
                }
            case .goalSeek(let g):
                out += goalSeekText(g)
            case .cells(let cells, let scope):
                if cells.isEmpty { out += emptyListing(scope) + "\n"; continue }
                let rows: [[Value]] = cells.map { [.text($0.name), .text(describe($0.value)), .text($0.definition)] }
                // The definition always shows: value and definition are cut short to fit instead.
                out += TableFormatter(settings: settings).render(headers: ["name", "value", "definition"].map { Catalogue.header($0, lang: settings.lang) },
                                                                 rows: rows, elide: false, shrinkable: [1, 2])
            }
        }
        return (out, err)
    }

    /// What an empty `list` says.
    func emptyListing(_ scope: ListScope) -> String {
        switch scope {
        case .tables: return "no tables yet: `load \"file.csv\" as t`, or `load demo` for sample data"
        case .formulas: return "no formulas yet: a formula refers to other names, e.g. `revenue = visitors * price`"
        case .inputs: return "no inputs yet: define one with `name = 12000`"
        case .all, .names: return "no formulas yet: define one with `name = expr`"
        }
    }

    /// `goalseek: visitors = 16,666.67 (was 12,000) gives revenue = 2,000,000; 31 evaluations, residual 0`.
    func goalSeekText(_ g: GoalSeekReport) -> String {
        var out = "goalseek: \(g.input) = \(values.precise(g.to)) (was \(describe(g.from))) gives \(g.target) = \(describe(g.reached))"
        out += "; \(g.evaluations) evaluation\(g.evaluations == 1 ? "" : "s"), residual \(values.precise(.number(g.residual, .plain)))\n"
        if g.atStep {
            out += "  note: \(g.target) steps here; \(g.input) = \(values.precise(g.to)) is the smallest value that reaches \(describe(g.goal))\n"
        }
        return out
    }

    /// One-line form after `name =`: tables as their shape, everything else inline.
    func describe(_ v: Value) -> String {
        if case .error(let e) = v { return "\(e.kind.rawValue) (\(e.message))" }
        return values.inline(v)
    }

    /// A value printed on its own: tables drawn, the rest inline.
    func display(_ v: Value) -> String {
        switch v {
        case .table(let raw):
            let t = localized(raw)
            let label = t.display.totalLabel == "total" ? Catalogue.header("total", lang: settings.lang) : t.display.totalLabel
            let totals: [Value]? = t.display.totals.isEmpty ? nil : t.names.enumerated().map { i, n in
                t.display.totals[n] ?? (i == 0 ? .text(label) : .empty)
            }
            let footer = notes.fill(.inParentheses, [.text(shape(t))]) + "\n"
            var out = TableFormatter(settings: settings).render(headed(t), totals: totals)
            if settings.output == .box { out += footer }
            for n in t.display.notes { out += notes.render(n) + "\n" }
            return out
        case .text(let s):
            // A text printed on its own is shown as it is (a sparkline, `upper(name)`), as a
            // spreadsheet cell shows it; `name = "..."` and lists keep the quotes that say "text".
            return s + "\n"
        case .record(let r) where r.count > 0 && settings.output != .plain:
            // Under `set lang zh` a field named like a generated column (levels' floor,
            // standard, stretch) shows its Chinese name; the field keeps its own.
            let rows: [[Value]] = r.fields.map { [.text(Catalogue.header($0.name, lang: settings.lang)), $0.value] }
            return TableFormatter(settings: settings).render(headers: ["field", "value"].map { Catalogue.header($0, lang: settings.lang) }, rows: rows)
        default:
            return describe(v) + "\n"
        }
    }

    func renderChanges(_ changes: [Change]) -> String {
        let shown = changes.prefix(settings.maxChanges)
        let width = shown.map { DisplayWidth.of($0.name) }.max() ?? 0
        var out = ""
        for c in shown {
            out += "  " + DisplayWidth.pad(c.name, to: width) + "  " + changeText(c.old, c.new) + "\n"
        }
        if changes.count > shown.count {
            out += "  ... and \(changes.count - shown.count) more changed (`list` shows them all)\n"
        }
        // One note per place an error arose, however many formulas it reached.
        var seen = Set<SourceSpan>()
        for c in shown {
            guard case .error(let e) = c.new, let span = e.span, seen.insert(span).inserted else { continue }
            out += errorNote(c.name, c.new, brief: true)
        }
        return out
    }

    /// Under `set lang zh`: a column `X` with a twin `X_zh` shows the twin's values and the
    /// twin is hidden; a `segment` column without a twin (a group over an RFM result) has
    /// the standard segment names translated. The value itself keeps both.
    func localized(_ t: Table) -> Table {
        guard settings.lang == "zh" else { return t }
        var out = t
        for n in t.names where !n.hasSuffix("_zh") {
            if let zh = out.column(named: n + "_zh") {
                if let swapped = out.setting(n, to: zh), let kept = swapped.selecting(swapped.names.filter { $0 != n + "_zh" }) {
                    out = kept
                }
            } else if n == "segment", let en = out.column(named: n), case .text(let codes, let dict) = en.storage {
                let names = Dictionary(SegmentRules.standard.rules.map { ($0.name, $0.nameZh ?? $0.name) }, uniquingKeysWith: { a, _ in a })
                if dict.contains(where: { names[$0] != nil }),
                   let next = out.setting(n, to: Column(storage: .text(codes: codes, dictionary: dict.map { names[$0] ?? $0 }), validity: en.validity)) {
                    out = next
                }
            }
        }
        for n in t.display.labelColumns {
            guard let c = out.column(named: n), case .text(let codes, let dict) = c.storage,
                  let next = out.setting(n, to: Column(storage: .text(codes: codes, dictionary: dict.map { Catalogue.label($0, lang: "zh") }),
                                                       validity: c.validity)) else { continue }
            out = next
        }
        out.display = t.display
        return out
    }

    /// Under `set lang zh`, a table a built-in made shows its headers in Chinese; the
    /// column names (what formulas use) stay as they are.
    func headed(_ t: Table) -> Table {
        guard settings.lang == "zh", t.display.generatedHeaders else { return t }
        var seen = Set<String>()
        let shown = t.names.map { n -> String in
            let h = Catalogue.header(n, lang: "zh")
            return seen.insert(h).inserted ? h : n
        }
        guard var out = Table(names: shown, columns: t.columns) else { return t }
        out.display = t.display
        out.display.thresholdColumns = Set(t.display.thresholdColumns.compactMap { n in t.names.firstIndex(of: n).map { shown[$0] } })
        return out
    }

    /// A column typed by the Chinese header `set lang zh` shows for it (`t.客户`): the hint
    /// names the column's own name, which formulas use in every language.
    func chineseHeaderHint(_ e: TallyError) -> TallyError {
        guard case .unknownColumn(let column, _) = e.kind, let name = Catalogue.columnName(forHeader: column) else { return e }
        var out = e
        out.hint = "`\(column)` is how `set lang zh` shows the column `\(name)`; formulas use `\(name)` in every language"
        return out
    }

    /// "6 rows x 1 column".
    func shape(_ t: Table) -> String {
        notes.fill(.tableShape, [.counted(t.rowsInAll, .nounRow), .counted(t.columnCount, .nounColumn)])
    }

    /// `old -> new`; for two tables, what changed in them (their shape, or the totals that moved).
    func changeText(_ old: Value, _ new: Value) -> String {
        guard case .table(let a) = old, case .table(let b) = new else { return describeShort(old) + " -> " + describeShort(new) }
        if a.rowCount != b.rowCount || a.columnCount != b.columnCount {
            return "table " + shape(a) + " -> " + shape(b)
        }
        let moved = b.names.filter { n in
            guard let x = a.display.totals[n], let y = b.display.totals[n] else { return false }
            if case .number = y { return x != y }
            return false
        }
        if let n = moved.first, let x = a.display.totals[n], let y = b.display.totals[n] {
            return "table " + shape(b) + ", total \(n) " + describeShort(x) + " -> " + describeShort(y)
        }
        return "table " + shape(b) + " (values changed)"
    }

    private func describeShort(_ v: Value) -> String {
        if case .error(let e) = v { return e.kind.rawValue }
        if case .table(let t) = v { return "table " + shape(t) }
        return values.inline(v)
    }

    /// For an error value: where it arose, pointing at the line that defined the formula.
    func errorNote(_ name: String?, _ v: Value, brief: Bool = false) -> String {
        guard case .error(let e) = v, let span = e.span else { return "" }
        if !brief, span.source == current { return diagnostics.caret(span, sources: sources) }
        let subject = name.map { "`\($0)` is \(e.kind.rawValue): " } ?? "\(e.kind.rawValue): "
        return diagnostics.render(message: subject + e.message, hint: nil, span: span, sources: sources,
                                  current: brief ? nil : current, label: "note")
    }
}
