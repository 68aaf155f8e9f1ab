import Foundation
import TallyCore
import TallyIO

/// Writes a `ChartSpec` as a standalone SVG document: UTF-8 (CJK labels keep their
/// characters; the viewer's sans-serif font draws them), the title on top, then bars with
/// their labels and values, or a line or ABC curve with axes, axis labels and the
/// cut-off lines, then the notes. Every text is escaped, so the file is well-formed XML.
public struct ChartSVG: Sendable {
    public var formatter: ValueFormatter
    /// Width of the drawing in pixels.
    public var width: Double = 800

    public init(decimals: Int = 2) { formatter = ValueFormatter(decimals: decimals) }

    static let ink = "#222222", bar = "#4e79a7", muted = "#666666", margin = 16.0

    /// The whole document, from the XML declaration to `</svg>`.
    public func document(_ spec: ChartSpec) -> String {
        // Wide enough for the title (16px bold: about 10px a column).
        let titleWidth = Double(DisplayWidth.of(spec.title)) * 10 + 2 * Self.margin
        if titleWidth > width {
            var wider = self
            wider.width = titleWidth.rounded(.up)
            return wider.document(spec)
        }
        var parts: [String] = []
        var y = 48.0
        switch spec.body {
        case .bars(let b): y = bars(b, top: y, into: &parts)
        case .line(let l): y = line(l, top: y, into: &parts)
        case .pareto(let p): y = pareto(p, top: y, into: &parts)
        case .heat(let h): y = heat(h, top: y, into: &parts)
        }
        for note in spec.notes {
            y += 18
            parts.append(text(note, x: Self.margin, y: y, fill: Self.muted))
        }
        let height = (y + 16).rounded()
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(n(width))\" height=\"\(n(height))\" "
        out += "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<title>\(Self.escape(spec.title))</title>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>\n"
        out += text(spec.title, x: Self.margin, y: 26, size: 16, bold: true) + "\n"
        out += parts.joined(separator: "\n") + "\n</svg>\n"
        return out
    }

    /// One square per cell, darker for larger values, with the value written in it.
    private func heat(_ h: HeatMap, top: Double, into parts: inout [String]) -> Double {
        let labelWidth = max(textWidth(h.rowTitle), h.rows.map(textWidth).max() ?? 0) + 12
        let cellWidth = max(70, (h.columns.map(textWidth).max() ?? 0) + 12)
        let cellHeight = 24.0
        var y = top
        parts.append(text(h.rowTitle, x: Self.margin, y: y + 16, bold: true))
        for (j, c) in h.columns.enumerated() {
            parts.append(text(c, x: Self.margin + labelWidth + Double(j) * cellWidth + cellWidth / 2, y: y + 16, anchor: "middle", bold: true))
        }
        y += cellHeight
        let formatter = ValueFormatter()
        for (i, label) in h.rows.enumerated() {
            parts.append(text(label, x: Self.margin, y: y + 16))
            for (j, v) in h.cells[i].enumerated() {
                let x = Self.margin + labelWidth + Double(j) * cellWidth
                guard let v else { continue }
                let level = h.level(v)
                parts.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(cellWidth - 2))\" height=\"\(n(cellHeight - 2))\" fill=\"\(Self.bar)\" fill-opacity=\"\(n(0.1 + 0.8 * level))\"/>")
                parts.append(text(formatter.number(v, h.format), x: x + cellWidth / 2, y: y + 16, anchor: "middle", fill: level > 0.6 ? "#ffffff" : Self.ink))
            }
            y += cellHeight
        }
        return y
    }

    // MARK: pieces

    /// A coordinate with one decimal at most.
    func n(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        guard r.isFinite else { return "0" }
        return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : String(format: "%.1f", r)
    }

    /// Rough width of a label at 12px: 7px a column, CJK characters two columns.
    func textWidth(_ s: String) -> Double { Double(DisplayWidth.of(s)) * 7 }

    func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Int = 12, bold: Bool = false,
              fill: String = ChartSVG.ink) -> String {
        var attrs = "x=\"\(n(x))\" y=\"\(n(y))\""
        if anchor != "start" { attrs += " text-anchor=\"\(anchor)\"" }
        if size != 12 { attrs += " font-size=\"\(size)\"" }
        if bold { attrs += " font-weight=\"bold\"" }
        if fill != Self.ink { attrs += " fill=\"\(fill)\"" }
        return "<text \(attrs)>\(Self.escape(s))</text>"
    }

    func segment(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = ChartSVG.ink, dashed: Bool = false) -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\"" + (dashed ? " stroke-dasharray=\"4 3\"/>" : "/>")
    }

    /// Text content or attribute value with the five XML specials escaped and characters
    /// XML 1.0 forbids (control characters) left out.
    public static func escape(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    // MARK: bars

    private func bars(_ chart: BarChart, top: Double, into parts: inout [String]) -> Double {
        let k = max(1, chart.series.count)
        let renderer = ChartRenderer(decimals: formatter.decimals)
        let rowHeight = 26.0, barHeight = 18.0
        let labelWidth = min(width * 0.3, (chart.labels.map(textWidth).max() ?? 0) + 8)
        let panelsLeft = Self.margin + labelWidth + 8
        let panelWidth = (width - panelsLeft - Self.margin - 16 * Double(k - 1)) / Double(k)
        var y = top
        if k > 1 {
            for (j, s) in chart.series.enumerated() {
                parts.append(text(s.name, x: panelsLeft + Double(j) * (panelWidth + 16), y: y + 12, bold: true))
            }
            y += 22
        }
        for (i, label) in chart.labels.enumerated() {
            parts.append(text(label, x: panelsLeft - 8, y: y + Double(i) * rowHeight + 16, anchor: "end"))
        }
        for (j, s) in chart.series.enumerated() {
            let texts = s.values.map { v in v.map { renderer.valueText($0, s) } ?? "" }
            let valueWidth = (texts.map(textWidth).max() ?? 0) + 8
            let room = max(20, panelWidth - valueWidth)
            let present = s.values.compactMap { $0 }.filter(\.isFinite)
            let pos = max(0, present.max() ?? 0), neg = max(0, -(present.min() ?? 0))
            // Pixels for a value: its share of pos + neg, in halves when that sum overflows
            // (1e308 and -1e308) and by ratio when the value per pixel underflows (5e-324).
            let unit = (pos + neg) / room
            func pixels(_ m: Double) -> Double {
                guard pos + neg > 0 else { return 0 }
                if unit.isNormal { return m / unit }
                let p = room * ((m / 2) / (pos / 2 + neg / 2))
                return p.isFinite ? min(room, p) : 0
            }
            let left = panelsLeft + Double(j) * (panelWidth + 16)
            let zero = left + pixels(neg)
            for (i, v) in s.values.enumerated() {
                guard let v, v.isFinite else { continue }
                let rowTop = y + Double(i) * rowHeight + (rowHeight - barHeight) / 2
                let length = pixels(abs(v))
                if length > 0 {
                    parts.append("<rect x=\"\(n(v < 0 ? zero - length : zero))\" y=\"\(n(rowTop))\" width=\"\(n(length))\" "
                                 + "height=\"\(n(barHeight))\" fill=\"\(Self.bar)\"/>")
                }
                parts.append(text(texts[i], x: zero + (v > 0 ? length : 0) + 4, y: rowTop + 13))
            }
            parts.append(segment(zero, y, zero, y + Double(chart.labels.count) * rowHeight))
        }
        return y + Double(chart.labels.count) * rowHeight + 4
    }

    // MARK: line and pareto

    /// The plot frame: left and right x, top and bottom y.
    private struct Frame {
        var left, right, top, bottom: Double
        func x(_ t: Double) -> Double { left + t * (right - left) }
        func y(_ t: Double) -> Double { bottom - t * (bottom - top) }
    }

    private func frame(top: Double, yLabels: [String]) -> Frame {
        let labelWidth = yLabels.map(textWidth).max() ?? 0
        return Frame(left: Self.margin + labelWidth + 8, right: width - 24, top: top, bottom: top + 280)
    }

    private func axes(_ f: Frame, into parts: inout [String]) {
        parts.append(segment(f.left, f.top, f.left, f.bottom))
        parts.append(segment(f.left, f.bottom, f.right, f.bottom))
    }

    /// The points as a polyline; with more points than pixels, each pixel column keeps its
    /// first, lowest, highest and last point (the shape survives, the file stays small).
    private func polyline(_ pts: [(Double, Double)], _ f: Frame) -> String {
        var kept: [(Double, Double)] = []
        if pts.count > Int(saturating: f.right - f.left) * 2 {
            var i = 0
            while i < pts.count {
                let column = pts[i].0.rounded()
                var j = i
                while j + 1 < pts.count, pts[j + 1].0.rounded() == column { j += 1 }
                let slice = pts[i...j]
                var pick = [pts[i], pts[j]]
                if let lo = slice.min(by: { $0.1 < $1.1 }), let hi = slice.max(by: { $0.1 < $1.1 }) { pick += [lo, hi] }
                kept += pick.sorted { $0.0 < $1.0 }
                i = j + 1
            }
        } else {
            kept = pts
        }
        let list = kept.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        return "<polyline fill=\"none\" stroke=\"\(Self.bar)\" stroke-width=\"2\" points=\"\(list)\"/>"
    }

    private func line(_ c: LineChart, top: Double, into parts: inout [String]) -> Double {
        let count = min(c.xs.count, c.ys.count)
        guard count > 0, let lo = c.ys.prefix(count).min(), let hi = c.ys.prefix(count).max(),
              let x0 = c.xs.first else { return top }
        let x1 = c.xs[count - 1]
        let labels = [formatter.number(hi, c.yFormat), formatter.number(lo, c.yFormat)]
        let f = frame(top: top, yLabels: labels)
        axes(f, into: &parts)
        parts.append(text(labels[0], x: f.left - 6, y: f.y(hi > lo ? 1 : 0.5) + 4, anchor: "end"))
        if hi > lo { parts.append(text(labels[1], x: f.left - 6, y: f.y(0) + 4, anchor: "end")) }
        let pts = (0..<count).map { i in
            (f.x(x1 > x0 ? c.xs[i].clampedFraction(from: x0, to: x1) : 0.5), f.y(hi > lo ? c.ys[i].clampedFraction(from: lo, to: hi) : 0.5))
        }
        parts.append(polyline(pts, f))
        if count == 1, let p = pts.first { parts.append("<circle cx=\"\(n(p.0))\" cy=\"\(n(p.1))\" r=\"3\" fill=\"\(Self.bar)\"/>") }
        if let first = c.xLabels.first { parts.append(text(first, x: f.left, y: f.bottom + 18)) }
        if count > 1, c.xLabels.count >= count { parts.append(text(c.xLabels[count - 1], x: f.right, y: f.bottom + 18, anchor: "end")) }
        return f.bottom + 24
    }

    private func pareto(_ p: ParetoChart, top: Double, into parts: inout [String]) -> Double {
        let count = p.cumShares.count
        guard count > 0 else { return top }
        func percent(_ x: Double) -> String { formatter.fixed(x * 100, 1) + "%" }
        let regions = p.regions
        let f = frame(top: top, yLabels: ["100.0%"] + regions.map { percent($0.cumShare) })
        axes(f, into: &parts)
        parts.append(text(percent(1), x: f.left - 6, y: f.y(1) + 4, anchor: "end"))
        parts.append(text(percent(0), x: f.left - 6, y: f.y(0) + 4, anchor: "end"))
        let pts = [(f.x(0), f.y(0))] + p.cumShares.enumerated().map { (f.x(Double($0.offset + 1) / Double(count)), f.y(min(1, max(0, $0.element)))) }
        parts.append(polyline(pts, f))
        for r in regions.dropLast() {
            let cx = f.x(Double(r.start + r.count) / Double(count)), cy = f.y(min(1, max(0, r.cumShare)))
            parts.append(segment(cx, f.top, cx, f.bottom, stroke: Self.muted, dashed: true))
            parts.append(segment(f.left, cy, cx, cy, stroke: Self.muted, dashed: true))
            parts.append(text(percent(r.cumShare), x: f.left - 6, y: cy + 4, anchor: "end"))
        }
        for r in regions {
            let mid = f.x((Double(r.start) + Double(r.count) / 2) / Double(count))
            parts.append(text("\(r.name) (\(formatter.fixed(Double(r.count), 0)))", x: mid, y: f.bottom + 18, anchor: "middle", bold: true))
        }
        parts.append(text("0", x: f.left, y: f.bottom + 36))
        parts.append(text(p.itemsLabel, x: f.right, y: f.bottom + 36, anchor: "end"))
        return f.bottom + 42
    }

    // MARK: writing

    /// Why a chart file could not be written.
    public struct WriteError: Error, Sendable {
        public var message: String
    }

    /// Writes `document` to `path` atomically: into a temporary file beside it, then
    /// renamed over the target, so a reader never sees half a chart.
    public static func write(_ document: String, toFile path: String) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw WriteError(message: "no such folder: `\(folder.path)`")
        }
        do {
            try AtomicFile.write(Array(document.utf8), to: path)
        } catch {
            throw WriteError(message: "cannot write `\(path)`: \(error.message)")
        }
    }
}
