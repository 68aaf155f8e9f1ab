import Foundation
import Testing
import TallyCore
@testable import TallyLang

/// Evaluates `source` on an empty workspace.
func evaluateBuiltinExpression(_ source: String) throws -> Value {
    let expr = try Parser.parseExpression(source, source: 0)
    return try Evaluator(lookup: { _ in nil }).evaluate(expr)
}

/// A canonical text form of a value for the tables below: numbers in plain form (ten
/// significant digits) with ` %` or ` $` for percent and money, texts quoted, dates in ISO
/// form, errors as their kind (`#DIV/0!`), lists in brackets, columns as `col[...]`.
func canonical(_ v: Value) -> String {
    switch v {
    case .number(let x, let f):
        let n = x == x.rounded() && abs(x) < 1e15 ? Operators.plainNumber(x) : String(format: "%.10g", x)
        return n + (f == .percent ? " %" : f == .money ? " $" : "")
    case .text(let s): return "\"\(s)\""
    case .date(let d): return d.iso
    case .bool(let b): return b ? "true" : "false"
    case .empty: return "empty"
    case .error(let e): return e.kind.rawValue
    case .list(let xs): return "[" + xs.map(canonical).joined(separator: ", ") + "]"
    case .record(let r): return "{" + r.fields.map { "\($0.name): \(canonical($0.value))" }.joined(separator: ", ") + "}"
    case .column(let c): return "col[" + c.values.map(canonical).joined(separator: ", ") + "]"
    case .table(let t): return "table \(t.rowCount)x\(t.columnCount)"
    }
}

/// `if(false, 1)` is the way to write an empty cell in an expression.
private let E = "if(false, 1)"

private let cases: [(String, String)] = [
    // sum
    ("sum(1, 2, 3)", "6"),
    ("sum([1, 2, 3])", "6"),
    ("sum([1, 2], 3, [[4]])", "10"),
    ("sum()", "0"),
    ("sum([])", "0"),
    ("sum([1, \(E), 2])", "3"),
    ("sum([0.1, 0.2, 0.3]) == 0.6", "true"),
    ("sum([10%, 20%])", "0.3 %"),
    ("sum([10% , 5])", "5.1 %"),
    ("sum([1, \"a\"])", "#VALUE!"),
    ("sum([1, true])", "#VALUE!"),
    ("sum([1, 1/0, \"a\"])", "#DIV/0!"),
    ("sum(1/0, 2)", "#DIV/0!"),
    ("sum({Tmall: 50, JD: 30})", "80"),
    ("sum([date(\"2026-01-01\")])", "#VALUE!"),
    ("sum(1e308, 1e308)", "#NUM!"),
    // avg, mean
    ("avg([2, 4, 9])", "5"),
    ("mean(1, 2)", "1.5"),
    ("avg([])", "#DIV/0!"),
    ("avg([\(E), \(E)])", "#DIV/0!"),
    ("avg([1, \(E), 3])", "2"),
    ("avg([\"x\"])", "#VALUE!"),
    ("avg([10%, 20%])", "0.15 %"),
    // median
    ("median([3, 1, 4, 1, 5])", "3"),
    ("median([4, 1, 3, 2])", "2.5"),
    ("median(7)", "7"),
    ("median([])", "#N/A"),
    ("median([1, \"b\"])", "#VALUE!"),
    ("median([5, 5, 5, 5, 1])", "5"),
    // min, max
    ("min(3, [1, 7])", "1"),
    ("max(3, [1, 7])", "7"),
    ("max([-5, -2, -9])", "-2"),
    ("min([\(E), 4])", "4"),
    ("min([])", "#N/A"),
    ("max([\"JD\", \"Tmall\", \"Douyin\"])", "\"Tmall\""),
    ("min(date(\"2026-03-01\"), date(\"2025-12-31\"))", "2025-12-31"),
    ("max(1, \"a\")", "#VALUE!"),
    ("max([true, false])", "#VALUE!"),
    ("max([1, 1/0])", "#DIV/0!"),
    ("max([5%, 7%])", "0.07 %"),
    // first, last: the cell itself, empty when there is none
    ("first([3, 1, 4])", "3"),
    ("last([3, 1, 4])", "4"),
    ("first([])", "empty"),
    ("last([])", "empty"),
    ("last([1, \(E)])", "empty"),
    ("first([\"a\", 2])", "\"a\""),
    ("first(7)", "7"),
    ("first(table(a: [1]))", "#VALUE!"),
    // at and q[n]: 1-based, #REF! out of range
    ("at([3, 1, 4], 2)", "1"),
    ("[3, 1, 4][3]", "4"),
    ("[3, 1, 4][4]", "#REF!"),
    ("[3, 1, 4][0]", "#REF!"),
    ("[3, 1][1.5]", "#VALUE!"),
    ("table(a: [5, 6]).a[2]", "6"),
    ("table(a: [5, 6], b: [\"x\", \"y\"])[2].b", "\"y\""),
    ("table(a: [5, 6])[3]", "#REF!"),
    ("table(a: [5, 6])[0]", "#REF!"),
    ("[1, 2][1e15]", "#VALUE!"),
    ("at(7, 1)", "#VALUE!"),
    // count, count_distinct
    ("count([1, 2, 3])", "3"),
    ("count([1, \(E), \"a\", true])", "3"),
    ("count([])", "0"),
    ("count()", "#VALUE!"),
    ("count(1, 2, [3, 4])", "4"),
    ("count_distinct([\"Tmall\", \"JD\", \"Tmall\"])", "2"),
    ("count_distinct([1, 1.0, \"1\", \(E)])", "2"),
    ("count_distinct([])", "0"),
    ("count_distinct([date(\"2026-01-01\"), date(\"2026/1/1\"), true, true])", "2"),
    // stdev
    ("stdev([2, 4, 4, 4, 5, 5, 7, 9])", "2.138089935"),
    ("stdev([1, 3])", "1.414213562"),
    ("stdev([5])", "#DIV/0!"),
    ("stdev([])", "#DIV/0!"),
    ("stdev([1, \"x\", 3])", "#VALUE!"),
    // percentile
    ("percentile([1, 2, 3, 4, 5], 90%)", "4.6"),
    ("percentile([1, 2, 3, 4, 5], 0.5)", "3"),
    ("percentile([1, 2, 3, 4], 0.5)", "2.5"),
    ("percentile([10, 20, 30], 0)", "10"),
    ("percentile([10, 20, 30], 1)", "30"),
    ("percentile([10, 20, 30], 100%)", "30"),
    ("percentile([30, 10, 20, 40], 25%)", "17.5"),
    ("percentile([1, 2, 3], 90)", "#NUM!"),
    ("percentile([1, 2, 3], -0.1)", "#NUM!"),
    ("percentile([], 0.5)", "#N/A"),
    ("percentile([1, 2, 3], \"a\")", "#VALUE!"),
    ("percentile([1, 2, 3, 4, 5], [0, 50%, 1])", "[1, 3, 5]"),
    // if
    ("if(3 > 2, \"yes\", \"no\")", "\"yes\""),
    ("if(false, 1, 2)", "2"),
    ("if(false, 1)", "empty"),
    ("if(1, 2, 3)", "#VALUE!"),
    ("if(true, 1, 1/0)", "1"),
    ("if(false, 1, 1/0)", "#DIV/0!"),
    ("if(1/0 > 1, 1, 2)", "#DIV/0!"),
    ("if([true, false, true], 1, 0)", "[1, 0, 1]"),
    ("if([1, 5, 9] > 4, \"big\", \"small\")", "[\"small\", \"big\", \"big\"]"),
    ("if([true, false], [1, 2], [3, 4])", "[1, 4]"),
    ("if([true, false], [1, 1/0], 0)", "[1, 0]"),
    ("if(\(E) > 1, 1, 2)", "empty"),
    // coalesce, is_empty, iferror
    ("coalesce(\(E), 0)", "0"),
    ("coalesce(1/0, \(E), \"x\")", "\"x\""),
    ("coalesce(\(E), 1/0)", "#DIV/0!"),
    ("coalesce(\(E))", "empty"),
    ("coalesce([1, \(E), 3], 0)", "[1, 0, 3]"),
    ("coalesce([1, 2], [3])", "#VALUE!"),
    ("is_empty(\(E))", "true"),
    ("is_empty(0)", "false"),
    ("is_empty(\"\")", "false"),
    ("is_empty(1/0)", "false"),
    ("is_empty([1, \(E)])", "[false, true]"),
    ("iferror(1 / 0, 0)", "0"),
    ("iferror(5, 0)", "5"),
    ("iferror([1, 1/0, 3], -1)", "[1, -1, 3]"),
    ("iferror(sqrt(-1), \"n/a\")", "\"n/a\""),
    // text
    ("upper(\"tmall\")", "\"TMALL\""),
    ("lower(\"JD.com\")", "\"jd.com\""),
    ("upper(3)", "#VALUE!"),
    ("upper([\"a\", \"b\"])", "[\"A\", \"B\"]"),
    ("upper(\(E))", "empty"),
    ("len(\"华东区\")", "3"),
    ("len(\"\")", "0"),
    ("len(\"é👍🏽\")", "2"),
    ("len([\"ab\", \"abc\"])", "[2, 3]"),
    ("len(12345)", "#VALUE!"),
    ("trim(\"  JD \\n\")", "\"JD\""),
    ("trim(\"   \")", "\"\""),
    ("trim(\"　华东　\")", "\"华东\""),
    ("left(\"2026-07-01\", 4)", "\"2026\""),
    ("left(\"abc\")", "\"a\""),
    ("left(\"abc\", 10)", "\"abc\""),
    ("left(\"abc\", -1)", "#VALUE!"),
    ("left(\"abc\", 1.5)", "#VALUE!"),
    ("right(\"ORD-00042\", 5)", "\"00042\""),
    ("right(\"华东区\", 2)", "\"东区\""),
    ("right(\"abc\", 0)", "\"\""),
    ("contains(\"Tmall Global\", \"Tmall\")", "true"),
    ("contains(\"Tmall\", \"tmall\")", "false"),
    ("contains(\"abc\", \"\")", "true"),
    ("contains([\"ab\", \"cd\"], \"b\")", "[true, false]"),
    ("replace(\"JD-East-1\", \"-\", \" \")", "\"JD East 1\""),
    ("replace(\"aaa\", \"a\", \"bb\")", "\"bbbbbb\""),
    ("replace(\"abc\", \"\", \"x\")", "#VALUE!"),
    ("replace(\"华东区\", \"东\", \"北\")", "\"华北区\""),
    ("concat(\"Q\", 3, \" 2026\")", "\"Q3 2026\""),
    ("concat()", "\"\""),
    ("concat(\"a\", \(E), true, 1.5)", "\"atrue1.5\""),
    ("concat(date(\"2026-07-01\"))", "\"2026-07-01\""),
    ("concat([\"a\", \"b\"], \"-\", [1, 2])", "[\"a-1\", \"b-2\"]"),
    ("concat(\"a\", 1/0)", "#DIV/0!"),
    // dates
    ("date(\"2026-07-01\")", "2026-07-01"),
    ("date(\"2026/7/1\")", "2026-07-01"),
    ("date(\"2026年7月1日\")", "2026-07-01"),
    ("date(\"2026年12月31\")", "2026-12-31"),
    ("date(\"2026.7.1\")", "2026-07-01"),
    ("date(\"20260701\")", "2026-07-01"),
    ("date(\" 2026-07-01 \")", "2026-07-01"),
    ("date(2026, 7, 1)", "2026-07-01"),
    ("date(2024, 2, 29)", "2024-02-29"),
    ("date(2026, 2, 29)", "#VALUE!"),
    ("date(\"2026-02-29\")", "#VALUE!"),
    ("date(\"2026-13-01\")", "#VALUE!"),
    ("date(\"2026-07/01\")", "#VALUE!"),
    ("date(\"July 1\")", "#VALUE!"),
    ("date(\"\")", "#VALUE!"),
    ("date(2026)", "#VALUE!"),
    ("date(2026, 7)", "#VALUE!"),
    ("date(2026.5, 7, 1)", "#VALUE!"),
    ("date([\"2026-01-01\", \"2026/2/3\"])", "[2026-01-01, 2026-02-03]"),
    ("date(date(\"2026-07-01\"))", "2026-07-01"),
    ("year(date(\"2026-07-01\"))", "2026"),
    ("month(date(\"2026-07-01\"))", "7"),
    ("day(date(\"2026-07-31\"))", "31"),
    ("quarter(date(\"2026-03-31\"))", "1"),
    ("quarter(date(\"2026-04-01\"))", "2"),
    ("quarter(date(\"2026-12-31\"))", "4"),
    ("week(date(\"2026-01-01\"))", "1"),
    ("week(date(\"2027-01-01\"))", "53"),
    ("week(date(\"2024-12-30\"))", "1"),
    ("week(date(\"2026-07-01\"))", "27"),
    ("weekday(date(\"2026-07-01\"))", "3"),
    ("weekday(date(\"2026-07-05\"))", "7"),
    ("weekday(date(\"2026-07-06\"))", "1"),
    ("year(\"2026-07-01\")", "#VALUE!"),
    ("year(\(E))", "empty"),
    ("month([date(\"2026-01-15\"), date(\"2026-11-15\")])", "[1, 11]"),
    ("days_between(date(\"2026-01-01\"), date(\"2026-07-01\"))", "181"),
    ("days_between(date(\"2026-07-01\"), date(\"2026-01-01\"))", "-181"),
    ("days_between(date(\"2024-02-28\"), date(\"2024-03-01\"))", "2"),
    ("days_between(date(\"2025-12-31\"), date(\"2026-01-01\"))", "1"),
    ("add_months(date(\"2026-01-31\"), 1)", "2026-02-28"),
    ("add_months(date(\"2024-01-31\"), 1)", "2024-02-29"),
    ("add_months(date(\"2026-11-30\"), 3)", "2027-02-28"),
    ("add_months(date(\"2026-03-31\"), -1)", "2026-02-28"),
    ("add_months(date(\"2026-07-01\"), -19)", "2024-12-01"),
    ("add_months(date(\"2026-07-01\"), 0.5)", "#VALUE!"),
    ("add_months(date(\"2026-07-01\"), 1e8)", "#NUM!"),
    ("eomonth(date(\"2028-02-10\"))", "2028-02-29"),
    ("eomonth(date(\"2026-02-10\"))", "2026-02-28"),
    ("eomonth(date(\"2026-12-01\"))", "2026-12-31"),
    ("eomonth(date(\"2026-01-15\"), 1)", "2026-02-28"),
    ("eomonth(date(\"2026-01-15\"), -1)", "2025-12-31"),
]

@Suite struct BuiltinTests {
    @Test(arguments: cases)
    func evaluates(_ source: String, _ expected: String) throws {
        let v = try evaluateBuiltinExpression(source)
        #expect(canonical(v) == expected, "\(source)")
    }

    @Test func tableIsLargeEnough() { #expect(cases.count >= 80) }

    @Test func typeErrorsNameTheFunctionAndParameter() throws {
        let messages: [(String, String)] = [
            ("upper(3)", "upper: `x` must be a text, got a number"),
            ("year(\"2026\")", "year: `date` must be a date, got a text"),
            ("if(1, 2, 3)", "if: `cond` must be true or false, got a number"),
            ("sum([1, \"Tmall\"])", "sum: `values` must be numbers, got the text \"Tmall\""),
            ("max(1, \"a\")", "max: cannot compare a text with a number"),
            ("count()", "count() with no arguments counts rows only inside group"),
            ("date(\"soon\")", "date: \"soon\" is not a date; write 2026-07-01, 2026/7/1 or 2026年7月1日"),
        ]
        for (source, message) in messages {
            guard case .error(let e) = try evaluateBuiltinExpression(source) else {
                Issue.record("\(source) gave no error value"); continue
            }
            #expect(e.message == message, "\(source)")
            #expect(e.span != nil, "\(source)")
        }
    }

    @Test func todayIsADate() throws {
        guard case .date(let d) = try evaluateBuiltinExpression("today()") else {
            Issue.record("today() is not a date"); return
        }
        #expect(d.year >= 2025)
    }

    /// The typed fast path: number columns with a validity bitmap, money format kept.
    @Test func numberColumnsWithEmptyCells() {
        var validity = Bitmap(count: 130, value: true)
        for i in stride(from: 0, to: 130, by: 3) { validity[i] = false }
        let xs = (0..<130).map(Double.init)
        let column = Value.column(Column(storage: .number(NumberCells(xs)), validity: validity, format: .money))
        let kept = xs.indices.filter { $0 % 3 != 0 }.map { xs[$0] }
        let call = { (name: String, args: [Value]) -> Value in
            guard let fn = Registry.standard.lookup(name) else { return .empty }
            return (try? fn.implementation(Arguments(function: name, named: [:], rest: args))) ?? .empty
        }
        #expect(call("sum", [column]) == .number(kept.reduce(0, +), .money))
        #expect(call("count", [column]) == .num(Double(kept.count)))
        #expect(call("min", [column]) == .number(1, .money))
        #expect(call("max", [column]) == .number(128, .money))
        #expect(call("count_distinct", [column]) == .num(Double(kept.count)))
        #expect(call("median", [column]) == .number((kept[43] + kept[42]) / 2, .money))
    }

    @Test func typedColumnsOfTextAndDates() {
        let texts = Value.column(Column(values: [.text("JD"), .empty, .text("Tmall"), .text("JD")]))
        let dates = Value.column(Column(values: [.date(TallyDate(days: 20000)), .empty, .date(TallyDate(days: 19000))]))
        let call = { (name: String, args: [Value]) -> String in
            guard let fn = Registry.standard.lookup(name) else { return "?" }
            do { return canonical(try fn.implementation(Arguments(function: name, named: [:], rest: args))) } catch {
                return (error as? ErrorValue)?.kind.rawValue ?? "?"
            }
        }
        #expect(call("count", [texts]) == "3")
        #expect(call("count_distinct", [texts]) == "2")
        #expect(call("max", [texts]) == "\"Tmall\"")
        #expect(call("min", [dates]) == TallyDate(days: 19000).iso)
        #expect(call("sum", [texts]) == "#VALUE!")
        #expect(call("avg", [dates]) == "#VALUE!")
        let mixed = Value.column(Column(values: [.num(1), .text("a"), .error(ErrorValue(.notAvailable, "x"))]))
        #expect(call("sum", [mixed]) == "#N/A")
        #expect(call("count", [mixed]) == "#N/A")
        let table = Value.table(Table(names: ["a"], columns: [.numbers([1, 2, 3])]) ?? Table())
        #expect(call("count", [table]) == "3")
        #expect(call("count", [table, texts]) == "6")
        #expect(call("sum", [table]) == "#VALUE!")
    }

    /// Quickselect and the counting hash set against sorting and `Set` on larger inputs.
    @Test func largeInputsAgreeWithSorting() {
        var state: UInt64 = 42
        let xs: [Double] = (0..<20_001).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return i % 7 == 0 ? 5 : Double(state >> 45) / 8 - (i % 2 == 0 ? 0 : 1000)
        } + [0, -0.0]
        let sorted = xs.sorted()
        func reference(_ p: Double) -> Double {
            let h = Double(sorted.count - 1) * p, lo = Int(h)
            return lo + 1 < sorted.count ? sorted[lo] + (h - Double(lo)) * (sorted[lo + 1] - sorted[lo]) : sorted[lo]
        }
        let column = Value.column(.numbers(xs))
        for p in [0, 0.01, 0.25, 0.5, 0.9, 0.999, 1] {
            let v = Registry.standard.lookup("percentile").flatMap {
                try? $0.implementation(Arguments(function: "percentile", named: ["values": column, "p": .num(p)]))
            }
            #expect(v == .num(reference(p)), "p = \(p)")
        }
        let distinct = Registry.standard.lookup("count_distinct").flatMap {
            try? $0.implementation(Arguments(function: "count_distinct", named: [:], rest: [column]))
        }
        #expect(distinct == .num(Double(Set(xs).count)))
    }

    @Test func money() {
        let cents = Value.column(.numbers(Array(repeating: 0.1, count: 1000), format: .money))
        let sum = Registry.standard.lookup("sum").flatMap {
            try? $0.implementation(Arguments(function: "sum", named: [:], rest: [cents]))
        }
        #expect(sum == .number(100, .money))
    }
}
