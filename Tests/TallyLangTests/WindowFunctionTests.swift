import Foundation
import Testing
import TallyCore
@testable import TallyLang

/// `if(false, 1)` is an empty cell.
private let E = "if(false, 1)"
/// A small table: groups "a"/"b" interleaved, a tie, an empty.
private let T = "table(g: [\"a\", \"b\", \"a\", \"a\", \"b\"], x: [10, 5, \(E), 10, 0])"

private func col(_ expr: String, _ table: String = T) -> String { "add(\(table), r: \(expr)).r" }

private let windowCases: [(String, String)] = [
    // lists
    ("running_sum([1, 2, 3])", "[1, 3, 6]"),
    ("cumsum([1, 2, 3])", "[1, 3, 6]"),
    ("running_sum([\(E), 2, \(E), 3])", "[0, 2, 2, 5]"),
    ("running_sum([1, 1, 1], by: [\"a\", \"b\", \"a\"])", "[1, 1, 2]"),
    ("running_count([1, \(E), 3])", "[1, 1, 2]"),
    ("lag([1, 2, 3])", "[empty, 1, 2]"),
    ("lag([1, 2, 3], 2)", "[empty, empty, 1]"),
    ("lag([1, 2, 3], 0)", "[1, 2, 3]"),
    ("lead([1, 2, 3])", "[2, 3, empty]"),
    ("lag([\"x\", \"y\"])", "[empty, \"x\"]"),
    ("rank([30, 10, 30, 20])", "[3, 1, 3, 2]"),
    ("rank([30, 10, 30, 20], desc)", "[1, 4, 1, 3]"),
    ("rank([30, 10, 30, 20], \"desc\")", "[1, 4, 1, 3]"),
    ("dense_rank([30, 10, 30, 20], desc)", "[1, 3, 1, 2]"),
    ("rank([\"b\", \"a\", \"b\"])", "[2, 1, 2]"),
    ("rank([3, \(E), 1])", "[2, empty, 1]"),
    ("rank([\"b\", \(E), \"a\"])", "[2, empty, 1]"),
    ("running_count([\"a\", \(E), \"b\"])", "[1, 1, 2]"),
    ("rank([date(\"2026-03-01\"), date(\"2026-01-01\")], desc)", "[1, 2]"),
    ("share([1, 3])", "[0.25 %, 0.75 %]"),
    ("share([0, 0])", "[#DIV/0!, #DIV/0!]"),
    ("share([1, \(E), 3])", "[0.25 %, empty, 0.75 %]"),
    ("pct_change([100, 110, 99])", "[empty, 0.1 %, -0.1 %]"),
    ("pct_change([0, 5, 10])", "[empty, #DIV/0!, 1 %]"),
    ("pct_change([5, \(E), 10])", "[empty, empty, empty]"),
    ("moving_avg([1, 2, 3, 4], 2)", "[1, 1.5, 2.5, 3.5]"),
    ("moving_avg([1, \(E), 3], 2)", "[1, 1, 3]"),
    ("moving_avg([\(E), 1], 1)", "[empty, 1]"),
    // inside a table, with groups, ties and empties
    (col("running_sum(x)"), "col[10, 15, 15, 25, 25]"),
    (col("running_sum(x, by: g)"), "col[10, 5, 10, 20, 5]"),
    (col("row_number(by: g)"), "col[1, 1, 2, 3, 2]"),
    (col("row_number()"), "col[1, 2, 3, 4, 5]"),
    (col("running_count(x, by: g)"), "col[1, 1, 1, 2, 2]"),
    (col("lag(x, by: g)"), "col[empty, empty, 10, empty, 5]"),
    (col("lead(x, by: g)"), "col[empty, 0, 10, empty, empty]"),
    (col("rank(x, desc, by: g)"), "col[1, 1, empty, 1, 2]"),
    (col("rank(x, by: g)"), "col[1, 2, empty, 1, 1]"),
    (col("dense_rank(x)"), "col[3, 2, empty, 3, 1]"),
    (col("share(x, by: g)"), "col[0.5 %, 1 %, empty, 0.5 %, 0 %]"),
    (col("pct_change(x, by: g)"), "col[empty, empty, empty, empty, -1 %]"),
    (col("moving_avg(x, 2, by: g)"), "col[10, 5, 10, 10, 2.5]"),
    (col("running_sum(x, by: g == \"a\")"), "col[10, 5, 10, 20, 5]"),
    (col("share(1)"), "col[0.2 %, 0.2 %, 0.2 %, 0.2 %, 0.2 %]"),
    // inside group: over the groups, in key order
    ("group(\(T), g, total: sum(x), part: share(sum(x)), so_far: running_sum(sum(x))).part", "col[0.8 %, 0.2 %]"),
    ("group(\(T), g, total: sum(x), so_far: running_sum(sum(x))).so_far", "col[20, 25]"),
    // wrong values are error values
    ("running_sum([\"a\", 1])", "#VALUE!"),
    ("running_sum([1, 1 / 0])", "#DIV/0!"),
]

@Suite struct WindowFunctionTests {
    @Test(arguments: windowCases)
    func evaluates(_ source: String, _ expected: String) throws {
        #expect(canonical(try evaluateBuiltinExpression(source)) == expected, "\(source)")
    }

    @Test(arguments: [
        "running_sum(5)", "row_number()", "running_sum([1, 2], by: [1])", "rank([1, 2], \"down\")",
        "lag([1, 2], -1)", "running_sum(table(x: [1]))", "running_sum([1], foo: 1)",
        "moving_avg([1, 2], 0)", "running_sum([\"a\", \"b\"])", "share([date(\"2026-01-01\")])",
    ])
    func refuses(_ source: String) {
        #expect(throws: TallyError.self, "\(source)") { try evaluateBuiltinExpression(source) }
    }

    // MARK: property tests against straightforward reference implementations

    /// A fixed-seed generator (SplitMix64).
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }

    /// Random small integers (many ties), some empty, and group keys from 0 to 3.
    static func sample(_ rng: inout Seeded, rows: Int) -> (xs: [Double?], groups: [Int]) {
        let xs: [Double?] = (0..<rows).map { _ in Int.random(in: 0..<8, using: &rng) == 0 ? nil : Double(Int.random(in: -5...20, using: &rng)) }
        return (xs, (0..<rows).map { _ in Int.random(in: 0..<4, using: &rng) })
    }

    /// Each row's earlier rows in the same group, nearest last.
    static func before(_ groups: [Int], _ i: Int) -> [Int] { (0..<i).filter { groups[$0] == groups[i] } }

    static func evaluate(_ fn: String, _ xs: [Double?], _ groups: [Int]) throws -> [Value] {
        let list = "[" + xs.map { $0.map { Operators.plainNumber($0) } ?? E }.joined(separator: ", ") + "]"
        let by = "[" + groups.map(String.init).joined(separator: ", ") + "]"
        let v = try evaluateBuiltinExpression("add(table(x: \(list), k: \(by)), r: \(fn)).r")
        guard case .column(let c) = v else { return [v] }
        return c.values
    }

    static func close(_ v: Value, _ expected: Double?) -> Bool {
        guard let e = expected else { return v.isEmpty }
        guard case .number(let x, _) = v else { return false }
        return abs(x - e) <= 1e-9 * max(1, abs(e))
    }

    @Test func windowsMatchReferenceImplementations() throws {
        var rng = Seeded(state: 11)
        for round in 0..<20 {
            let (xs, groups) = Self.sample(&rng, rows: 1 + round * 7)
            let n = xs.count
            let sums = try Self.evaluate("running_sum(x, by: k)", xs, groups)
            let lags = try Self.evaluate("lag(x, 2, by: k)", xs, groups)
            let leads = try Self.evaluate("lead(x, by: k)", xs, groups)
            let ranks = try Self.evaluate("rank(x, desc, by: k)", xs, groups)
            let dense = try Self.evaluate("dense_rank(x, by: k)", xs, groups)
            let numbers = try Self.evaluate("row_number(by: k)", xs, groups)
            let moving = try Self.evaluate("moving_avg(x, 3, by: k)", xs, groups)
            let shares = try Self.evaluate("share(x, by: k)", xs, groups)
            let changes = try Self.evaluate("pct_change(x, by: k)", xs, groups)
            for i in 0..<n {
                let earlier = Self.before(groups, i)
                let later = (i + 1..<n).filter { groups[$0] == groups[i] }
                let mine = (0..<n).filter { groups[$0] == groups[i] }
                #expect(Self.close(sums[i], (earlier + [i]).compactMap { xs[$0] }.reduce(0, +)), "running_sum row \(i)")
                #expect(Self.close(lags[i], earlier.count >= 2 ? xs[earlier[earlier.count - 2]] : nil), "lag row \(i)")
                #expect(Self.close(leads[i], later.first.flatMap { xs[$0] }), "lead row \(i)")
                #expect(Self.close(numbers[i], Double(earlier.count + 1)), "row_number row \(i)")
                let values = mine.compactMap { xs[$0] }
                #expect(Self.close(ranks[i], xs[i].map { x in Double(values.filter { $0 > x }.count + 1) }), "rank row \(i)")
                #expect(Self.close(dense[i], xs[i].map { x in Double(Set(values.filter { $0 < x }).count + 1) }), "dense_rank row \(i)")
                let window = (earlier.suffix(2) + [i]).compactMap { xs[$0] }
                #expect(Self.close(moving[i], window.isEmpty ? nil : window.reduce(0, +) / Double(window.count)), "moving_avg row \(i)")
                let total = values.reduce(0, +)
                if let x = xs[i], total != 0 { #expect(Self.close(shares[i], x / total), "share row \(i)") }
                if let x = xs[i], total == 0 { #expect(shares[i].isError, "share row \(i)") }
                if xs[i] == nil { #expect(shares[i].isEmpty) }
                if let p = earlier.last, let x = xs[i], let prev = xs[p] {
                    if prev == 0 { #expect(changes[i].isError) } else { #expect(Self.close(changes[i], (x - prev) / prev), "pct_change row \(i)") }
                } else {
                    #expect(changes[i].isEmpty, "pct_change row \(i)")
                }
            }
        }
    }

    @Test func runsOverALargeColumn() throws {
        let xs = (0..<200_000).map { Double($0 % 100) }
        let t = Table(names: ["x"], columns: [.numbers(xs)])
        var ev = Evaluator(lookup: { _ in nil })
        ev.columns = t
        let v = try ev.evaluate(try Parser.parseExpression("running_sum(x)", source: 0))
        guard case .column(let c) = v, case .number(let out) = c.storage else { Issue.record("not a number column"); return }
        #expect(out.doubles.last == xs.reduce(0, +))
    }
}
