import TallyCore

/// Line and pareto charts: braille dots on a plot area with a y axis on the left
/// (labels right-aligned, `┤` marking a labelled row) and an x axis underneath.
extension ChartRenderer {
    // MARK: line

    func line(_ c: LineChart) -> [String] {
        let n = min(c.xs.count, c.ys.count)
        guard n > 0, let lo = c.ys.prefix(n).min(), let hi = c.ys.prefix(n).max() else { return ["(no points)"] }
        let flat = hi == lo
        let top = formatter.number(hi, c.yFormat), bottom = formatter.number(lo, c.yFormat)
        var labels: [Int: String] = flat ? [height / 2: top] : [0: top, height - 1: bottom]
        let labelWidth = labels.values.map(DisplayWidth.of).max() ?? 0
        let plotWidth = max(4, width - labelWidth - 2)
        var canvas = BrailleCanvas(columns: plotWidth, rows: height)
        let x0 = c.xs[0], x1 = c.xs[n - 1]
        // Fractions of the ranges, never `x - x0` or `hi - lo` themselves, which overflow
        // for values like 1e308 and -1e308.
        func px(_ x: Double) -> Int {
            x1 > x0 ? Int(saturating: (x.clampedFraction(from: x0, to: x1) * Double(canvas.dotWidth - 1)).rounded()) : canvas.dotWidth / 2
        }
        func py(_ y: Double) -> Int {
            flat ? (height / 2) * 4 + 1 : Int(saturating: ((-y).clampedFraction(from: -hi, to: -lo) * Double(canvas.dotHeight - 1)).rounded())
        }
        var last = (px(c.xs[0]), py(c.ys[0]))
        canvas.set(last.0, last.1)
        for i in 1..<n {
            let p = (px(c.xs[i]), py(c.ys[i]))
            canvas.line(last.0, last.1, p.0, p.1)
            last = p
        }
        if labels.count > 1, labels[0] == labels[height - 1] { labels[height - 1] = "" }
        var lines = plotRows(canvas, labels: labels, labelWidth: labelWidth) { _, _ in nil }
        lines.append(String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: plotWidth))
        lines.append(xAxisLabels(first: c.xLabels.first ?? "", last: n > 1 ? c.xLabels[min(n, c.xLabels.count) - 1] : "",
                                 indent: labelWidth + 2, plotWidth: plotWidth))
        return lines
    }

    /// The plot rows: y label, axis character, then each cell's dots, or the overlay's
    /// character where there are none.
    func plotRows(_ canvas: BrailleCanvas, labels: [Int: String], labelWidth: Int,
                  overlay: (Int, Int) -> Character?) -> [String] {
        (0..<canvas.rows).map { r in
            let label = labels[r] ?? ""
            var row = DisplayWidth.pad(label, to: labelWidth, right: true) + (label.isEmpty ? " │" : " ┤")
            for col in 0..<canvas.columns {
                row.append(canvas.character(column: col, row: r) ?? overlay(col, r) ?? " ")
            }
            return row
        }
    }

    /// `first` under the start of the axis and `last` ending under its end.
    func xAxisLabels(first: String, last: String, indent: Int, plotWidth: Int) -> String {
        let a = DisplayWidth.of(first), b = DisplayWidth.of(last)
        var row = String(repeating: " ", count: indent) + first
        if !last.isEmpty, last != first, a + b + 1 <= plotWidth {
            row += String(repeating: " ", count: plotWidth - a - b) + last
        }
        return row
    }

    // MARK: pareto

    /// The cumulative share curve from (0, 0%) through every ranked item to 100%, with
    /// each class boundary drawn as a dotted vertical line (`┊`) and the share reached
    /// there as a dotted horizontal line (`┈`) labelled on the y axis; the classes and
    /// their item counts are written under the x axis.
    func pareto(_ p: ParetoChart) -> [String] {
        let n = p.cumShares.count
        guard n > 0 else { return ["(no items)"] }
        let regions = p.regions
        func percent(_ x: Double) -> String { formatter.fixed(x * 100, 1) + "%" }
        let cuts = regions.dropLast()
        let labelWidth = ([percent(1), percent(0)] + cuts.map { percent($0.cumShare) }).map(DisplayWidth.of).max() ?? 0
        let plotWidth = max(4, width - labelWidth - 2)
        var canvas = BrailleCanvas(columns: plotWidth, rows: height)
        func px(_ items: Int) -> Int { Int(saturating: (Double(items) / Double(n) * Double(canvas.dotWidth - 1)).rounded()) }
        func py(_ share: Double) -> Int {
            Int(saturating: ((1 - share.clampedFraction(from: 0, to: 1)) * Double(canvas.dotHeight - 1)).rounded())
        }
        var last = (px(0), py(0))
        canvas.set(last.0, last.1)
        for i in 0..<n {
            let q = (px(i + 1), py(p.cumShares[i]))
            canvas.line(last.0, last.1, q.0, q.1)
            last = q
        }
        // Cut-offs: the cell column of the boundary and the row of the share reached.
        let marks = cuts.map { (column: px($0.start + $0.count) / 2, row: py($0.cumShare) / 4, label: percent($0.cumShare)) }
        // The axis keeps 100% and 0%; a cut-off in a row already labelled writes its share
        // on its own dotted line instead (`┈95.3%┈┈`).
        var labels: [Int: String] = [0: percent(1), height - 1: percent(0)]
        var inline: [Int: [Int: Character]] = [:]
        for m in marks {
            if labels[m.row] == nil {
                labels[m.row] = m.label
            } else {
                for (i, ch) in m.label.enumerated() where 1 + i < m.column - 1 { inline[m.row, default: [:]][1 + i] = ch }
            }
        }
        let lines = plotRows(canvas, labels: labels, labelWidth: labelWidth) { col, row in
            if let ch = inline[row]?[col] { return ch }
            let vertical = marks.contains { $0.column == col }
            let horizontal = marks.contains { $0.row == row && col < $0.column }
            if vertical && horizontal { return "┼" }
            return vertical ? "┊" : (horizontal ? "┈" : nil)
        }
        var axis = Array(repeating: Character("─"), count: plotWidth)
        for m in marks where m.column < plotWidth { axis[m.column] = "┴" }
        var classRow = Array(repeating: " ", count: plotWidth)
        let bounds = [0] + marks.map(\.column) + [plotWidth]
        for (i, r) in regions.enumerated() where i + 1 < bounds.count {
            let (a, b) = (bounds[i] + (i > 0 ? 1 : 0), bounds[i + 1])
            let text = [r.name + " (" + formatter.fixed(Double(r.count), 0) + ")", r.name].first { $0.count <= b - a } ?? ""
            let start = a + max(0, (b - a - text.count) / 2)
            for (j, ch) in text.enumerated() where start + j < plotWidth { classRow[start + j] = String(ch) }
        }
        let indent = String(repeating: " ", count: labelWidth + 2)
        return lines + [String(repeating: " ", count: labelWidth) + " └" + String(axis), indent + classRow.joined(),
                        xAxisLabels(first: "0", last: p.itemsLabel, indent: labelWidth + 2, plotWidth: plotWidth)]
    }
}
