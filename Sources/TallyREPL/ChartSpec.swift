import TallyCore

/// A chart reduced to labels and numbers, ready to draw: the text renderer
/// (`ChartRenderer`) and the SVG writer (`ChartSVG`) both draw from it, so the terminal
/// and the file show the same thing.
public struct ChartSpec: Sendable, Equatable {
    /// The kinds `chart KIND ...` accepts.
    public enum Kind: String, Sendable, CaseIterable {
        case bar, hist, line, pareto, rfm, tornado, heat
    }

    /// What is drawn.
    public enum Body: Sendable, Equatable {
        /// Horizontal bars, one row per label; `hist` and `rfm` are drawn as bars too.
        case bars(BarChart)
        case line(LineChart)
        case pareto(ParetoChart)
        case heat(HeatMap)
    }

    /// The first line of the chart.
    public var title: String
    public var body: Body
    /// Lines printed under the chart: what was summed, what was left out.
    public var notes: [String]

    public init(title: String, body: Body, notes: [String] = []) {
        self.title = title
        self.body = body
        self.notes = notes
    }
}

/// One series of bar lengths.
public struct BarSeries: Sendable, Equatable {
    /// Shown above the bars when there are several series.
    public var name: String
    /// One per label; nil draws no bar and no value.
    public var values: [Double?]
    /// How the values are written beside the bars.
    public var format: NumberFormat
    /// Writes each value's share of the series total after it: `12 (30.0%)`.
    public var showsShare: Bool

    public init(name: String, values: [Double?], format: NumberFormat = .plain, showsShare: Bool = false) {
        self.name = name
        self.values = values
        self.format = format
        self.showsShare = showsShare
    }

    /// The sum of the values (for shares).
    public var total: Double { values.reduce(0) { $0 + ($1 ?? 0) } }
}

/// Horizontal bars: one row per label, one panel per series (each with its own scale).
/// Bars start at zero; a negative value draws to the left of the zero line.
public struct BarChart: Sendable, Equatable {
    public var labels: [String]
    public var series: [BarSeries]

    public init(labels: [String], series: [BarSeries]) {
        self.labels = labels
        self.series = series
    }
}

/// A grid of numbers shaded by size (a two-input data table): darker is larger.
public struct HeatMap: Sendable, Equatable {
    public var rowTitle: String
    public var rows: [String]
    public var columns: [String]
    /// `cells[row][column]`; nil is an empty or non-number cell.
    public var cells: [[Double?]]
    public var format: NumberFormat

    public init(rowTitle: String, rows: [String], columns: [String], cells: [[Double?]], format: NumberFormat) {
        self.rowTitle = rowTitle
        self.rows = rows
        self.columns = columns
        self.cells = cells
        self.format = format
    }

    /// The smallest and largest number in the grid.
    public var range: (low: Double, high: Double)? {
        let xs = cells.flatMap { $0.compactMap { $0 } }.filter(\.isFinite)
        guard let lo = xs.min(), let hi = xs.max() else { return nil }
        return (lo, hi)
    }

    /// 0 for the smallest value, 1 for the largest (0.5 when all are equal).
    public func level(_ x: Double) -> Double {
        guard let (lo, hi) = range, hi > lo else { return 0.5 }
        return min(1, max(0, (x - lo) / (hi - lo)))
    }
}

/// A line through points ordered by x.
public struct LineChart: Sendable, Equatable {
    /// Positions along the x axis (days for dates), ascending.
    public var xs: [Double]
    public var ys: [Double]
    /// How each x is written (the first and last are shown under the axis).
    public var xLabels: [String]
    public var yFormat: NumberFormat

    public init(xs: [Double], ys: [Double], xLabels: [String], yFormat: NumberFormat = .plain) {
        self.xs = xs
        self.ys = ys
        self.xLabels = xLabels
        self.yFormat = yFormat
    }
}

/// The cumulative share curve of an ABC analysis: items ranked by value (largest first)
/// against their running share of the total, with the class boundaries marked.
public struct ParetoChart: Sendable, Equatable {
    /// Cumulative share including each item (fractions, ascending), in rank order.
    public var cumShares: [Double]
    /// The class of each item ("A", "B", "C"), in rank order.
    public var classes: [String]
    /// The end of the x axis (`6 items`, `6 项`), in the interface language.
    public var itemsLabel: String

    public init(cumShares: [Double], classes: [String], itemsLabel: String? = nil) {
        self.cumShares = cumShares
        self.classes = classes
        self.itemsLabel = itemsLabel ?? "\(cumShares.count) items"
    }

    /// A run of items of one class, in rank order.
    public struct Region: Sendable, Equatable {
        public var name: String
        /// Items before the run.
        public var start: Int
        public var count: Int
        /// Cumulative share at the run's last item.
        public var cumShare: Double
    }

    /// The consecutive runs of equal class; the boundaries between them are the cut-offs.
    public var regions: [Region] {
        var out: [Region] = []
        for (i, c) in classes.enumerated() {
            let share = i < cumShares.count ? cumShares[i] : 1
            if let last = out.last, last.name == c {
                out[out.count - 1].count += 1
                out[out.count - 1].cumShare = share
            } else {
                out.append(Region(name: c, start: i, count: 1, cumShare: share))
            }
        }
        return out
    }
}
