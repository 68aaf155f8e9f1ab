import Foundation
import TallyCore

/// The bundled sample data of `tally --demo`: made by a seeded generator, so every
/// machine gets the same tables with no files to install.
public enum DemoData {
    /// orders, customers, reps, targets: (name, table). Made once per process (the tables
    /// are values, and generating them is the slowest part of `load demo`).
    public static func tables() -> [(String, Table)] { made }

    private static let made: [(String, Table)] = make()

    private static func make() -> [(String, Table)] {
        var rng = SplitMix64(seed: 20260701)
        let regions = ["华东", "华南", "华北", "西南", "东北"]
        let regionWeights = [0.32, 0.24, 0.20, 0.14, 0.10]
        let customerCount = 1_200
        var custIDs: [Value] = [], custRegion: [Value] = [], custSince: [Value] = [], custName: [Value] = []
        var activity: [Double] = [], basket: [Double] = []
        let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
        let start = TallyDate(year: 2025, month: 7, day: 1)?.days ?? 0
        for i in 0..<customerCount {
            custIDs.append(.text(String(format: "C%04d", i + 1)))
            custRegion.append(.text(regions[rng.pick(regionWeights)]))
            custName.append(.text(surnames[Int(rng.next() % 10)] + ["先生", "女士"][Int(rng.next() % 2)]))
            custSince.append(.date(TallyDate(days: start - Int32(rng.next() % 900))))
            let z = rng.normal()
            activity.append(exp(1.1 * z))
            basket.append(260 * exp(0.7 * (0.4 * z + 0.9 * rng.normal())))
        }
        // Orders: every customer orders once, the rest go by activity; dates carry the
        // 618 (June) and Double 11 (November) peaks.
        let orderCount = 5_000
        let monthWeights = [1.0, 0.9, 1.0, 1.1, 1.6, 1.0, 0.9, 0.8, 1.0, 1.0, 1.1, 2.0]   // Jul 2025 .. Jun 2026
        let channels = ["Tmall", "JD", "Douyin", "Offline"], channelWeights = [0.35, 0.25, 0.25, 0.15]
        let lines = ["Apparel", "Beauty", "Electronics", "Home", "Food", "Sports"]
        let lineWeights = [0.24, 0.20, 0.14, 0.16, 0.18, 0.08]
        var rows: [(date: Int32, customer: Int, amount: Double, channel: String, line: String)] = []
        for k in 0..<orderCount {
            let c = k < customerCount ? k : rng.pick(activity)
            let m = rng.pick(monthWeights.map { $0 })
            guard let first = TallyDate(year: 2025, month: 7, day: 1)?.addingMonths(m) else { continue }
            let days = TallyDate.daysInMonth(year: first.year, month: first.month)
            let date = first.days + Int32(rng.next() % UInt64(days))
            let amount = max(9.9, (basket[c] * exp(0.45 * rng.normal()) * 100).rounded() / 100)
            rows.append((date, c, amount, channels[rng.pick(channelWeights)], lines[rng.pick(lineWeights)]))
        }
        rows.sort { $0.date < $1.date }
        let orders = Table(names: ["order_id", "customer_id", "order_date", "amount", "channel", "region", "product_line"], columns: [
            .numbers(rows.indices.map { Double($0 + 1) }, format: .digits),
            Column(values: rows.map { custIDs[$0.customer] }),
            Column(storage: .date(rows.map(\.date))),
            .numbers(rows.map(\.amount), format: .money),
            Column(values: rows.map { .text($0.channel) }),
            Column(values: rows.map { custRegion[$0.customer] }),
            Column(values: rows.map { .text($0.line) }),
        ])
        let customers = Table(names: ["customer_id", "name", "region", "since"],
                              columns: [Column(values: custIDs), Column(values: custName), Column(values: custRegion), Column(values: custSince)])
        let reps = Table(names: ["rep_id", "name", "region", "capacity"], columns: [
            Column(values: (1...8).map { .text(String(format: "R%02d", $0)) }),
            Column(values: ["周敏", "孙浩", "钱丽", "郑强", "冯静", "何军", "林芳", "高峰"].map { .text($0) }),
            Column(values: ["华东", "华东", "华南", "华南", "华北", "华北", "西南", "东北"].map { .text($0) }),
            .numbers([1.2, 1.0, 1.0, 1.0, 1.0, 0.8, 1.0, 0.8]),
        ])
        let targetMonths = (0..<12).compactMap { TallyDate(year: 2026, month: 1, day: 1)?.addingMonths($0) }
        let targetWeights = [0.9, 0.7, 0.9, 1.0, 1.1, 1.6, 0.9, 0.9, 1.0, 1.0, 1.9, 1.3]
        let annual = 3_000_000.0
        let total = targetWeights.reduce(0, +)
        let targets = Table(names: ["month", "target"], columns: [
            Column(storage: .date(targetMonths.map(\.days))),
            .numbers(targetWeights.map { (annual * $0 / total / 1000).rounded() * 1000 }, format: .money),
        ])
        return [("orders", orders), ("customers", customers), ("reps", reps), ("targets", targets)]
            .compactMap { name, t in t.map { (name, $0) } }
    }
}

/// A small, fast, seedable generator (Steele et al.'s SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal (Box-Muller).
    mutating func normal() -> Double {
        let u = max(unit(), 1e-12), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// An index drawn with probability proportional to `weights`.
    mutating func pick(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }
}
