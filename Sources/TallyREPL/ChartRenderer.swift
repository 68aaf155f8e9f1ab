import Foundation
import TallyCore

/// Draws a `ChartSpec` as lines of text, never wider than `width` display columns and
/// legible without colour: bars of █ ending in an eighth block (▏▎▍▌▋▊▉) with the value
/// written after each bar, and line charts in braille dots on an axis with labels.
///
/// Bars start at a zero line `│`; when a series has negative values the zero line moves
/// right and negative bars grow to its left (in half cells: `▐`). Every value that is not
/// zero draws at least a sliver (`▏` or `▕`), so a small value never looks like nothing.
public struct ChartRenderer: Sendable {
    /// Display columns available (the terminal width, `set width`).
    public var width: Int
    /// Rows of the plot area of line and pareto charts.
    public var height: Int
    public var formatter: ValueFormatter

    public init(width: Int = 100, height: Int = 12, decimals: Int = 2) {
        self.width = max(20, width)
        self.height = max(3, height)
        self.formatter = ValueFormatter(decimals: decimals)
    }

    /// The chart, one string per line, without line breaks.
    public func render(_ spec: ChartSpec) -> [String] {
        var lines = [DisplayWidth.truncate(spec.title, to: width)]
        switch spec.body {
        case .bars(let b): lines += bars(b)
        case .line(let l): lines += line(l)
        case .pareto(let p): lines += pareto(p)
        case .heat(let h): lines += heat(h)
        }
        for note in spec.notes { lines += wrap(note, indent: 6) }
        // Never wider than the width, whatever the labels (`-1.7976931348623157e+308`).
        return lines.map { DisplayWidth.truncate(ChartRenderer.trimmingTrailingSpaces($0), to: width) }
    }

    /// A grid: each cell its value after a shade (`░▒▓█` from smallest to largest), so it
    /// reads without colour.
    func heat(_ h: HeatMap) -> [String] {
        let shades: [Character] = [" ", "░", "▒", "▓", "█"]
        func text(_ x: Double?) -> String {
            guard let x else { return "" }
            let shade = shades[min(shades.count - 1, Int(saturating: (h.level(x) * Double(shades.count - 1)).rounded()))]
            return String(repeating: shade, count: 2) + " " + formatter.number(x, h.format)
        }
        let texts = h.cells.map { $0.map(text) }
        let labelWidth = max(DisplayWidth.of(h.rowTitle), h.rows.map(DisplayWidth.of).max() ?? 0)
        var widths = h.columns.map(DisplayWidth.of)
        for row in texts { for (j, s) in row.enumerated() where j < widths.count { widths[j] = max(widths[j], DisplayWidth.of(s)) } }
        var lines = [DisplayWidth.pad(h.rowTitle, to: labelWidth) + " │ " + zip(h.columns, widths).map { DisplayWidth.pad($0, to: $1) }.joined(separator: "  ")]
        lines.append(String(repeating: "─", count: labelWidth + 1) + "┼" + String(repeating: "─", count: widths.reduce(0, +) + 2 * max(0, widths.count - 1) + 1))
        for (label, row) in zip(h.rows, texts) {
            lines.append(DisplayWidth.pad(label, to: labelWidth) + " │ " + zip(row, widths).map { DisplayWidth.pad($0, to: $1) }.joined(separator: "  "))
        }
        return lines
    }

    /// Breaks a line of prose at spaces to fit the width; continuation lines are indented.
    func wrap(_ text: String, indent: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if DisplayWidth.of(candidate) > width, !current.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(current)
                current = String(repeating: " ", count: indent) + word
            } else {
                current = candidate
            }
        }
        lines.append(current)
        return lines.map { DisplayWidth.truncate($0, to: width) }
    }

    static func trimmingTrailingSpaces(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s.removeLast() }
        return String(s)
    }

    // MARK: bars

    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The text after a bar: the value, and its share of the series when asked.
    func valueText(_ v: Double, _ s: BarSeries) -> String {
        var out = formatter.number(v, s.format)
        let total = s.total
        if s.showsShare, total != 0, total.isFinite, v.isFinite { out += " (" + formatter.fixed(v / total * 100, 1) + "%)" }
        return out
    }

    /// The bar rows: label, then per series a zero line, the bar and the value.
    func bars(_ chart: BarChart) -> [String] {
        let series = chart.series
        guard !series.isEmpty else { return [] }
        let k = series.count
        let texts = series.map { s in s.values.map { v in v.map { valueText($0, s) } ?? "" } }
        let valueWidths = texts.map { $0.map(DisplayWidth.of).max() ?? 0 }
        // Per panel: the zero line, a space and the value; two spaces between panels.
        let fixed = valueWidths.reduce(0, +) + 2 * k + 2 * (k - 1)
        let natural = chart.labels.map(DisplayWidth.of).max() ?? 0
        let labelWidth = min(natural, max(4, min(width * 2 / 5, width - fixed - 1 - 8 * k)))
        let barWidth = max(2, (width - labelWidth - 1 - fixed) / k)
        let scales = series.map { BarScale($0.values, cells: barWidth) }

        var lines: [String] = []
        if k > 1 {
            var head = String(repeating: " ", count: labelWidth + 1)
            for (j, s) in series.enumerated() {
                if j > 0 { head += "  " }
                head += DisplayWidth.pad(DisplayWidth.truncate(s.name, to: barWidth + 1 + valueWidths[j]), to: barWidth + 2 + valueWidths[j])
            }
            lines.append(head)
        }
        let shownLabels = DisplayWidth.distinct(chart.labels, to: labelWidth)
        for (i, label) in shownLabels.enumerated() {
            var row = DisplayWidth.pad(label, to: labelWidth) + " "
            for (j, s) in series.enumerated() {
                if j > 0 { row += "  " }
                let v = i < s.values.count ? s.values[i] : nil
                // The value right after its bar, so the eye need not travel.
                let bar = ChartRenderer.trimmingTrailingSpaces(scales[j].draw(v))
                let panel = bar + (texts[j][i].isEmpty ? "" : " " + texts[j][i])
                row += DisplayWidth.pad(panel, to: barWidth + 2 + valueWidths[j])
            }
            lines.append(row)
        }
        return lines
    }
}

/// How one series' values map to cells: a zero line after `negativeCells` cells for the
/// negative bars, then `positiveCells` for the positive ones, one scale for both.
///
/// Lengths are computed from ratios to the largest value on each side (`v / pos`), never
/// from sums or a value per cell, so no input overflows (`pos + neg` of `1e308` and
/// `-1e308`) or underflows (`5e-324 / cells`) into a NaN or infinite cell count.
struct BarScale {
    let negativeCells: Int
    let positiveCells: Int
    /// The largest positive value and the largest magnitude of a negative one (0 when none).
    let pos: Double
    let neg: Double

    init(_ values: [Double?], cells: Int) {
        let present = values.compactMap { $0 }.filter(\.isFinite)
        pos = max(0, present.max() ?? 0)
        neg = max(0, -(present.min() ?? 0))
        guard pos > 0 || neg > 0 else { negativeCells = 0; positiveCells = cells; return }
        // The negative side's share of the cells: neg / (pos + neg), in halves so the sum
        // stays finite.
        let total = pos + neg, scaled = Double(cells) * neg
        let share = total.isFinite && scaled.isFinite ? scaled / total : Double(cells) * ((neg / 2) / (pos / 2 + neg / 2))
        var n = neg > 0 ? Int(saturating: share.rounded()) : 0
        if neg > 0 { n = max(1, n) }
        if pos > 0 { n = min(n, cells - 1) }
        negativeCells = max(0, min(cells, n))
        positiveCells = cells - negativeCells
    }

    /// The length of `v`'s bar in cells: one scale for both sides (the side whose longest
    /// bar needs the most value per cell sets it), so neither side overflows its cells.
    func length(_ v: Double) -> Double {
        let m = abs(v)
        // Value per cell when that is an ordinary number; ratios when it underflows.
        let unit = max(pos / Double(max(1, positiveCells)), negativeCells > 0 ? neg / Double(negativeCells) : 0)
        if unit.isNormal { return m / unit }
        var cells = Double.infinity
        if pos > 0 { cells = min(cells, m / pos * Double(positiveCells)) }
        if neg > 0 { cells = min(cells, m / neg * Double(negativeCells)) }
        return cells.isFinite ? cells : 0
    }

    /// Exactly `negativeCells + 1 + positiveCells` columns, the zero line included.
    func draw(_ v: Double?) -> String {
        let left = String(repeating: " ", count: negativeCells)
        let empty = String(repeating: " ", count: positiveCells)
        guard let v, v.isFinite, pos > 0 || neg > 0, v != 0 else { return left + "│" + empty }
        if v > 0 {
            let eighths = min(positiveCells * 8, Int(saturating: (length(v) * 8).rounded()))
            var bar = String(repeating: "█", count: eighths / 8) + ChartRenderer.eighths[eighths % 8]
            if bar.isEmpty { bar = "▏" }
            return left + "│" + bar + String(repeating: " ", count: max(0, positiveCells - DisplayWidth.of(bar)))
        }
        let halves = min(negativeCells * 2, Int(saturating: (length(v) * 2).rounded()))
        var bar = (halves % 2 == 1 ? "▐" : "") + String(repeating: "█", count: halves / 2)
        if bar.isEmpty { bar = "▕" }
        return String(repeating: " ", count: max(0, negativeCells - DisplayWidth.of(bar))) + bar + "│" + empty
    }
}
