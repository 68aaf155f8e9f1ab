import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TallyCore
import TallyLang
@testable import TallyREPL

/// Charts: the text renderer line by line, the SVG writer, and the `chart` command.
struct ChartTests {
    // MARK: helpers

    static func bars(_ labels: [String], _ values: [Double?], format: NumberFormat = .plain) -> ChartSpec {
        ChartSpec(title: "v by k", body: .bars(BarChart(labels: labels, series: [BarSeries(name: "v", values: values, format: format)])))
    }

    /// The length of a bar in eighths of a cell.
    static func eighths(_ line: String) -> Int {
        var n = 0
        for ch in line {
            if ch == "█" { n += 8 } else if let i = ChartRenderer.eighths.firstIndex(of: String(ch)), i > 0 { n += i }
        }
        return n
    }

    /// The display column at which `ch` first appears in `line`.
    static func column(of ch: Character, in line: String) -> Int? {
        guard let i = line.firstIndex(of: ch) else { return nil }
        return DisplayWidth.of(String(line[..<i]))
    }

    /// Runs statements in a fresh driver and returns everything printed.
    static func run(_ lines: [String], width: Int = 60) -> String {
        var s = Settings()
        s.width = width
        s.banner = false
        let out = CapturedOutput()
        let d = Driver(settings: s, output: out)
        for l in lines { d.execute(l, name: nil, line: 1) }
        return out.text
    }

    static let salesTable = #"sales = table(channel: ["Tmall", "JD", "抖音"], revenue: [400, 100, 200], n: [4, 1, 2])"#

    // MARK: bars

    @Test func barLinesAreExact() {
        let lines = ChartRenderer(width: 30).render(Self.bars(["a", "bb"], [4, 2]))
        #expect(lines == [
            "v by k",
            "a  │████████████████████████ 4",
            "bb │████████████ 2",
        ])
    }

    @Test("bar lengths are proportional to the values", arguments: [40, 60, 100, 137])
    func barsProportional(width: Int) {
        let values: [Double] = [1, 2, 3, 4.5, 5, 6.25, 7, 8]
        let lines = ChartRenderer(width: width).render(Self.bars(values.map { "x\($0)" }, values)).dropFirst()
        let full = Self.eighths(lines.last ?? "")
        #expect(full % 8 == 0 && full > 0)
        for (v, line) in zip(values, lines) {
            let expected = Int((v / 8 * Double(full)).rounded())
            #expect(Self.eighths(line) == expected, "\(v): \(line)")
            #expect(DisplayWidth.of(line) <= width)
        }
    }

    @Test func cjkLabelsAlign() {
        let lines = ChartRenderer(width: 50).render(Self.bars(["华东区", "North", "华南"], [3, 2, 1])).dropFirst()
        let axes = lines.map { Self.column(of: "│", in: $0) }
        #expect(axes == [7, 7, 7])
        #expect(lines.first?.hasPrefix("华东区 │") == true)
        #expect(lines.last?.hasPrefix("华南   │") == true)
    }

    @Test func negativeBarsGrowLeftOfZero() {
        let lines = Array(ChartRenderer(width: 40).render(Self.bars(["up", "down", "zero"], [30, -10, 0])).dropFirst())
        let axes = lines.map { Self.column(of: "│", in: $0) }
        #expect(Set(axes).count == 1)
        // 30 bar cells: 8 (10/40, rounded) left of zero, 22 right; -10 takes 7.5 cells at 30/22 a cell.
        #expect(lines == [
            "up           │██████████████████████ 30",
            "down ▐███████│ -10",
            "zero         │ 0",
        ])
    }

    @Test func smallValuesStillShowAndEmptiesDrawNothing() {
        let lines = ChartRenderer(width: 40).render(Self.bars(["big", "tiny", "none"], [1000, 0.1, nil])).dropFirst()
        #expect(Array(lines)[1].contains("│▏ 0.10"))
        #expect(Array(lines)[2] == "none │")
    }

    @Test func seriesPanelsShareLabels() {
        let spec = ChartSpec(title: "t", body: .bars(BarChart(labels: ["a", "b"], series: [
            BarSeries(name: "customers", values: [3, 1], showsShare: true),
            BarSeries(name: "revenue", values: [100, 300], format: .money),
        ])))
        let lines = ChartRenderer(width: 60).render(spec)
        #expect(lines[1].contains("customers") && lines[1].contains("revenue"))
        #expect(lines[2].contains("3 (75.0%)") && lines[2].contains("100.00"))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 60 })
        #expect(Self.column(of: "│", in: lines[2]) == Self.column(of: "│", in: lines[3]))
    }

    // MARK: histogram

    @Test("histogram bins", arguments: [
        ([1.0, 5, 7, 12, 15, 18, 22, 30, 31, 45], nil as Int?, [0.0, 10, 20, 30, 40, 50], [3, 3, 1, 2, 1]),
        ([0, 10, 20], 2, [0, 10, 20], [1, 2]),
        ([0.1, 0.2, 0.35], nil, [0.1, 0.2, 0.3, 0.4], [1, 1, 1]),
        ([0, 0.4, 0.5, 1.2, 9.9, 10], nil, [0, 2.5, 5, 7.5, 10], [4, 0, 0, 2]),
        ([7, 7, 7], nil, [7, 7], [3]),
    ])
    func histogramBins(_ values: [Double], _ bins: Int?, _ edges: [Double], _ counts: [Int]) {
        let h = Histogram(values, bins: bins)
        #expect(h.counts == counts)
        #expect(h.edges.count == edges.count)
        for (a, b) in zip(h.edges, edges) { #expect(abs(a - b) < 1e-9) }
        #expect(h.counts.reduce(0, +) == values.count)
    }

    @Test func histogramCommandLabelsBins() {
        let out = Self.run(["chart hist table(a: [1, 5, 7, 12, 15, 18, 22, 30, 31, 45]).a"])
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.first == "distribution of a: 10 values in 5 bins")
        #expect(lines[1].hasPrefix(" 0 ≤ x < 10 │"))
        #expect(lines[5].hasPrefix("40 ≤ x ≤ 50 │"))
        #expect(lines[1].hasSuffix(" 3") && lines[3].hasSuffix(" 1"))
    }

    // MARK: sparkline

    @Test("sparkline", arguments: [
        ([1.0, 3, 2, 8, 5, 4] as [Double?], nil as Double?, nil as Double?, "▁▃▂█▅▄"),
        ([0, nil, 7], nil, nil, "▁ █"),
        ([5, 5], nil, nil, "▄▄"),
        ([], nil, nil, ""),
        ([50, 150], 0, 100, "▅█"),
    ])
    func sparkline(_ xs: [Double?], _ lo: Double?, _ hi: Double?, _ expected: String) {
        #expect(Sparkline.draw(xs, min: lo, max: hi) == expected)
    }

    @Test func sparklineFunction() {
        let s = Session()
        #expect(s.evaluate("sparkline([1, 3, 2, 8, 5, 4])") == .success(.text("▁▃▂█▅▄")))
        #expect(s.evaluate("sparkline(table(a: [1, 2]).a, min: 0, max: 2)") == .success(.text("▅█")))
        if case .success(.error(let e)) = s.evaluate("sparkline(5)") { #expect(e.kind == .value) } else { Issue.record("expected #VALUE!") }
        let grouped = Self.run(["t = table(k: [\"a\", \"b\", \"a\"], v: [1, 5, 3])", "group(t, k, s: sparkline(v, min: 0, max: 5))"])
        #expect(grouped.contains("│ a │ ▂▅ │") && grouped.contains("│ b │ █  │"))
    }

    // MARK: line and pareto

    @Test func lineChartHasAxesAndEndLabels() {
        let chart = LineChart(xs: [0, 1, 2, 3], ys: [10, 30, 20, 40], xLabels: ["2026-01-01", "b", "c", "2026-01-04"])
        let lines = ChartRenderer(width: 50, height: 6).render(ChartSpec(title: "y by x", body: .line(chart)))
        #expect(lines.count == 1 + 6 + 2)
        #expect(lines[1].hasPrefix("40 ┤"))
        #expect(lines[6].hasPrefix("10 ┤⡠"))
        #expect(lines[7] == "   └" + String(repeating: "─", count: 46))
        #expect(lines[8].hasPrefix("    2026-01-01") && lines[8].hasSuffix("2026-01-04"))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 50 })
        // The top row holds the last point (the maximum) at its right end.
        #expect(lines[1].last.map { $0 != " " } == true)
    }

    static let abc = ParetoChart(cumShares: [0.4, 0.62, 0.77, 0.89, 0.96, 1], classes: ["A", "A", "B", "B", "C", "C"])

    @Test func paretoRegionsAndCutoffs() throws {
        #expect(Self.abc.regions.map(\.name) == ["A", "B", "C"])
        #expect(Self.abc.regions.map(\.count) == [2, 2, 2])
        #expect(Self.abc.regions.map(\.cumShare) == [0.62, 0.89, 1])
        let lines = ChartRenderer(width: 60, height: 12).render(ChartSpec(title: "abc", body: .pareto(Self.abc)))
        let a = try #require(lines.firstIndex { $0.contains("└") })
        #expect(a == 13)
        #expect(lines[1].hasPrefix("100.0% ┤"))
        #expect(lines.contains { $0.hasPrefix(" 62.0% ┤┈") })
        #expect(lines.contains { $0.hasPrefix(" 89.0% ┤┈") })
        #expect(lines[a - 1].hasPrefix("  0.0% ┤"))
        #expect(lines[a].filter { $0 == "┴" }.count == 2)
        // The dotted verticals stand where the axis marks the cut-offs.
        let cut = Self.column(of: "┴", in: lines[a])
        #expect(cut != nil && lines[2..<a].contains { l in Self.column(of: "┊", in: l) == cut })
        #expect(lines[a + 1].contains("A (2)") && lines[a + 1].contains("B (2)") && lines[a + 1].contains("C (2)"))
        #expect(lines[a + 2].hasSuffix("6 items"))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 60 })
    }

    @Test func paretoCommandFromAnAbcTable() {
        let out = Self.run([
            #"r = table(item: ["p1", "p2", "p3", "p4"], rank: [2, 1, 3, 4], cum_share: [70%, 40%, 90%, 100%], class: ["A", "A", "B", "C"])"#,
            "chart pareto r",
        ])
        #expect(out.contains("ABC curve of r: 4 items (A 2, B 1, C 1)"))
        #expect(out.contains("note: A/B cut-off after 2 items, at 70.0% of the value"))
        #expect(out.contains("note: B/C cut-off after 3 items, at 90.0% of the value"))
    }

    @Test("every kind fits the width", arguments: [30, 45, 80, 100, 160])
    func everyKindFits(width: Int) {
        let out = Self.run([
            Self.salesTable,
            "chart bar sales, x: channel, y: revenue",
            "chart bar sales, x: channel, y: [n, revenue]",
            "chart hist sales.revenue",
            "chart line sales, x: channel, y: revenue",
            #"r = table(cum_share: [50%, 80%, 100%], class: ["A", "B", "C"])"#,
            "chart pareto r",
        ], width: width)
        for line in out.split(separator: "\n") where !line.hasPrefix("sales =") && !line.hasPrefix("r =") {
            #expect(DisplayWidth.of(String(line)) <= width, "\(line)")
        }
        #expect(!out.contains("error"))
    }

    // MARK: command errors

    @Test("errors are one line with a caret", arguments: [
        ("chart baar sales", "error: unknown chart kind `baar`", 7, 4, "did you mean `bar`?"),
        ("chart bar sales, y: revenue", "error: `chart bar` needs `x:`, the column of labels", 28, 1, "chart bar t"),
        ("chart bar sales, x: channel", "error: `chart bar` needs `y:`, the column of numbers", 28, 1, "group first"),
        ("chart bar sales, x: channel, y: channel", "error: `y: channel` is a text column; `chart bar` draws numbers", 33, 7,
         "number columns: revenue, n"),
        ("chart bar where(sales, revenue > 999), x: channel, y: revenue", "error: `where(sales, revenue > 999)` has no rows to draw",
         11, 27, nil),
        ("chart bar sales, x: chanel, y: revenue", "error: table `sales` has no column `chanel`", 21, 6, "did you mean `channel`?"),
        ("chart line sales, x: channel, y: revenue, bins: 4", "error: `chart line` has no option `bins`", 43, 4, "options of chart line"),
        ("chart hist sales, x: revenue, bins: 0", "error: `bins:` is a whole number from 1 to 100", 37, 1, nil),
        ("chart pareto sales", "error: `chart pareto` needs the columns `cum_share` and `class`, as abc(...) gives", 14, 5, "its columns"),
        ("chart bar 42, x: a, y: b", "error: `chart bar` needs a table, got a number", 11, 2, "chart bar t"),
        ("chart", "error: `chart` needs a kind of chart: bar, hist, line, pareto, rfm, tornado, heat", 6, 1, "chart bar|hist"),
        ("chart line sales, x: channel, y: revenue, height: 1", "error: `height:` is a whole number of rows from 3 to 60", 51, 1, nil),
        ("chart bar sales, x: channel, y: n, to: \"c.png\"", "error: charts are written as SVG: the file name must end in .svg",
         40, 7, "to: \"c.svg\""),
    ] as [(String, String, Int, Int, String?)])
    func commandErrors(_ statement: String, _ message: String, _ column: Int, _ length: Int, _ hint: String?) {
        let out = Self.run([Self.salesTable, statement]).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().map(String.init)
        let caret = "  " + String(repeating: " ", count: column - 1) + String(repeating: "^", count: length)
        #expect(out.first == message)
        #expect(out.count >= 3 && out[1] == "  " + statement && out[2] == caret)
        if let hint {
            #expect(out.count == 5 && out[3].hasPrefix("  hint:") && out[3].contains(hint))
        } else {
            #expect(out.count == 4 && out[3].isEmpty)
        }
    }

    @Test func chartIsACommand() {
        #expect(Driver.commandHelp.contains { $0.name == "chart" })
    }

    // MARK: SVG

    final class XMLCollector: NSObject, XMLParserDelegate {
        var text = ""
        var elements: [String: Int] = [:]
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) { elements[name, default: 0] += 1 }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { text += "\n" }
    }

    static func parse(_ svg: String) -> XMLCollector? {
        let parser = XMLParser(data: Data(svg.utf8))
        let c = XMLCollector()
        parser.delegate = c
        return parser.parse() ? c : nil
    }

    @Test("SVG is well-formed XML holding the labels", arguments: [
        bars(["华东区", "<Tmall & co>", "\"JD\" 's"], [3, -2, 1], format: .money),
        ChartSpec(title: "y by x", body: .line(LineChart(xs: [0, 1, 2], ys: [1, 3, 2], xLabels: ["2026-01-01", "m", "2026-01-03"]))),
        ChartSpec(title: "ABC 曲线", body: .pareto(abc), notes: ["A/B cut-off after 2 items"]),
        ChartSpec(title: "t", body: .bars(BarChart(labels: ["重要价值客户", "b"], series: [
            BarSeries(name: "customers", values: [2, 1], showsShare: true), BarSeries(name: "revenue", values: [10, nil]),
        ]))),
        ChartSpec(title: "profit by visitors and conversion", body: .heat(HeatMap(rowTitle: "visitors", rows: ["10,000", "12,000"],
                  columns: ["conversion = 2%", "conversion = 3%"], cells: [[1, 2], [3, nil]], format: .plain))),
    ])
    func svgIsWellFormed(_ spec: ChartSpec) throws {
        let svg = ChartSVG().document(spec)
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
        let parsed = try #require(Self.parse(svg))
        #expect(parsed.text.contains(spec.title))
        switch spec.body {
        case .bars(let b):
            for l in b.labels { #expect(parsed.text.contains(l)) }
            #expect(parsed.elements["rect", default: 0] > b.labels.count - 1)
        case .line(let l):
            #expect(parsed.text.contains(l.xLabels.first ?? "") && parsed.text.contains(l.xLabels.last ?? ""))
            #expect(parsed.elements["polyline"] == 1)
        case .pareto:
            #expect(parsed.text.contains("A (2)") && parsed.text.contains("62.0%") && parsed.text.contains("89.0%"))
            #expect(parsed.elements["polyline"] == 1)
        case .heat(let h):
            for r in h.rows { #expect(parsed.text.contains(r)) }
            #expect(parsed.elements["rect", default: 0] >= h.rows.count * h.columns.count)
        }
        for n in spec.notes { #expect(parsed.text.contains(n)) }
    }

    @Test func manyPointsAreThinnedInSVG() {
        let n = 100_000
        let chart = ParetoChart(cumShares: (1...n).map { sqrt(Double($0) / Double(n)) }, classes: (1...n).map { $0 < 30_000 ? "A" : "C" })
        let svg = ChartSVG().document(ChartSpec(title: "big", body: .pareto(chart)))
        #expect(svg.utf8.count < 200_000)
        #expect(Self.parse(svg) != nil)
    }

    @Test func chartToFileWritesAtomicallyAndRefusesForeignFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tally-chart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.svg").path
        let other = dir.appendingPathComponent("other.svg").path
        try Data("mine".utf8).write(to: URL(fileURLWithPath: other))
        let out = Self.run([
            Self.salesTable,
            "chart bar sales, x: channel, y: revenue, to: \"\(path)\"",
            "chart bar sales, x: channel, y: n to \"\(path)\"",
            "chart bar sales, x: channel, y: n, to: \"\(other)\"",
            "chart bar sales, x: channel, y: n, to: \"\(other)\", force: true",
        ])
        #expect(out.components(separatedBy: "wrote \(path)\n").count == 3)
        #expect(out.contains("error: `\(other)` already exists"))
        #expect(out.contains("wrote \(other)\n"))
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        #expect(svg.contains("<title>n by channel</title>") && svg.contains("抖音"))
        #expect(Self.parse(svg) != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["c.svg", "other.svg"])
    }
}
