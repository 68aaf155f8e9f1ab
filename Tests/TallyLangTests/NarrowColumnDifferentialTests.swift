import Testing
import TallyCore
@testable import TallyLang

/// A number column kept narrow (rfm's scores, a fetched count) must behave exactly as the
/// same numbers kept as doubles: every statement below runs over both and must give the
/// same value or the same error.
@Suite struct NarrowColumnDifferentialTests {
    /// Columns `k` (text), `x` (0-9, empties), `y` (up to 60,000), `z` (negative and large),
    /// `w` (fractions); `narrow` keeps x, y and z in 1, 2 and 4 bytes.
    static func table(narrow: Bool) -> Table? {
        let rows = 40
        func number(_ f: (Int) -> Double?) -> Column {
            let wide = Column(values: (0..<rows).map { i in f(i).map { .num($0) } ?? .empty })
            guard narrow, case .number(let cells) = wide.typedStorage else { return wide }
            return Column(storage: .number(.narrowest(cells.doubles)), validity: wide.typedValidity)
        }
        let keys = Column(values: (0..<rows).map { .text(["north", "south", "east"][$0 % 3]) })
        let columns = [
            keys,
            number { $0 % 7 == 3 ? nil : Double(($0 * 7) % 10) },
            number { Double(($0 * 1_531) % 60_000) },
            number { Double(($0 % 5 - 2) * 100_003 + $0) },
            number { Double($0) / 4 + 0.125 },
        ]
        return Table(names: ["k", "x", "y", "z", "w"], columns: columns)
    }

    static let statements = [
        "t", "describe t", "sum(t.x)", "avg(t.y)", "median(t.z)", "min(t.x)", "max(t.z)", "count(t.x)",
        "count_distinct(t.y)", "stdev(t.z)", "percentile(t.y, 0.9)", "first(t.x)", "last(t.z)", "at(t.y, 3)",
        "sparkline(t.x)", "t.x * 2 + t.y", "-t.z", "t.x / t.w", "t.z > 10", "abs(t.z)", "round(t.y / 7, 2)",
        "mod(t.z, 3)", "where(t, x > 2)", "where(t, x > 2 and z < 0)", "sort(t, z)", "sort(t, -x, k)",
        "top(t, 3, by: y)", "group(t, k, s: sum(x), a: avg(y), lo: min(z), hi: max(z), n: count(x), md: median(y), d: count_distinct(z))",
        "group(t, x, n: count(y))", "pivot(t, rows: k, cols: x, value: sum(y))", "distinct(t, x)", "select(t, x, z)",
        "join(t, table(x: [1, 4, 9], label: [\"one\", \"four\", \"nine\"]), on: [x])",
        "join(t, table(x: [1, 4], label: [\"a\", \"b\"]), on: [x], kind: \"left\")",
        "if(t.x > 1, t.x, t.z)", "coalesce(t.x, t.y)", "between(t.z, 0, 100)", "rank(t.z)", "dense_rank(t.y, by: t.k)",
        "running_sum(t.x, by: t.k)", "share(t.y, by: t.k)", "lag(t.z)", "moving_avg(t.x, 2)", "pct_change(t.y)",
        "add(t, q: x * z)", "abc(t, value: y)", "abc(t, value: y, by: k)", "head(t, n: 3)", "tail(t)", "sample(t, 3)",
        "sum(where(t, k == \"north\").z)", "t.x == t.y", "concat(t.x, \"/\", t.z)", "sort(t, x, z) |> head(n: 5)",
        "rfm_score(where(t, x > 0), recency: x, frequency: y, monetary: w, customer: z)",
    ]

    /// The value (or error text) a statement gives over the table.
    static func outcome(_ statement: String, narrow: Bool) -> String {
        let s = Session()
        guard let t = table(narrow: narrow) else { return "no table" }
        _ = s.defineTable("t", t)
        return s.run(statement).map { event -> String in
            switch event {
            case .value(let v): return "value \(v.differentialKey)"
            case .error(let e): return "error \(e.message)"
            case .described(let t, let rows, _): return "described \(rows) \(Value.table(t).differentialKey)"
            default: return "\(event)"
            }
        }.joined(separator: "\n")
    }

    @Test(arguments: statements)
    func narrowAndWideAgree(_ statement: String) {
        let wide = Self.outcome(statement, narrow: false)
        #expect(!wide.hasPrefix("error"), "\(statement): \(wide)")
        #expect(Self.outcome(statement, narrow: true) == wide, "\(statement)")
    }
}

extension Value {
    /// The cells of a value, each number by its bits: equal for equal numbers whatever
    /// width a column keeps them in.
    var differentialKey: String {
        guard case .table(let t) = self else {
            if case .column(let c) = self { return c.values.map(\.differentialKey).joined(separator: ",") }
            if case .number(let x, let f) = self { return "\(x.bitPattern)\(f)" }
            return "\(self)"
        }
        return zip(t.names, t.columns).map { name, c in
            "\(name)[\(c.typeName)]: " + c.values.map(\.differentialKey).joined(separator: ",")
        }.joined(separator: "; ")
    }
}
