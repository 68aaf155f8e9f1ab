import Foundation
import Testing
import TallyCore
import TallyLang
@testable import TallyREPL

/// Charts of extreme numbers (issue 9, item 2): ranges that overflow (`1e308 - -1e308`),
/// steps that underflow (`5e-324 / 4`), NaN and infinities handed straight to the
/// renderers. A trap kills the test process, so these tests passing is the proof that
/// no input traps; they also check the output stays within the width and never shows
/// `inf` or `nan`.
struct ChartExtremeTests {
    /// The inputs that trapped with "Double value cannot be converted to Int".
    static let repros = [
        #"chart bar table(c: ["a","b"], w: [-1e308, 1]), x: c, y: w"#,
        #"chart hist table(w: [5e-324, 0]).w"#,
        #"chart hist table(w: [1e308, -1e308]).w"#,
        #"chart line table(d: [1, 2], w: [1.7e308, -1.7e308]), x: d, y: w"#,
        #"chart line table(d: [1e308, -1e308], w: [1, 2]), x: d, y: w"#,
    ]

    static func assertClean(_ text: String, _ context: String, errorsAllowed: Bool = false) {
        let lower = text.lowercased()
        #expect(!lower.contains("nan") && !lower.contains("inf") && !text.contains("∞"), "\(context): \(text)")
        if !errorsAllowed { #expect(!text.contains("error:"), "\(context): \(text)") }
    }

    @Test("the trapping repros draw", arguments: repros)
    func reproDraws(_ statement: String) {
        let out = ChartTests.run([statement], width: 60)
        Self.assertClean(out, statement)
        #expect(out.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 60 })
    }

    @Test("the trapping repros write an SVG", arguments: repros)
    func reproWritesSVG(_ statement: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tally-extreme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.svg").path
        let out = ChartTests.run([statement + " to \"\(path)\""])
        #expect(out == "wrote \(path)\n")
        let svg = try String(contentsOfFile: path, encoding: .utf8)
        Self.assertClean(svg, statement)
        #expect(ChartTests.parse(svg) != nil)
    }

    @Test func extremeScalesKeepTheirShape() {
        // -1e308 fills the negative side; 1 is a sliver right of the zero line.
        let bar = ChartRenderer(width: 40).render(ChartTests.bars(["a", "b"], [-1e308, 1]))
        #expect(ChartTests.column(of: "│", in: bar[1]) == ChartTests.column(of: "│", in: bar[2]))
        #expect(bar[1].contains("██") && bar[2].contains("│▏ 1"))
        // 5e-324 and 0: the larger value draws a full bar, not nothing.
        let tiny = ChartRenderer(width: 40).render(ChartTests.bars(["a", "b"], [5e-324, 0]))
        #expect(ChartTests.eighths(tiny[1]) > 8 * 10 && ChartTests.eighths(tiny[2]) == 0)
        // Bins over the whole range.
        let h = Histogram([1e308, -1e308])
        #expect(h.counts.reduce(0, +) == 2 && h.edges.first == -1e308 && h.edges.last == 1e308)
        #expect(h.edges.allSatisfy { $0.isFinite })
        let sub = Histogram([5e-324, 0])
        #expect(sub.counts.reduce(0, +) == 2 && sub.counts.first == 1 && sub.counts.last == 1)
        #expect(Sparkline.draw([1e308, -1e308, 0]) == "█▁▅")
        #expect(Sparkline.draw([-1.7e308, 1.7e308]) == "▁█")
    }

    @Test func overflowingSumsAreNumErrors() {
        let bar = ChartTests.run([#"chart bar table(c: ["a", "a", "b"], w: [1e308, 1e308, 1]), x: c, y: w"#])
        #expect(bar.contains("a │ #NUM!"))
        let line = ChartTests.run([#"chart line table(d: [1, 1, 2, 3], w: [1e308, 1e308, 1, 2]), x: d, y: w"#], width: 100)
        #expect(line.contains("w by d (2 points)") && line.contains("note: 1 point left out: the sum of w is beyond the largest number (#NUM!)"))
        Self.assertClean(line, "line")
        let none = ChartTests.run([#"chart line table(d: [1, 1], w: [1e308, 1e308]), x: d, y: w"#], width: 100)
        #expect(none.contains("error: no points to draw: every sum of w per d is beyond the largest number (#NUM!)"))
    }

    // MARK: fuzz

    /// A small deterministic generator (SplitMix64), so a failure reproduces.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let extremes: [Double] = [
        1e308, -1e308, 1.7e308, -1.7e308, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        5e-324, -5e-324, .leastNormalMagnitude, 1e-300, 0, -0.0, 1, -1, 0.5, 42, 1e15, -1e15, 1e-9,
    ]

    /// Mostly extreme numbers, sometimes ordinary ones, NaN or an infinity (which the
    /// builders filter but the renderers must survive too), or all equal.
    static func values(_ rng: inout Rng, count: Int, nonFinite: Bool) -> [Double] {
        let same = rng.below(8) == 0 ? extremes[rng.below(extremes.count)] : nil
        return (0..<count).map { _ in
            if let same { return same }
            switch rng.below(10) {
            case 0 where nonFinite: return [Double.nan, .infinity, -.infinity][rng.below(3)]
            case 1: return Double(rng.below(2001)) - 1000
            default: return extremes[rng.below(extremes.count)]
            }
        }
    }

    @Test func renderersNeverTrapOnExtremeNumbers() {
        var rng = Rng(state: 9)
        let svg = ChartSVG()
        for round in 0..<3000 {
            let n = 1 + rng.below(rng.below(4) == 0 ? 40 : 5)
            let width = 20 + rng.below(100)
            let renderer = ChartRenderer(width: width, height: 3 + rng.below(12))
            let ys = Self.values(&rng, count: n, nonFinite: true)
            let spec: ChartSpec
            switch round % 4 {
            case 0:
                let other = Self.values(&rng, count: n, nonFinite: true).map { rng.below(5) == 0 ? nil : $0 }
                spec = ChartSpec(title: "bars", body: .bars(BarChart(labels: (0..<n).map { "k\($0)" }, series: [
                    BarSeries(name: "a", values: ys), BarSeries(name: "b", values: other, showsShare: true),
                ])))
            case 1:
                let finite = ys.filter(\.isFinite)
                let h = Histogram(finite.isEmpty ? [0] : finite, bins: rng.below(3) == 0 ? 1 + rng.below(100) : nil)
                #expect(h.counts.reduce(0, +) == max(1, finite.count))
                #expect(h.edges.allSatisfy { $0.isFinite } && h.edges.count == h.counts.count + 1)
                spec = ChartSpec(title: "hist", body: .bars(BarChart(labels: h.counts.indices.map { "b\($0)" },
                                                                     series: [BarSeries(name: "count", values: h.counts.map(Double.init))])))
            case 2:
                let xs = Self.values(&rng, count: n, nonFinite: false).sorted()
                spec = ChartSpec(title: "line", body: .line(LineChart(xs: xs, ys: ys, xLabels: xs.map { "\($0)" })))
            default:
                let shares = Self.values(&rng, count: n, nonFinite: true).sorted()
                spec = ChartSpec(title: "pareto", body: .pareto(ParetoChart(cumShares: shares, classes: shares.indices.map { ["A", "B", "C"][min(2, 3 * $0 / n)] })))
            }
            let lines = renderer.render(spec)
            #expect(lines.allSatisfy { DisplayWidth.of($0) <= renderer.width }, "round \(round)")
            let doc = svg.document(spec)
            #expect(!doc.contains("nan") && !doc.contains("inf"), "round \(round)")
            _ = Sparkline.draw(ys.map { rng.below(6) == 0 ? nil : $0 },
                               min: rng.below(4) == 0 ? Self.extremes[rng.below(Self.extremes.count)] : nil,
                               max: rng.below(4) == 0 ? Self.extremes[rng.below(Self.extremes.count)] : nil)
        }
    }

    @Test func chartCommandsNeverTrapOnExtremeNumbers() {
        var rng = Rng(state: 13)
        var statements: [String] = []
        func list(_ xs: [Double]) -> String { "[" + xs.map { "\($0)" }.joined(separator: ", ") + "]" }
        for round in 0..<300 {
            let n = 1 + rng.below(6)
            let ys = list(Self.values(&rng, count: n, nonFinite: false))
            let xs = list(Self.values(&rng, count: n, nonFinite: false))
            let labels = "[" + (0..<n).map { _ in "\"k\(rng.below(3))\"" }.joined(separator: ", ") + "]"
            switch round % 4 {
            case 0: statements.append("chart bar table(c: \(labels), w: \(ys)), x: c, y: w")
            case 1: statements.append("chart hist table(w: \(ys)).w" + (rng.below(2) == 0 ? ", bins: \(1 + rng.below(100))" : ""))
            case 2: statements.append("chart line table(d: \(xs), w: \(ys)), x: d, y: w")
            default: statements.append("chart line table(d: \(labels), w: \(ys)), x: d, y: w")
            }
        }
        let out = ChartTests.run(statements, width: 50)
        // A line whose every sum overflows is refused; nothing else is.
        Self.assertClean(out, "chart commands", errorsAllowed: true)
        #expect(out.components(separatedBy: "error:").count - 1 == out.components(separatedBy: "is beyond the largest number").count - 1)
    }
}
