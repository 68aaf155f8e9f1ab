import Testing
import TallyCore
@testable import TallyLang

/// Issue 11 item 7: cascading splits (year -> quarters -> months -> weeks/days), weights
/// keyed by period, goal trees with a weight per level or over raw rows, and progress
/// matched by period, run through a `Session` as a user types them.
struct CascadeSplitTests {
    static let quarters = "q = split(1.2亿, quarters(2026), weight: [20, 30, 20, 30])"
    static let sales = "sales = table(channel: [\"Tmall\", \"JD\", \"Tmall\", \"JD\", \"Tmall\", \"Douyin\"], "
        + "region: [\"east\", \"east\", \"east\", \"south\", \"south\", \"east\"], amount: [100, 50, 200, 30, 70, 40])"
    static let reps = "reps = table(region: [\"east\", \"east\", \"south\"], rep: [\"Li\", \"Wang\", \"Zhao\"], "
        + "revenue: [300, 100, 100], capacity: [1, 3, 1])"

    static func table(_ expression: String, setup: [String]) -> Table? {
        if case .table(let t)? = SplitFunctionTests.value(expression, setup: setup) { return t }
        return nil
    }

    @Test("a split over periods, split again over the periods within each", arguments: [
        // SEEDS.md 3: each quarter of 1.2亿 (24M / 36M / 24M / 36M) over its months by days.
        ("split(q, months(2026))", "target",
         [8_266_667, 7_466_666, 8_266_667, 11_868_132, 12_263_736, 11_868_132, 8_086_957, 8_086_956, 7_826_087, 12_130_435, 11_739_130, 12_130_435.0]),
        ("split(q, months(2026))", "quarter_target", [24e6, 24e6, 24e6, 36e6, 36e6, 36e6, 24e6, 24e6, 24e6, 36e6, 36e6, 36e6]),
        ("split(q, months(2026), workdays: true)", "target",
         [8_250_000, 7_500_000, 8_250_000, 12_184_616, 11_630_769, 12_184_615, 8_363_636, 7_636_364, 8_000_000, 12_000_000, 11_454_545, 12_545_455]),
        ("split(q, months(2026), weight: workdays)", "target",
         [8_250_000, 7_500_000, 8_250_000, 12_184_616, 11_630_769, 12_184_615, 8_363_636, 7_636_364, 8_000_000, 12_000_000, 11_454_545, 12_545_455]),
        ("split(q, months(2026), weight: {Jan: 1, Feb: 1, Mar: 2, Apr: 1, May: 1, Jun: 1, Jul: 1, Aug: 1, Sep: 1, Oct: 1, Nov: 3, Dec: 1})",
         "target", [6e6, 6e6, 12e6, 12e6, 12e6, 12e6, 8e6, 8e6, 8e6, 7.2e6, 21.6e6, 7.2e6]),
        ("split(q, months(2026), weight: [1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 3, 1])", "target",
         [6e6, 6e6, 12e6, 12e6, 12e6, 12e6, 8e6, 8e6, 8e6, 7.2e6, 21.6e6, 7.2e6]),
        // the weights keyed by period, short and full labels.
        ("split(1.2亿, quarters(2026), weight: {Q1: 20, Q2: 30, Q3: 20, Q4: 30})", "target", [24e6, 36e6, 24e6, 36e6]),
        ("split(1.2亿, quarters(2026), weight: {`2026-Q1`: 20, q2: 30, Q3: 20, `2026-Q4`: 30})", "target", [24e6, 36e6, 24e6, 36e6]),
        ("split(100, months(2026) |> head(3), weight: {M1: 1, m02: 1, March: 2})", "target", [25, 25, 50]),
        ("split(100, table(ch: [\"Tmall\", \"JD\"]), weight: {JD: 1, Tmall: 3})", "target", [75, 25]),
        // unit: cents, and a year over its weeks (ISO weeks cut at the year's ends).
        ("split(split(1000.01, quarters(2026), weight: [1, 1, 1, 1], unit: 0.01), months(2026), unit: 0.01) |> head(3)", "target",
         [86.12, 77.78, 86.11]),
    ])
    func cascade(_ expression: String, _ column: String, _ expected: [Double]) {
        #expect(SplitFunctionTests.column(expression, column, setup: [Self.quarters]) == expected, "\(expression)")
    }

    @Test("property: random seasonality, cascaded to months, weeks and working days, adds up at every level")
    func cascadeProperty() throws {
        var seed: UInt64 = 5
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        for _ in 0..<8 {
            let total = 1_000_000 + next(100_000_000)
            let w = (0..<4).map { _ in String(1 + next(60)) }.joined(separator: ", ")
            let session = Session()
            _ = session.run("q = split(\(total), quarters(2026), weight: [\(w)])")
            _ = session.run("m = split(q, months(2026), weight: [\((0..<12).map { _ in String(next(9) + 1) }.joined(separator: ", "))])")
            _ = session.run("w = split(m, weeks(2026), workdays: \(next(2) == 0 ? "true" : "false"))")
            _ = session.run("d = split(m, days(date(\"2026-01-01\"), date(\"2026-12-31\"), workdays: true))")
            guard case .table(let q)? = session.workspace["q"]?.value, case .table(let m)? = session.workspace["m"]?.value,
                  case .table(let wk)? = session.workspace["w"]?.value, case .table(let d)? = session.workspace["d"]?.value else {
                Issue.record("a level failed for total \(total), weights \(w)"); continue
            }
            Self.expectAddsUp(children: m, level: "quarter", parents: q)
            Self.expectAddsUp(children: wk, level: "month", parents: m)
            Self.expectAddsUp(children: d, level: "month", parents: m)
            #expect(d.rowCount == 261)
        }
    }

    @Test("a cascade recalculates with its parent, and reordering the periods changes no amount")
    func recalculatesAndOrderFree() {
        let session = Session()
        _ = session.run("annual = 1.2亿")
        _ = session.run("q = split(annual, quarters(2026), weight: [20, 30, 20, 30])")
        _ = session.run("m = split(q, months(2026))")
        _ = session.run("r = split(q, sort(months(2026), days, desc))")
        _ = session.run("annual = 1.32亿")
        guard case .table(let q)? = session.workspace["q"]?.value, case .table(let m)? = session.workspace["m"]?.value,
              case .table(let r)? = session.workspace["r"]?.value else { Issue.record("no tables"); return }
        Self.expectAddsUp(children: m, level: "quarter", parents: q)
        #expect(m.column(named: "target")?.values.reduce(0) { $0 + ($1.numberValue ?? 0) } == 132_000_000)
        var byPeriod: [String: Value] = [:]
        for i in 0..<r.rowCount { byPeriod[SplitSupport.key(r.column(named: "period")?[i] ?? .empty)] = r.column(named: "target")?[i] }
        for i in 0..<m.rowCount {
            #expect(byPeriod[SplitSupport.key(m.column(named: "period")?[i] ?? .empty)] == m.column(named: "target")?[i])
        }
    }

    /// Every parent's target equals the sum of its children's targets.
    static func expectAddsUp(children: Table, level: String, parents: Table) {
        var sums: [String: Double] = [:]
        for i in 0..<children.rowCount {
            guard case .text(let p) = children.column(named: level)?[i] ?? .empty, let x = children.column(named: "target")?[i].numberValue else { continue }
            sums[p, default: 0] += x
        }
        for i in 0..<parents.rowCount {
            guard case .text(let p) = parents.column(named: "period")?[i] ?? .empty else { continue }
            #expect(sums[p] == parents.column(named: "target")?[i].numberValue, "\(p)")
        }
    }

    @Test("goal trees: raw rows grouped into leaves, a weight per level")
    func trees() throws {
        let g = Self.table("split(1000, sales, by: [channel, region], weight: amount)", setup: [Self.sales])
        // Tmall 370 / JD 80 / Douyin 40 of 490; Tmall's 755 by east 300 / south 70, JD's 163 by 50 / 30.
        #expect(g?.rowCount == 5)
        #expect(g?.column(named: "channel")?.values == ["Tmall", "Tmall", "JD", "JD", "Douyin"].map { .text($0) })
        #expect(g?.column(named: "region")?.values == ["east", "south", "east", "south", "east"].map { .text($0) })
        #expect(g?.column(named: "amount")?.values.map(\.numberValue) == [300, 70, 50, 30, 40])
        #expect(g?.column(named: "target")?.values.map(\.numberValue) == [612, 143, 102, 61, 82])
        #expect(g?.column(named: "channel_target")?.values.map(\.numberValue) == [755, 755, 163, 163, 82])
        let r = Self.table("split(1000, reps, by: [region, rep], weight: [revenue, capacity])", setup: [Self.reps])
        #expect(r?.column(named: "region_target")?.values.map(\.numberValue) == [800, 800, 200])
        #expect(r?.column(named: "target")?.values.map(\.numberValue) == [200, 600, 200])
        let t = Self.table("tree(split(1000, reps, by: [region, rep], weight: [revenue, capacity]))", setup: [Self.reps])
        #expect(t?.column(named: "node")?.values == ["east", "  Wang", "  Li", "south", "  Zhao"].map { .text($0) })
    }

    @Test("progress matches actuals to targets by period; the total sums the rows shown")
    func progress() throws {
        let setup = ["orders = table(d: [date(\"2026-01-05\"), date(\"2026-01-20\"), date(\"2026-02-03\"), date(\"2025-12-30\")], "
                     + "amount: [100, 50, 70, 999])",
                     "targets = table(month: [date(\"2026-01-01\"), date(\"2026-02-01\"), date(\"2026-03-01\")], target: [200, 100, 100])"]
        let p = Self.table("progress(orders, targets, by: month_start(d), value: amount)", setup: setup)
        #expect(p?.column(named: "actual")?.values.map(\.numberValue) == [150, 70, 0])
        #expect(p?.display.totals["actual"]?.numberValue == 220)
        #expect(p?.display.totals["target"]?.numberValue == 400)
        #expect(p?.display.totals["gap"]?.numberValue == 180)
        #expect(p?.display.noteTexts.contains { $0.hasPrefix("left out, no target: 2025-12-01") } == true)
    }

    @Test("bad input is refused with one line naming the problem, and changes nothing", arguments: [
        ("split(1.2亿, quarters(2026), weight: {Q1: 20, Q2: 30, Q5: 20, Q4: 30})", "split: weight key `Q5` matches no period of the table"),
        ("split(1.2亿, quarters(2026), weight: {Q1: 20, Q2: 30, Q4: 30})", "split: no weight for 2026-Q3"),
        ("split(1.2亿, quarters(2026), weight: {Q1: 20, `2026-Q1`: 30, Q3: 1, Q4: 30})", "split: 2026-Q1 has two weights, `Q1` and `2026-Q1`"),
        ("split(q, months(2026, 2027), weight: {Jan: 1})", "split: weight key `Jan` matches 2 periods (2026-01, 2027-01)"),
        ("split(q, [1, 2])", "split: a table of targets splits over a table of periods"),
        ("split(q, months(2026), workdays: true, weight: days)", "split: `workdays: true` weighs by working days: give it or `weight:`, not both"),
        ("split(q, months(2026), by: period)", "split: `by:` does not go with a table of targets"),
        ("split(q, table(a: [1]))", "split: the periods to split into need periods: start and end dates, or labels like 2026-Q1 in a `period` column"),
        ("split(q, months(2026), wieght: days)", "split has no parameter `wieght`"),
        ("split(1000, reps, by: [region, rep], weight: [revenue])", "split: `weight:` gives 1 weight for 2 levels (region, rep)"),
        ("progress(table(d: [date(\"2026-01-05\")], amount: [1]), table(month: [1], target: [5]), by: month_start(d), value: amount)",
         "progress: the actual's keys are dates but the target's are numbers: they never match"),
    ])
    func refusals(_ expression: String, _ message: String) {
        let session = Session()
        _ = session.run(Self.quarters)
        _ = session.run(Self.reps)
        let events = session.run("x = " + expression)
        guard case .error(let e)? = events.first else { Issue.record("\(expression) was not refused"); return }
        #expect(e.message == message, "\(expression)")
        #expect(e.span != nil)
        #expect(session.workspace["x"] == nil, "\(expression) changed the workspace")
    }

    @Test("value problems give an error value naming the period", arguments: [
        ("split(q, head(months(2026), 4))", "split: 2026-Q3 has a target of 24,000,000 but no period of the table lies within it"),
        ("split(q, months(2026), unit: 7)", "split: the target of 2026-Q1 (24,000,000) is not a whole number of units of 7; give a smaller `unit:`"),
        ("split(q, months(2026), weight: [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1])",
         "split: every weight within 2026-Q2 is zero; its target of 36,000,000 would be lost"),
    ])
    func errorValues(_ expression: String, _ message: String) {
        guard case .error(let e)? = SplitFunctionTests.value(expression, setup: [Self.quarters]) else {
            Issue.record("\(expression) gave no error value"); return
        }
        #expect(e.message == message)
        #expect(e.span != nil)
    }
}
