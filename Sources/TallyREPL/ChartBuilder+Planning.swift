import TallyCore
import TallyLang

extension ChartBuilder {
    /// `chart tornado s` over a `sensitivity` result: for each input, in the table's order
    /// (largest swing first), the change of the formula from its base at the input's low
    /// and high value, drawn either side of a zero line.
    func tornado() throws(TallyError) -> ChartSpec {
        let t = try table()
        guard case .text(let target)? = t.display.metadata["sensitivity.target"],
              case .number(let base, let format)? = t.display.metadata["sensitivity.base"],
              let inputs = t.column(named: "input"), let lows = t.column(named: "low"), let highs = t.column(named: "high"),
              let atLow = t.column(named: "\(target) at low"), let atHigh = t.column(named: "\(target) at high") else {
            throw fail("`chart tornado` draws the result of `sensitivity`", hint: ChartRequest.usage(.tornado))
        }
        var labels: [String] = [], values: [Double?] = []
        for i in 0..<min(t.rowCount, maxBars / 2) {
            let name = formatter.cell(inputs[i])
            for (input, output) in [(lows[i], atLow[i]), (highs[i], atHigh[i])] {
                labels.append("\(name) = \(formatter.cell(input))")
                if case .number(let y, _) = output, (y - base).isFinite { values.append(y - base) } else { values.append(nil) }
            }
        }
        var notes = [note(.chartTornadoBars, [.text(target), .number(base, format)])]
        if t.rowCount > maxBars / 2 { notes.append(note(.chartTornadoLeftOut, [.counted(t.rowCount - maxBars / 2, .nounInput)])) }
        return ChartSpec(title: title ?? say(.chartTornadoTitle, [.text(target)]), body: .bars(BarChart(labels: labels, series: [BarSeries(name: target, values: values, format: format)])),
                         notes: notes)
    }

    /// `chart heat d` over a two-input data table: the first column labels the rows, every
    /// other number column is a column of the grid.
    func heat() throws(TallyError) -> ChartSpec {
        let t = try table()
        guard t.columnCount >= 2 else { throw fail("`chart heat` needs a row label column and number columns", hint: ChartRequest.usage(.heat)) }
        // A heat map is read cell by cell: past a screenful it is no longer a picture.
        guard t.rowCount <= 200, t.columnCount <= 31 else {
            throw fail("`\(dataText)` has \(t.rowCount) rows x \(t.columnCount) columns; a heat map draws at most 200 rows x 30 columns",
                       hint: "draw a data table (`datatable f by x in ..., y in ...`) or group first")
        }
        var columns: [String] = [], grid: [[Double?]] = Array(repeating: [], count: t.rowCount)
        var format = NumberFormat.plain
        for (name, c) in zip(t.names.dropFirst(), t.columns.dropFirst()) {
            guard case .number(let xs) = c.storage else { continue }
            columns.append(name)
            format = c.format
            for i in 0..<t.rowCount { grid[i].append((c.validity?[i] ?? true) && xs.value(at: i).isFinite ? xs.value(at: i) : nil) }
        }
        guard !columns.isEmpty else { throw fail("`chart heat` found no number columns to shade", hint: ChartRequest.usage(.heat)) }
        let rows = (0..<t.rowCount).map { formatter.cell(t.columns[0][$0]) }
        let map = HeatMap(rowTitle: t.names[0], rows: rows, columns: columns, cells: grid, format: format)
        var notes = [note(.chartHeatShading)]
        if let (lo, hi) = map.range { notes = [note(.chartHeatRange, [.number(lo, format), .number(hi, format)])] }
        var named = dataText
        if case .text(let made)? = t.display.metadata["title"] { named = made }
        return ChartSpec(title: title ?? named, body: .heat(map), notes: notes)
    }
}
