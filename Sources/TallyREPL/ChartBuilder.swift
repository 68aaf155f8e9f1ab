import TallyCore
import TallyLang

/// Turns a `chart` request and its evaluated data into a `ChartSpec`, or refuses with an
/// error pointing at the data or the offending option.
///
/// - `bar`: one bar per distinct `x` label (first appearance order), the `y` values summed
///   per label; `y: [a, b]` draws one panel per column.
/// - `hist`: counts of a number column in bins (`bins: n` equal bins from min to max; by
///   default Sturges' number of bins on round edges). Each bin holds its lower edge; the
///   last holds both.
/// - `line`: `y` summed per distinct `x` (a date, number or text column), ordered by x
///   (texts keep their order).
/// - `pareto`: the `cum_share` and `class` columns of an ABC result, ordered by `rank`
///   (or by `cum_share`).
/// - `rfm`: customers and revenue (`monetary`) per `segment` of an RFM result, largest
///   revenue first; `segment_zh` under `set lang zh` when the table has it.
struct ChartBuilder {
    let request: ChartRequest
    let data: Value
    /// The data as typed (`orders`, `orders.amount`), for titles.
    let dataText: String
    var lang = "en"
    var formatter = ValueFormatter()
    /// Titles and notes in the interface language.
    var notes = NoteRenderer(settings: Settings())
    /// Most bars drawn; the rest are left out with a note.
    var maxBars = 50

    var kind: ChartSpec.Kind { request.kind }
    var dataSpan: SourceSpan { request.data.span }

    func build() throws(TallyError) -> ChartSpec {
        switch kind {
        case .bar: return try bar()
        case .hist: return try hist()
        case .line: return try line()
        case .pareto: return try pareto()
        case .rfm: return try rfm()
        case .tornado: return try tornado()
        case .heat: return try heat()
        }
    }

    // MARK: access to the data and options

    func fail(_ message: String, at span: SourceSpan? = nil, hint: String? = nil) -> TallyError {
        TallyError(.arguments(message), span: span ?? dataSpan, hint: hint)
    }

    /// The data as a table with rows.
    func table() throws(TallyError) -> Table {
        guard case .table(let t) = data else {
            throw fail("`chart \(kind.rawValue)` needs a table, got a \(data.typeName)", hint: ChartRequest.usage(kind))
        }
        guard t.rowCount > 0 else { throw fail("`\(dataText)` has no rows to draw") }
        return t
    }

    var title: String? {
        if case .text(let s)? = request.options["title"]?.value { return s }
        return nil
    }

    /// The column an option names; an error when the option is missing or names none.
    func column(_ option: String, in t: Table, what: String) throws(TallyError) -> (name: String, column: Column) {
        guard let o = request.options[option] else {
            throw fail("`chart \(kind.rawValue)` needs `\(option):`, \(what)", at: request.endSpan, hint: ChartRequest.usage(kind))
        }
        guard case .text(let name) = o.value else {
            throw fail("`\(option):` names a column, got a \(o.value.typeName)", at: o.span, hint: ChartRequest.usage(kind))
        }
        return (name, try named(name, in: t, span: o.span))
    }

    func named(_ name: String, in t: Table, span: SourceSpan) throws(TallyError) -> Column {
        guard let c = t.column(named: name) else {
            throw TallyError(.unknownColumn(column: name, table: dataText), span: span,
                             hint: Suggestions.closest(to: name, among: t.names).map { "did you mean `\($0)`?" }
                                ?? "its columns: " + t.names.joined(separator: ", "))
        }
        return c
    }

    /// The column's numbers (nil for empty cells); an error for any other type.
    func numbers(_ c: Column, _ name: String, in t: Table, option: String?, span: SourceSpan) throws(TallyError) -> [Double?] {
        guard case .number(let xs) = c.storage else {
            let numeric = zip(t.names, t.columns).filter { if case .number = $0.1.storage { return true } else { return false } }.map(\.0)
            let what = option.map { "`\($0): \(name)`" } ?? "`\(name)`"
            throw fail("\(what) is a \(c.typeName) column; `chart \(kind.rawValue)` draws numbers", at: span,
                       hint: t.columnCount == 0 ? nil : numeric.isEmpty ? "the table has no number column" : "number columns: " + numeric.joined(separator: ", "))
        }
        return (0..<xs.count).map { c.isValid($0) ? xs.value(at: $0) : nil }
    }

    /// A cell as a label: whole numbers without separators (years, ids), dates in ISO.
    func label(_ v: Value) -> String {
        switch v {
        case .number(let x, _) where x == x.rounded() && abs(x) < 1e15: return String(Int64(x))
        case .empty: return "(empty)"
        default: return formatter.cell(v)
        }
    }

    // MARK: bar

    func bar() throws(TallyError) -> ChartSpec {
        let t = try table()
        let (xName, xColumn) = try column("x", in: t, what: "the column of labels")
        guard let yOption = request.options["y"] else {
            throw fail("`chart bar` needs `y:`, the column of numbers", at: request.endSpan,
                       hint: "to count rows per label, group first: chart bar group(t, \(xName), n: count()), x: \(xName), y: n")
        }
        var yNames: [String] = []
        switch yOption.value {
        case .text(let s): yNames = [s]
        case .list(let xs):
            for x in xs {
                guard case .text(let s) = x else { throw fail("`y:` names columns", at: yOption.span) }
                yNames.append(s)
            }
        default: throw fail("`y:` names a column, got a \(yOption.value.typeName)", at: yOption.span)
        }
        guard !yNames.isEmpty else { throw fail("`y:` names no column", at: yOption.span) }
        var ys: [(String, [Double?], NumberFormat)] = []
        for n in yNames {
            let c = try named(n, in: t, span: yOption.span)
            ys.append((n, try numbers(c, n, in: t, option: "y", span: yOption.span), c.format))
        }
        // One bar per distinct label, summing the rows that share it.
        var order: [String] = []
        var index: [String: Int] = [:]
        var sums = Array(repeating: [Double?](), count: ys.count)
        for i in 0..<t.rowCount {
            let l = label(xColumn[i])
            let b: Int
            if let k = index[l] { b = k } else {
                b = order.count; index[l] = b; order.append(l)
                for j in sums.indices { sums[j].append(nil) }
            }
            for j in ys.indices { if let v = ys[j].1[i] { sums[j][b] = (sums[j][b] ?? 0) + v } }
        }
        var notes: [String] = []
        if order.count < t.rowCount {
            notes.append(note(.chartSummed, [.joined(yNames.map { .text($0) }, ", "), .text(xName), .counted(t.rowCount, .nounRow),
                                             .counted(order.count, .nounBar)]))
        }
        if order.count > maxBars {
            notes.append(note(.chartFirstBars, [.count(maxBars), .count(order.count)]))
            order = Array(order.prefix(maxBars))
        }
        let series = ys.indices.map { j in BarSeries(name: ys[j].0, values: Array(sums[j].prefix(order.count)), format: ys[j].2) }
        return ChartSpec(title: title ?? say(.chartBarTitle, [.joined(yNames.map { .text($0) }, ", "), .text(xName)]),
                         body: .bars(BarChart(labels: order, series: series)), notes: notes)
    }

    func count(_ n: Int) -> String { formatter.fixed(Double(n), 0) }

    /// A sentence of the catalogue in the interface language (a title).
    func say(_ key: MessageKey, _ args: [NotePart] = []) -> String { notes.fill(key, args) }

    /// A note under the chart, with its `note:` label, in the interface language.
    func note(_ key: MessageKey, _ args: [NotePart] = []) -> String { notes.fill(.plainNote, [.phrase(key, args)]) }
}
