import Foundation
import Testing
import TallyCore
@testable import TallyLang

/// "Never a silent infinity" (issue 9, item 10): a result that is not a finite number is
/// `#NUM!`, in cells, totals and notes, whichever function computed it.
struct FiniteResultTests {
    static func run(_ source: String) throws -> Value {
        let expr = try Parser.parseExpression(source, source: 0)
        return try Evaluator(lookup: { _ in nil }).evaluate(expr)
    }

    /// Every note of every table inside `v`.
    static func notes(_ v: Value) -> [String] {
        switch v {
        case .table(let t): return t.display.noteTexts
        case .list(let xs): return xs.flatMap(notes)
        case .record(let r): return r.fields.flatMap { notes($0.value) }
        default: return []
        }
    }

    static func isNumError(_ v: Value?) -> Bool {
        if case .error(let e)? = v { return e.kind == .number }
        return false
    }

    /// The inputs that showed inf, NaN or -nan, and where the #NUM! must now be.
    @Test("no infinity or NaN reaches a result", arguments: [
        #"funnel(["a","b","c"], [1e-320, 400, 150])"#,
        #"progress(7000, 1e-320, period: "2026-Q2", asof: date("2026-05-15"))"#,
        "completion(1, 1e-320)",
        "levels(1.7e308)",
        "group(table(k: [1, 1], v: [1e308, 1e308]), k, s: sum(v))",
        "group(table(k: [1, 1], v: [1e308, 1e308]), k, s: avg(v), d: stdev(v), m: sum(v) / count())",
        "pivot(table(r: [1, 1], c: [2, 2], v: [1e308, 1e308]), rows: r, cols: c, value: sum(v))",
        "split(1, [1e308, 1e308])",
        #"tree(table(ch: ["T", "T", "J"], line: ["TV", "f", "TV"], v: [1e308, 1e308, 1e308]), by: [ch, line], value: v)"#,
        #"assign(table(c: ["A", "B", "C", "D"], v: [1e308, 1e308, 1e308, 1e308]), table(rep: ["Li", "Wang"]), value: v)"#,
        "exp([1000, 1])",
        "exp(table(a: [1000, 1]).a)",
        "add(table(a: [1e308]), b: a * 10)",
        "1e308 * 10", "1e308 + 1e308", "-1e308 - 1e308", "1e308 ^ 2",
        "[1e308] * 10", "table(a: [1e308]).a * 10", "table(a: [1e308]).a + table(a: [1e308]).a",
        "sum([1e308, 1e308])",
    ])
    func noSilentInfinity(_ source: String) throws {
        let v = try Self.run(source)
        #expect(!v.holdsNonFinite, "\(source) gave \(v)")
        for note in Self.notes(v) {
            let lower = note.lowercased()
            #expect(!lower.contains("inf") && !lower.contains("nan"), "\(source): \(note)")
        }
    }

    @Test func theNumErrorsSitWhereTheOverflowWas() throws {
        guard case .table(let g) = try Self.run("group(table(k: [1, 1], v: [1e308, 1e308]), k, s: sum(v))") else { Issue.record("no table"); return }
        #expect(Self.isNumError(g.column(named: "s")?[0]))
        guard case .record(let levels) = try Self.run("levels(1.7e308)") else { Issue.record("no record"); return }
        #expect(Self.isNumError(levels["stretch"]))
        #expect(levels["floor"] == .number(1.7e308 * 0.9, .plain))
        guard case .table(let split) = try Self.run("split(1, [1e308, 1e308])") else { Issue.record("no table"); return }
        #expect(Self.isNumError(split.display.totals["weight"]))
        #expect(split.display.totals["target"] == .number(1, .plain))
        guard case .table(let funnel) = try Self.run(#"funnel(["a","b","c"], [1e-320, 400, 150])"#) else { Issue.record("no table"); return }
        #expect(Self.isNumError(funnel.column(named: "step_conversion")?[1]))
        #expect(funnel.column(named: "step_conversion")?[2] == .number(150.0 / 400, .percent))
        guard case .table(let assign) = try Self.run(#"assign(table(c: ["A", "B"], v: [1e308, 1e308]), table(rep: ["Li"]), value: v)"#) else { Issue.record("no table"); return }
        #expect(assign.display.noteTexts.contains { $0.contains("Li  #NUM!") })
    }

    @Test("interpolation between extremes stays finite", arguments: [
        ("median([1e308, -1e308])", 0.0),
        ("percentile([1e308, -1e308], 0.5)", 0.0),
        ("percentile([1.7e308, -1.7e308], 1)", 1.7e308),
        ("median([1.7e308, 1.7e308])", 1.7e308),
    ])
    func quantilesOfExtremes(_ source: String, _ expected: Double) throws {
        #expect(try Self.run(source) == .number(expected, .plain))
    }
}
