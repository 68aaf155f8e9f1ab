import Foundation
import TallyCore
import TallyLang

extension ChartBuilder {
    // MARK: hist

    func hist() throws(TallyError) -> ChartSpec {
        var name = dataText
        var values: [Double?]
        var format = NumberFormat.plain
        switch data {
        case .table(let t):
            guard t.rowCount > 0 else { throw fail("`\(dataText)` has no rows to draw") }
            let (n, c) = try column("x", in: t, what: "the column of numbers to count")
            name = n
            format = c.format
            values = try numbers(c, n, in: t, option: "x", span: request.options["x"]?.span ?? dataSpan)
        case .column(let c):
            if case .member(_, let field, _) = request.data { name = field }
            format = c.format
            values = try numbers(c, name, in: Table(), option: nil, span: dataSpan)
        case .list(let xs):
            values = []
            for x in xs {
                switch x {
                case .number(let v, let f): values.append(v); format = f
                case .empty: values.append(nil)
                default: throw fail("`chart hist` draws numbers; the list holds a \(x.typeName)")
                }
            }
        default:
            throw fail("`chart hist` needs a column of numbers or a table, got a \(data.typeName)", hint: ChartRequest.usage(.hist))
        }
        if case .table = data {} else if let o = request.options["x"] {
            throw fail("`x:` picks a column of a table; `\(dataText)` is already a \(data.typeName)", at: o.span)
        }
        var bins: Int?
        if let o = request.options["bins"] {
            guard case .number(let b, _) = o.value, b == b.rounded(), b >= 1, b <= 100 else {
                throw fail("`bins:` is a whole number from 1 to 100", at: o.span)
            }
            bins = Int(b)
        }
        let present = values.compactMap { $0 }.filter(\.isFinite)
        guard !present.isEmpty else { throw fail("`\(dataText)` has no numbers to draw") }
        let h = Histogram(present, bins: bins)
        let lower = h.edges.dropLast().map { edgeText($0, h, format) }
        let upper = h.edges.dropFirst().map { edgeText($0, h, format) }
        let lw = lower.map(DisplayWidth.of).max() ?? 0, uw = upper.map(DisplayWidth.of).max() ?? 0
        let labels = h.counts.indices.map { i in
            DisplayWidth.pad(lower[i], to: lw, right: true) + " ≤ x " + (i == h.counts.count - 1 ? "≤ " : "< ")
                + DisplayWidth.pad(upper[i], to: uw, right: true)
        }
        var notes: [String] = []
        let left = values.count - present.count
        if left > 0 { notes.append(note(.chartEmptyCells, [.counted(left, .nounEmptyCell)])) }
        let series = BarSeries(name: say(.chartCount), values: h.counts.map { Double($0) })
        let title = title ?? say(.chartHistTitle, [.text(name), .counted(present.count, .nounValue), .counted(h.counts.count, .nounBin)])
        return ChartSpec(title: title, body: .bars(BarChart(labels: labels, series: [series])), notes: notes)
    }

    /// A bin edge: round edges with just the digits their step needs, others as numbers show.
    func edgeText(_ x: Double, _ h: Histogram, _ format: NumberFormat) -> String {
        guard let step = h.roundStep else {
            // Edges too small for any decimals (5e-324) keep three significant digits.
            if x != 0, abs(x) < 1e-12 { return String(format: "%.3g", x) }
            return formatter.number(x, format)
        }
        let scale = format == .percent ? 100.0 : 1
        let digits = (0...12).first { d in
            let v = step * scale * pow(10, Double(d))
            return abs(v - v.rounded()) < 1e-6 * max(1, v)
        } ?? 12
        return formatter.fixed(x * scale, digits) + (format == .percent ? "%" : "")
    }

    // MARK: line

    func line() throws(TallyError) -> ChartSpec {
        let t = try table()
        let (xName, xColumn) = try column("x", in: t, what: "the column along the axis (dates)")
        let (yName, yColumn) = try column("y", in: t, what: "the column of numbers")
        let ys = try numbers(yColumn, yName, in: t, option: "y", span: request.options["y"]?.span ?? dataSpan)
        let sortable: Bool
        switch xColumn.storage {
        case .date, .number: sortable = true
        case .text: sortable = false
        default:
            throw fail("`x: \(xName)` is a \(xColumn.typeName) column; a line runs along dates, numbers or texts",
                       at: request.options["x"]?.span)
        }
        var keys: [Double] = []
        var names: [String] = []
        var sums: [Double] = []
        var index: [String: Int] = [:]
        var used = 0
        for i in 0..<t.rowCount {
            let xv = xColumn[i]
            guard let y = ys[i], !xv.isEmpty else { continue }
            used += 1
            let l = label(xv)
            if let k = index[l] { sums[k] += y; continue }
            index[l] = keys.count
            switch xv {
            case .date(let d): keys.append(Double(d.days))
            case .number(let x, _): keys.append(x)
            default: keys.append(Double(keys.count))
            }
            names.append(l)
            sums.append(y)
        }
        guard !keys.isEmpty else { throw fail("no points to draw: every row of `\(dataText)` has an empty \(xName) or \(yName)") }
        // A sum beyond the largest number is #NUM!, not a point at infinity.
        var order = keys.indices.filter { sums[$0].isFinite }
        let overflowed = keys.count - order.count
        guard !order.isEmpty else {
            throw fail("no points to draw: every sum of \(yName) per \(xName) is beyond the largest number (#NUM!)")
        }
        if sortable { order.sort { keys[$0] < keys[$1] } }
        var notes: [String] = []
        if keys.count < used {
            notes.append(note(.chartSummed, [.text(yName), .text(xName), .counted(used, .nounRow), .counted(keys.count, .nounPoint)]))
        }
        if overflowed > 0 { notes.append(note(.chartOverflow, [.counted(overflowed, .nounPoint), .text(yName)])) }
        if used < t.rowCount { notes.append(note(.chartEmptyRows, [.counted(t.rowCount - used, .nounRow), .text(xName), .text(yName)])) }
        let chart = LineChart(xs: sortable ? order.map { keys[$0] } : order.map(Double.init), ys: order.map { sums[$0] },
                              xLabels: order.map { names[$0] }, yFormat: yColumn.format)
        return ChartSpec(title: title ?? say(.chartLineTitle, [.text(yName), .text(xName), .counted(order.count, .nounPoint)]),
                         body: .line(chart), notes: notes)
    }

    // MARK: pareto

    func pareto() throws(TallyError) -> ChartSpec {
        let t = try table()
        guard let cum = t.column(named: "cum_share"), let cls = t.column(named: "class") else {
            let missing = ["cum_share", "class"].filter { t.column(named: $0) == nil }
            throw fail("`chart pareto` needs the column\(missing.count == 1 ? "" : "s") " + missing.map { "`\($0)`" }.joined(separator: " and ")
                       + ", as abc(...) gives", hint: "its columns: " + t.names.joined(separator: ", "))
        }
        let shares = try numbers(cum, "cum_share", in: t, option: nil, span: dataSpan)
        var rows = (0..<t.rowCount).filter { shares[$0] != nil }
        if let rank = t.column(named: "rank"), case .number(let r) = rank.storage {
            rows.sort { (r.value(at: $0), $0) < (r.value(at: $1), $1) }
        } else {
            rows.sort { (shares[$0] ?? 0, $0) < (shares[$1] ?? 0, $1) }
        }
        guard !rows.isEmpty else { throw fail("`\(dataText)` has no cum_share values to draw") }
        let chart = ParetoChart(cumShares: rows.map { shares[$0] ?? 0 }, classes: rows.map { formatter.cell(cls[$0]) },
                                itemsLabel: notes.part(.counted(rows.count, .nounItem)))
        let regions = chart.regions
        let counts = NotePart.list(regions.map { .text("\($0.name) \(count($0.count))") })
        var notes: [String] = []
        for (a, b) in zip(regions, regions.dropFirst()) {
            notes.append(note(.chartCutoff, [.text(a.name), .text(b.name), .counted(a.start + a.count, .nounItem),
                                             .text(formatter.fixed(a.cumShare * 100, 1) + "%")]))
        }
        return ChartSpec(title: title ?? say(.chartParetoTitle, [.text(dataText), .counted(rows.count, .nounItem), counts]),
                         body: .pareto(chart), notes: notes)
    }

    // MARK: rfm

    func rfm() throws(TallyError) -> ChartSpec {
        let t = try table()
        let segmentName = lang == "zh" && t.column(named: "segment_zh") != nil ? "segment_zh" : "segment"
        guard let seg = t.column(named: segmentName), let money = t.column(named: "monetary") else {
            let missing = ["segment", "monetary"].filter { t.column(named: $0) == nil }
            throw fail("`chart rfm` needs the column\(missing.count == 1 ? "" : "s") " + missing.map { "`\($0)`" }.joined(separator: " and ")
                       + ", as rfm(...) gives", hint: "its columns: " + t.names.joined(separator: ", "))
        }
        let m = try numbers(money, "monetary", in: t, option: nil, span: dataSpan)
        var names: [String] = []
        var index: [String: Int] = [:]
        var customers: [Double] = []
        var revenue: [Double] = []
        for i in 0..<t.rowCount {
            let s = label(seg[i])
            let k: Int
            if let j = index[s] { k = j } else { k = names.count; index[s] = k; names.append(s); customers.append(0); revenue.append(0) }
            customers[k] += 1
            revenue[k] += m[i] ?? 0
        }
        let order = names.indices.sorted { (-revenue[$0], names[$0]) < (-revenue[$1], names[$1]) }
        let series = [
            BarSeries(name: say(.chartCustomers), values: order.map { customers[$0] }, showsShare: true),
            BarSeries(name: say(.chartRevenue), values: order.map { revenue[$0] }, format: money.format, showsShare: true),
        ]
        let total = revenue.reduce(0, +)
        let head = say(.chartRfmTitle, [.text(dataText), .counted(t.rowCount, .nounCustomer), .counted(names.count, .nounSegment),
                                        .number(total, money.format)])
        return ChartSpec(title: title ?? head, body: .bars(BarChart(labels: order.map { names[$0] }, series: series)))
    }
}

/// Equal-width bins over numbers: `bins` of them from the minimum to the maximum, or by
/// default about Sturges' number (log2 n + 1, at most 20) on round edges (1, 2, 2.5 or 5
/// times a power of ten). A value on an inner edge counts in the bin above it.
///
/// When the range or the step is not an ordinary Double (`1e308 - -1e308` overflows,
/// `5e-324 / 4` underflows), the edges are interpolated between the minimum and the
/// maximum and each value's bin comes from its fraction of the range, so no input gives
/// a NaN or infinite edge or bin number.
struct Histogram: Equatable {
    var edges: [Double]
    var counts: [Int]
    /// The step when the edges are round (printed with the digits it needs).
    var roundStep: Double?

    init(_ values: [Double], bins: Int? = nil) {
        let lo = values.min() ?? 0, hi = values.max() ?? 0
        guard hi > lo else {
            edges = [lo, hi]; counts = [values.count]; roundStep = nil
            return
        }
        let target = bins ?? min(20, Int(saturating: log2(Double(values.count)).rounded(.up)) + 1)
        let plain = (hi - lo) / Double(max(1, target))
        let start: Double, step: Double, n: Int
        if bins == nil, let round = Histogram.roundEdges(lo, hi, step: plain) {
            (start, step, n, roundStep) = (round.start, round.step, round.count, round.step)
        } else if plain.isNormal {
            (start, step, n, roundStep) = (lo, plain, max(1, target), nil)
        } else {
            // The range overflows or the step underflows: bins by fraction of the range.
            let n = max(1, target)
            edges = (0...n).map { Double.interpolate(lo, hi, Double($0) / Double(n)) }
            edges[0] = lo
            edges[n] = hi
            var c = Array(repeating: 0, count: n)
            for v in values {
                let k = Int(saturating: (v.fraction(from: lo, to: hi) * Double(n) + 1e-9).rounded(.down))
                c[min(n - 1, max(0, k))] += 1
            }
            counts = c
            roundStep = nil
            return
        }
        edges = (0...n).map { start + Double($0) * step }
        // Equal steps from the minimum end exactly at the maximum (`lo + n * step` may
        // round past it, even to infinity near the largest Double).
        if roundStep == nil { edges = edges.map { min(hi, $0) }; edges[n] = hi }
        var c = Array(repeating: 0, count: n)
        for v in values {
            let k = Int(saturating: ((v - start) / step + 1e-9).rounded(.down))
            c[min(n - 1, max(0, k))] += 1
        }
        counts = c
    }

    /// Round edges (1, 2, 2.5 or 5 times a power of ten, at least `step` apart) covering
    /// `lo...hi`, or nil when they would not be ordinary Doubles.
    static func roundEdges(_ lo: Double, _ hi: Double, step raw: Double) -> (start: Double, step: Double, count: Int)? {
        guard raw.isNormal else { return nil }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        guard magnitude.isNormal else { return nil }
        let s = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-12) } ?? 10 * magnitude
        let first = (lo / s).rounded(.down) * s
        let bins = ((hi - first) / s * (1 - 1e-12)).rounded(.up)
        guard s.isNormal, first.isFinite, bins.isFinite, bins <= 1000 else { return nil }
        let n = max(1, Int(saturating: bins))
        guard (first + Double(n) * s).isFinite else { return nil }
        return (first, s, n)
    }
}
