import Foundation
import TallyCore

/// Draws a table in the chosen output mode: numbers right-aligned, CJK measured by
/// display width, long tables elided in the middle, wide tables cut to the terminal.
public struct TableFormatter {
    public var settings: Settings
    var values: ValueFormatter { ValueFormatter(settings: settings) }

    public init(settings: Settings) { self.settings = settings }

    /// Renders headers and rows of values (all rows, or elided when long).
    /// `totalRow`: the last row is a total, drawn under a rule and never elided.
    /// `shrinkable`: columns cut short with `…` to fit the terminal before any is dropped.
    public func render(headers: [String], rows allRows: [[Value]], elide: Bool = true, totalRow: Bool = false,
                       shrinkable: Set<Int> = []) -> String {
        var rows = allRows
        let totals = totalRow ? rows.popLast() : nil
        let total = rows.count
        var shown: [[Value]?] = rows.map { $0 }
        let limit = max(settings.maxRows, 4)
        if elide, total > limit, settings.output == .box || settings.output == .plain {
            let head = limit / 2, tail = limit - head
            shown = rows.prefix(head).map { $0 } + [nil] + rows.suffix(tail).map { $0 }
        }
        let numeric = headers.indices.map { c in
            rows.contains { r in if case .number = r[c] { return true }; return false }
        }
        return layout(headers: headers, shown: shown, numeric: numeric, hidden: total - shown.compactMap { $0 }.count, totals: totals,
                      shrinkable: shrinkable)
    }

    /// Renders a table value, reading only the rows that will be shown (a loaded table may
    /// have ten million).
    public func render(_ t: Table, totals: [Value]?) -> String {
        let n = t.rowCount
        let limit = max(settings.maxRows, 4)
        var shown: [[Value]?]
        func row(_ i: Int) -> [Value]? { t.columns.map { $0[i] } }
        let tailOnly = t.display.metadata["rows.elide"] == .text("tail")
        // A remote table's first rows: the rest are on the server, counted, not read.
        let rowsInAll = t.rowsInAll
        if rowsInAll > n, settings.output == .box || settings.output == .plain {
            shown = (0..<min(n, limit)).map(row) + [nil]
        } else if tailOnly, n > limit * 5, settings.output == .box || settings.output == .plain {
            // A tree keeps its first rows whole (largest first) and cuts only its end.
            shown = (0..<(limit * 5)).map(row) + [nil]
        } else if n > limit, !tailOnly, settings.output == .box || settings.output == .plain {
            let head = limit / 2, tail = limit - head
            shown = (0..<head).map(row) + [nil] + ((n - tail)..<n).map(row)
        } else {
            shown = (0..<n).map(row)
        }
        let numeric = t.columns.map { c -> Bool in
            switch c.storage {
            case .number: return true
            case .mixed(let vs): return vs.contains { if case .number = $0 { return true }; return false }
            default: return false
            }
        }
        // A column of one kind of number shows one number of decimals; a column of mixed
        // cells (a what-if's base, one row per formula) keeps each cell's own.
        let uniform = t.display.rowsDiffer ? []
            : Set(t.columns.indices.filter { if case .number = t.columns[$0].storage { return true } else { return false } })
        let thresholds = Set(t.names.indices.filter { t.display.thresholdColumns.contains(t.names[$0]) })
        return layout(headers: t.names, shown: shown, numeric: numeric, hidden: rowsInAll - shown.compactMap { $0 }.count, totals: totals,
                      uniform: uniform.subtracting(thresholds), thresholds: thresholds)
    }

    private func layout(headers: [String], shown rowsShown: [[Value]?], numeric numericColumn: [Bool], hidden: Int, totals: [Value]?,
                        shrinkable: Set<Int> = [], uniform: Set<Int> = [], thresholds: Set<Int> = []) -> String {
        var shown = rowsShown
        if let totals { shown.append(totals) }
        // CSV is for machines: no thousands separators.
        let csv = settings.output == .csv
        // One number of decimals per column: a whole number beside fractions shows them too (1.00 beside 1.20).
        let fixedColumns = uniform.filter { c in
            shown.contains { r in
                guard let r, r.indices.contains(c), case .number(let x, .plain) = r[c] else { return false }
                return x.isFinite && x != x.rounded() && abs(x) >= pow(10, -Double(max(settings.decimals, 0)))
            }
        }
        func cell(_ v: Value, _ c: Int) -> String {
            if csv { return values.csvCell(v) }
            if thresholds.contains(c), case .number(let x, let f) = v { return NoteRenderer(settings: settings).threshold(x, f) }
            if fixedColumns.contains(c), case .number(let x, .plain) = v, x.isFinite, x == x.rounded(), abs(x) < 1e15 {
                return values.fixed(x, max(settings.decimals, 0))
            }
            return values.cell(v).replacingOccurrences(of: "\n", with: "⏎")
        }
        let text: [[String]?] = shown.map { $0.map { r in r.enumerated().map { cell($1, $0) } } }
        switch settings.output {
        case .csv:
            return ([headers] + text.compactMap { $0 }).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .markdown:
            var out = "| " + headers.joined(separator: " | ") + " |\n"
            out += "|" + numericColumn.map { $0 ? " ---: |" : " --- |" }.joined() + "\n"
            for r in text.compactMap({ $0 }) { out += "| " + r.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
            return out
        case .box, .plain:
            return grid(headers: headers, text: text, numeric: numericColumn, hidden: hidden, totalRow: totals != nil, shrinkable: shrinkable)
        }
    }

    private func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    private func grid(headers: [String], text: [[String]?], numeric: [Bool], hidden: Int, totalRow: Bool, shrinkable: Set<Int>) -> String {
        let g = GridLayout(headers: headers, sample: text.compactMap { $0 }, numeric: numeric, settings: settings, shrinkable: shrinkable)
        var out: [String] = g.top()
        for (i, r) in text.enumerated() {
            if totalRow, g.box, i == text.count - 1 { out.append(g.rule("├", "┼", "┤")) }
            if let r { out.append(g.line(r)) } else {
                // A row of ellipses keeps the columns aligned; the count goes under the table.
                out.append(g.line(Array(repeating: "⋮", count: headers.count)))
            }
        }
        out += g.bottom()
        if hidden > 0 { out.append(NoteRenderer(settings: settings).fill(.moreRows, [.counted(hidden, .nounMoreRow)])) }
        return out.joined(separator: "\n") + "\n"
    }

    /// Every row of a table, a chunk at a time (for the pager: a loaded table may not fit in
    /// one string). Column widths come from the first and last rows; longer cells are cut
    /// with `…`. Stops when `emit` returns false (the pager was closed).
    public func stream(_ t: Table, emit: (String) -> Bool) {
        let n = t.rowCount
        let csv = settings.output == .csv
        func text(_ i: Int) -> [String] {
            t.columns.map { csv ? values.csvCell($0[i]) : values.cell($0[i]).replacingOccurrences(of: "\n", with: "⏎") }
        }
        guard settings.output == .box || settings.output == .plain else {
            var chunk = csv ? t.names.joined(separator: ",") + "\n" : ""
            if !csv { chunk = render(headers: t.names, rows: [], elide: false) }
            for i in 0..<n {
                chunk += (csv ? text(i).map(csvField).joined(separator: ",") : "| " + text(i).joined(separator: " | ") + " |") + "\n"
                if chunk.utf8.count > 1 << 16 { guard emit(chunk) else { return }; chunk = "" }
            }
            _ = emit(chunk)
            return
        }
        let head = min(n, 2_000)
        let sampleRows = Array(0..<head) + Array(max(head, n - 2_000)..<n)
        let numeric = t.columns.map { if case .number = $0.storage { return true } else { return false } }
        let g = GridLayout(headers: t.names, sample: sampleRows.map(text), numeric: numeric, settings: settings)
        var chunk = g.top().joined(separator: "\n") + "\n"
        for i in 0..<n {
            chunk += g.line(text(i)) + "\n"
            if chunk.utf8.count > 1 << 16 { guard emit(chunk) else { return }; chunk = "" }
        }
        _ = emit(chunk + g.bottom().joined(separator: "\n") + "\n")
    }
}

/// Column widths and the drawing of one box or plain grid, fitted to the terminal width.
struct GridLayout {
    let headers: [String]
    let box: Bool
    let widths: [Int]
    let numeric: [Bool]
    let visible: Int
    let cut: Int
    let settings: Settings

    init(headers: [String], sample: [[String]], numeric: [Bool], settings: Settings, shrinkable: Set<Int> = []) {
        self.settings = settings
        var widths = headers.map(DisplayWidth.of)
        for r in sample {
            for (i, s) in r.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(s)) }
        }
        // Fit to the terminal: keep whole columns while they fit, cap very wide ones.
        box = settings.output == .box
        let cap = max(12, settings.width / 2)
        widths = widths.indices.map { shrinkable.contains($0) ? widths[$0] : min(widths[$0], cap) }
        // Shrinkable columns give up width first, the widest one column at a time, down to 5.
        var excess = widths.reduce(0, +) + (box ? 1 + 3 * widths.count : 2 * (widths.count - 1)) - settings.width
        while excess > 0, let i = shrinkable.filter({ $0 < widths.count && widths[$0] > 5 }).max(by: { (widths[$0], $0) < (widths[$1], $1) }) {
            let next = shrinkable.filter { $0 != i && $0 < widths.count }.map { widths[$0] }.max() ?? 5
            let step = min(excess, max(1, widths[i] - max(next, 5)))
            widths[i] -= step
            excess -= step
        }
        // Still too wide (a very narrow terminal): the other columns give up width too.
        while !shrinkable.isEmpty, excess > 0, let i = widths.indices.filter({ widths[$0] > 5 }).max(by: { widths[$0] < widths[$1] }) {
            widths[i] -= 1
            excess -= 1
        }
        // Whole columns while they fit, leaving room for the `…` column when some are cut;
        // at least one column, itself cut short on a very narrow terminal.
        let marker = box ? 4 : 3
        var visible = 0, used = box ? 1 : 0
        for (k, w) in widths.enumerated() {
            let need = w + (box ? 3 : 2)
            let reserve = k < widths.count - 1 ? marker : 0
            if used + need + reserve > settings.width { break }
            used += need; visible += 1
        }
        if visible == 0 && !widths.isEmpty {
            visible = 1
            widths[0] = max(1, settings.width - (box ? 4 : 0) - (widths.count > 1 ? marker : 0))
        }
        self.headers = headers
        self.widths = widths
        self.numeric = numeric
        self.visible = visible
        self.cut = headers.count - visible
    }

    func line(_ cells: [String], header: Bool = false) -> String {
        var parts: [String] = []
        for i in 0..<visible {
            let s = DisplayWidth.truncate(cells[i], to: widths[i])
            parts.append(DisplayWidth.pad(s, to: widths[i], right: numeric[i] && !header))
        }
        if cut > 0 { parts.append("…") }
        guard box else {
            var l = parts.joined(separator: "  ")
            while l.last == " " { l.removeLast() }
            return l
        }
        return "│ " + parts.joined(separator: " │ ") + " │"
    }

    func rule(_ l: String, _ m: String, _ r: String) -> String {
        l + (0..<visible).map { String(repeating: "─", count: widths[$0] + 2) }.joined(separator: m) + (cut > 0 ? m + "───" : "") + r
    }

    /// The top rule, the header and the rule under it.
    func top() -> [String] {
        (box ? [rule("┌", "┬", "┐")] : []) + [line(headers, header: true)] + (box ? [rule("├", "┼", "┤")] : [])
    }

    func bottom() -> [String] {
        var out: [String] = []
        if box { out.append(rule("└", "┴", "┘")) }
        if cut > 0 { out.append(NoteRenderer(settings: settings).fill(.moreColumns, [.counted(cut, .nounMoreColumn)])) }
        return out
    }
}
