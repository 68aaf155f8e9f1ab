import Testing
import TallyCore
@testable import TallyLang

/// The language layer of issue 5: split (flat, goal tree, tiers), the calendars, levels,
/// assign, progress and tree, run through a `Session` as a user types them.
struct SplitFunctionTests {
    /// SEEDS.md section 1 and 2 customers, in an order that is not the tier order.
    static let agents = "agents = table(customer: [\"agent_1\", \"agent_2\", \"agent_3\", \"agent_4\", \"agent_5\", \"agent_6\"], "
        + "sales: [800, 1300, 1100, 900, 1200, 2000], tier: [\"low\", \"high\", \"medium\", \"low\", \"medium\", \"high\"], "
        + "class: [\"C\", \"B\", \"B\", \"C\", \"B\", \"A\"])"
    static let channels = "sales = table(channel: [\"Tmall\", \"Tmall\", \"Tmall\", \"JD\", \"JD\", \"Douyin\"], "
        + "line: [\"Apparel\", \"Shoes\", \"Bags\", \"Apparel\", \"Shoes\", \"Apparel\"], last_year: [500, 300, 200, 250, 150, 100])"

    /// Runs `setup` and `x = expression` in a fresh session and returns x's value.
    static func value(_ expression: String, setup: [String] = []) -> Value? {
        let session = Session()
        for s in setup {
            let events = session.run(s)
            if case .error(let e)? = events.first { Issue.record("setup `\(s)` failed: \(e.message)") }
        }
        _ = session.run("x = " + expression)
        return session.workspace["x"]?.value
    }

    /// The numbers of one column of x, which must be a table.
    static func column(_ expression: String, _ name: String, setup: [String] = []) -> [Double]? {
        guard case .table(let t)? = value(expression, setup: setup) else { return nil }
        return t.column(named: name)?.values.map { $0.numberValue ?? .nan }
    }

    // MARK: SEEDS.md cases

    @Test("SEEDS.md worked examples", arguments: [
        // Section 3, channel: 1亿 -> Tmall 5000万, JD 3000万, Douyin 1500万, other 500万.
        ("split(1亿, {Tmall: 50, JD: 30, Douyin: 15, other: 5})", "target", [String](), [50_000_000, 30_000_000, 15_000_000, 5_000_000.0]),
        // Section 3, product line: 5亿 -> 3亿 / 1.5亿 / 5000万.
        ("split(5亿, {refrigeration: 60, washing: 30, small_kitchen: 10})", "target", [], [300_000_000, 150_000_000, 50_000_000]),
        // Section 3, time: 1.2亿 over quarters with the 618 and Double 11 quarters heavier.
        ("split(1.2亿, quarters(2026), weight: [20, 30, 20, 30])", "target", [], [24_000_000, 36_000_000, 24_000_000, 36_000_000]),
        // Section 2: tiers 40/35/25% of 12000, each tier equally: 2400 / 2100 / 1500 per customer.
        ("split(12000, agents, by: tier, weight: {high: 40%, medium: 35%, low: 25%}, within: \"equal\")", "target", [agents],
         [1500, 2400, 2100, 1500, 2100, 2400]),
        ("split(12000, agents, by: tier, weight: {high: 40%, medium: 35%, low: 25%}, within: \"equal\")", "tier_target", [agents],
         [3000, 4800, 4200, 3000, 4200, 4800]),
        ("split(12000, agents, by: tier, weight: {high: 40%, medium: 35%, low: 25%})", "target", [agents],
         [1500, 2400, 2100, 1500, 2100, 2400]),
        // Section 1: A/B/C get 20/50/30% of the target, divided among the members (not copied to each).
        ("split(12000, agents, by: class, weight: {A: 20%, B: 50%, C: 30%})", "target", [agents], [1800, 2000, 2000, 1800, 2000, 2400]),
        ("split(12000, agents, by: class, weight: {A: 20%, B: 50%, C: 30%}, within: sales)", "target", [agents],
         [1694, 2167, 1833, 1906, 2000, 2400]),
        // Goal tree: each level adds up to its parent.
        ("split(1亿, sales, by: [channel, line], weight: last_year)", "channel_target", [channels],
         [66_666_667, 66_666_667, 66_666_667, 26_666_667, 26_666_667, 6_666_666]),
        ("split(1亿, sales, by: [channel, line], weight: last_year)", "target", [channels],
         [33_333_334, 20_000_000, 13_333_333, 16_666_667, 10_000_000, 6_666_666]),
    ])
    func seeds(_ expression: String, _ name: String, _ setup: [String], _ expected: [Double]) {
        let got = Self.column(expression, name, setup: setup)
        #expect(got == expected, "\(expression) -> \(name)")
    }

    @Test func totalsRowAndShares() throws {
        guard case .table(let t)? = Self.value("split(1亿, {Tmall: 50, JD: 30, Douyin: 15, other: 5})") else {
            Issue.record("not a table"); return
        }
        #expect(t.names == ["part", "weight", "share", "target"])
        #expect(t.column(named: "share")?.values == [0.5, 0.3, 0.15, 0.05].map { .number($0, .percent) })
        #expect(t.display.totals["target"] == .num(100_000_000))
        #expect(t.display.totals["share"] == .number(1, .percent))
        #expect(t.display.totals["weight"] == .num(100))
    }

    @Test func goalTreeLevelsAddUp() throws {
        guard case .table(let t)? = Self.value("split(1亿, sales, by: [channel, line], weight: last_year)", setup: [Self.channels]),
              let leaf = t.column(named: "target")?.values.compactMap(\.numberValue),
              let top = t.column(named: "channel_target")?.values.compactMap(\.numberValue) else {
            Issue.record("not a table"); return
        }
        #expect(leaf.reduce(0, +) == 100_000_000)
        #expect(Set(top).reduce(0, +) == 100_000_000)
        #expect(leaf[0] + leaf[1] + leaf[2] == top[0])
    }

    @Test func treeIndentsParentsBeforeChildren() {
        let setup = [Self.channels, "g = split(1亿, sales, by: [channel, line], weight: last_year)"]
        guard case .table(let t)? = Self.value("tree(g)", setup: setup) else { Issue.record("not a table"); return }
        #expect(t.column(named: "node")?.values == ["Tmall", "  Apparel", "  Shoes", "  Bags", "JD", "  Apparel", "  Shoes",
                                                    "Douyin", "  Apparel"].map { .text($0) })
        #expect(t.column(named: "target")?.values.first == .num(66_666_667))
        #expect(Self.column("tree(sales, by: channel, value: last_year)", "last_year", setup: [Self.channels]) == [1000, 400, 100])
    }

    // MARK: rounding

    @Test("units", arguments: [
        ("split(100, [1, 1, 1], unit: 0.01)", [33.34, 33.33, 33.33]),
        ("split(1亿, [1, 1, 1], unit: 10000)", [33_340_000, 33_330_000, 33_330_000]),
        ("split(100, [1, 1, 1])", [34, 33, 33]),
        ("split(10, {b: 1, a: 1, c: 1})", [3, 4, 3]),
        ("split(100, [0, 1, 0])", [0, 100, 0]),
        ("split(-100, [1, 1, 1])", [-34, -33, -33]),
        ("split(1, [1, 1, 1], unit: 0.01)", [0.34, 0.33, 0.33]),
    ])
    func units(_ expression: String, _ expected: [Double]) {
        #expect(Self.column(expression, "target") == expected, "\(expression)")
    }

    @Test func auditShowsQuotaAndRounding() {
        #expect(Self.column("split(100, [1, 1, 1], audit: true)", "rounding")?.map { ($0 * 100).rounded() / 100 } == [0.67, -0.33, -0.33])
        guard case .table(let t)? = Self.value("split(100, [1, 1, 1], audit: true)") else { Issue.record("not a table"); return }
        #expect(t.names == ["part", "weight", "share", "target", "quota", "rounding"])
        #expect(t.display.noteTexts.first?.hasPrefix("rounding:") == true)
    }

    @Test func permutingTheRecordChangesNoAmount() {
        let fields = [("Tmall", "7"), ("JD", "3"), ("Douyin", "3"), ("other", "11"), ("offline", "2")]
        var permutations: [[(String, String)]] = [fields, fields.reversed()]
        for k in 1..<fields.count { permutations.append(Array(fields[k...] + fields[..<k])) }
        permutations.append([fields[2], fields[0], fields[4], fields[1], fields[3]])
        var reference: [String: Double]?
        for p in permutations {
            let record = "{" + p.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
            guard case .table(let t)? = Self.value("split(1001, \(record))"),
                  let parts = t.column(named: "part")?.values, let amounts = t.column(named: "target")?.values else {
                Issue.record("not a table"); return
            }
            var byPart: [String: Double] = [:]
            for (k, v) in zip(parts, amounts) { byPart[Operators.display(k)] = v.numberValue }
            #expect(byPart.values.reduce(0, +) == 1001)
            if let r = reference { #expect(byPart == r, "\(record)") } else { reference = byPart }
        }
    }

    // MARK: errors

    /// Bad weights are error values naming the part; a wrong call is refused.
    @Test("errors", arguments: [
        ("split(100, {A: 50, B: -10})", "#VALUE!", "split: weight of B is negative"),
        ("split(100, {A: 0, B: 0})", "#VALUE!", "split: all weights are zero"),
        ("split(100, [])", "#VALUE!", "split: nothing to split: no weights"),
        ("split(100, [1, if(false, 1), 2])", "#VALUE!", "split: weight of 2 is empty"),
        ("split(100, {A: 1, B: \"x\"})", "#VALUE!", "split: weight of B is not a number (a text)"),
        ("split(100.5, [1, 1])", "#VALUE!", "split: the total is not a whole number of units of 1; give a smaller `unit:`"),
        ("split(100, [1, 1], unit: 0)", "#VALUE!", "split: unit must be a positive decimal with at most 9 decimal places, got 0"),
        ("split(100, t, weight: [1, 2, 3])", "#VALUE!", "split: `weight:` has 3 values, the table 2 rows"),
        ("split(100, t, weight: [1, -2])", "#VALUE!", "split: weight of JD is negative"),
        ("split(12000, agents, by: class, weight: {B: 50%, C: 30%})", "#VALUE!", "split: no weight given for A"),
        ("split(12000, agents, by: tier, weight: {high: 40%, medium: 35%, low: 25%, vip: 5%})", "#VALUE!",
         "split: vip has a weight but no rows; its share would be lost"),
        ("split(100, [1, 1], wieght: 2)", "refused", "split has no parameter `wieght`"),
        ("split(100, t)", "refused", "split: needs `weight:` for a table of parts"),
        ("split(100, t, weight: nope)", "refused", "unknown name `nope`"),
        ("split(100, [1, 1], weight: [1, 2])", "refused", "split: `weight:` is for a table of parts; here the weights are a list"),
        ("split(100)", "refused", "split needs `weights`"),
        ("quarters(0)", "#VALUE!", "quarters: year 0 is outside 1...9999"),
        ("days(date(\"2026-02-01\"), date(\"2026-01-01\"))", "#VALUE!", "days: range ends (2026-01-01) before it starts (2026-02-01)"),
        ("levels(100, floor: 120%)", "#VALUE!", "levels: levels need 0 <= floor <= 100% <= stretch (got floor 1.2, stretch 1.2)"),
        ("progress(1, 2, period: \"2026-Q7\", asof: date(\"2026-05-01\"))", "#VALUE!", "progress: cannot read the period 2026-Q7"),
    ])
    func errors(_ expression: String, _ kind: String, _ message: String) {
        let session = Session()
        _ = session.run("t = table(ch: [\"Tmall\", \"JD\"], ly: [5, 3])")
        _ = session.run(Self.agents)
        let events = session.run(expression)
        switch events.first {
        case .value(.error(let e))?:
            #expect(kind == e.kind.rawValue, "\(expression)")
            #expect(e.message.hasPrefix(message), "\(expression): \(e.message)")
            #expect(e.span != nil, "\(expression) has no caret")
        case .error(let te)?:
            #expect(kind == "refused", "\(expression): \(te.message)")
            #expect(te.message == message, "\(expression)")
        default:
            Issue.record("\(expression) gave no error: \(summary(events))")
        }
    }

    @Test func aFormulaKeepsItsErrorAndRecovers() {
        let session = Session()
        _ = session.run("w = {A: 50, B: 30}")
        _ = session.run("s = split(1000, w)")
        _ = session.run("w = {A: 50, B: -30}")
        guard case .error(let e)? = session.workspace["s"]?.value else { Issue.record("s is not an error"); return }
        #expect(e.message == "split: weight of B is negative")
        _ = session.run("w = {A: 50, B: 50}")
        guard case .table(let t)? = session.workspace["s"]?.value else { Issue.record("s did not recover"); return }
        #expect(t.column(named: "target")?.values == [.num(500), .num(500)])
    }

    // MARK: formulas, calendars, levels, assign, progress

    @Test func splitsRecalculateWhenTheParentChanges() {
        let session = Session()
        _ = session.run("annual = 1.2亿")
        _ = session.run("q = split(annual, quarters(2026), weight: [20, 30, 20, 30])")
        _ = session.run("annual = 1.32亿")
        guard case .table(let t)? = session.workspace["q"]?.value else { Issue.record("q is not a table"); return }
        #expect(t.column(named: "target")?.values == [26_400_000, 39_600_000, 26_400_000, 39_600_000].map { .num($0) })
    }

    @Test("calendars", arguments: [
        ("quarters(2026)", "days", [90, 91, 92, 92.0]),
        ("quarters(2026)", "workdays", [64, 65, 66, 66]),
        ("years(2024, 2026)", "days", [366, 365, 365]),
        ("head(months(2026), 2)", "days", [31, 28]),
        ("head(weeks(2026), 1)", "days", [7]),
        ("days(date(\"2026-10-01\"), date(\"2026-10-10\"), workdays: true, holidays: [date(\"2026-10-01\"), date(\"2026-10-02\")], "
            + "extra_workdays: [date(\"2026-10-10\")])", "days", [1, 1, 1, 1, 1, 1]),
    ])
    func calendars(_ expression: String, _ name: String, _ expected: [Double]) {
        #expect(Self.column(expression, name) == expected, "\(expression)")
    }

    @Test func isoWeekCounts() {
        #expect(Self.value("rows(weeks(2026))") == .num(53))
        #expect(Self.value("rows(weeks(2025))") == .num(52))
        #expect(Self.value("rows(months(2025, to: 2026))") == .num(24))
    }

    @Test func levelsOfANumberAndOfATable() {
        #expect(Self.value("levels(12000)") == .record(Record([("floor", .num(10_800)), ("standard", .num(12_000)), ("stretch", .num(14_400))])))
        #expect(Self.value("levels(12345678, floor: 85%, stretch: 130%, unit: 10000)")
                == .record(Record([("floor", .num(10_490_000)), ("standard", .num(12_345_678)), ("stretch", .num(16_050_000))])))
        #expect(Self.column("levels(split(1000, [1, 3]))", "stretch") == [300, 900])
    }

    @Test func assignBalancesWithinRegions() {
        let setup = ["c = table(customer: [\"C1\", \"C2\", \"C3\", \"C4\", \"C5\"], region: [\"east\", \"east\", \"east\", \"west\", \"north\"], "
                        + "potential: [900, 700, 400, 800, 200])",
                     "r = table(rep: [\"Li\", \"Wang\", \"Zhao\"], region: [\"east\", \"east\", \"west\"])"]
        guard case .table(let t)? = Self.value("assign(c, r, value: potential, by: region)", setup: setup) else {
            Issue.record("not a table"); return
        }
        #expect(t.column(named: "rep")?.values == [.text("Li"), .text("Wang"), .text("Wang"), .text("Zhao"), .empty])
        #expect(t.display.noteTexts.contains("spread in east: 200 (most 1,100, least 900)"))
        #expect(t.display.noteTexts.contains("unassigned: C5 (no rep in group north)"))
    }

    @Test func progressPerKeyAndRunRate() {
        let setup = ["a = table(rep: [\"Li\", \"Li\", \"Wang\"], amount: [3000, 1500, 2000])",
                     "t = table(rep: [\"Li\", \"Wang\", \"Chen\"], target: [6000, 5000, 3000])"]
        #expect(Self.column("progress(a, t, by: rep)", "completion", setup: setup) == [0.75, 0.4, 0])
        #expect(Self.column("progress(a, t, by: rep)", "gap", setup: setup) == [1500, 3000, 3000])
        guard case .record(let r)? = Self.value("progress(7000, 12000, period: \"2026-Q2\", asof: date(\"2026-05-15\"))") else {
            Issue.record("not a record"); return
        }
        #expect(r["completion"] == .number(7000.0 / 12000.0, .percent))
        #expect(r["days_elapsed"] == .num(45))
        #expect(r["days_left"] == .num(46))
        #expect(r["daily_needed"] == .num(5000.0 / 46.0))
    }
}
