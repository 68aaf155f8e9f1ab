import Testing
import TallyCore
@testable import TallyLang

/// The fused evaluation (one chunked pass, `FusedCompiler` / `FusedRun`) against the
/// general evaluation of the same expression, over 6,000-row columns with empties, zeros,
/// huge numbers, texts, dates and booleans: same cells, same format, same sums to the
/// bit. Rows the fused form cannot decide (a division by zero) must make it give up and
/// the answer still be the general one.
@Suite struct FusedDifferentialTests {
    static let rows = 6000

    static let table: Table = {
        var r = ElementwiseDifferentialTests.Random(state: 99)
        func cells(_ empties: Bool = true, _ make: (inout ElementwiseDifferentialTests.Random) -> Value) -> Column {
            Column(values: (0..<rows).map { _ in empties && r.below(9) == 0 ? .empty : make(&r) })
        }
        let numbers: [Double] = [0, 1, -1, 2.5, -3.75, 100, 0.1, 7, 12, 1e15, 3, 499.99, 500, 1e300]
        let channels = ["Tmall", "JD", "Douyin", "Offline", "tmall"]
        let columns: [(String, Column)] = [
            ("n", cells { r in .number(numbers[r.below(numbers.count)], .plain) }),
            ("m", cells { r in .number(Double(r.below(100_000)) / 100, .money) }),
            ("p", cells(false) { r in .number(Double(r.below(1000)) / 1000, .percent) }),
            ("z", cells { r in .number(Double(r.below(3)), .plain) }),
            ("full", cells(false) { r in .number(Double(r.below(10_000)) / 7, .plain) }),
            ("d", cells { r in .date(TallyDate(days: Int32(20_000 + r.below(700)))) }),
            ("b", cells { r in .bool(r.below(3) == 0) }),
            ("c", cells { r in .text(channels[r.below(channels.count)]) }),
            ("k", cells(false) { r in .text(["A1", "B2", "C3", "D4"][r.below(4)]) }),
            // Sorted as orders by date, so a condition on them is false (or true) for
            // whole chunks, and `and`/`or` skip their right side there.
            ("s", sorted(emptyEvery: nil)),
            ("se", sorted(emptyEvery: 777)),
            ("band", sorted(emptyEvery: 1700, bands: true)),
        ]
        return Table(names: columns.map(\.0), columns: columns.map(\.1)) ?? Table()
    }()

    /// Days in order, 60 rows a day (a zone of 1024 rows spans 17 days), or numbers 0 to 3
    /// in bands of 1,500 rows; every so many rows an empty cell.
    static func sorted(emptyEvery: Int?, bands: Bool = false) -> Column {
        var cells: [Value] = []
        for i in 0..<rows {
            if let e = emptyEvery, i % e == 3 {
                cells.append(.empty)
            } else {
                cells.append(bands ? .number(Double(i / 1500), .plain) : .date(TallyDate(days: Int32(20_140 + i / 60))))
            }
        }
        return Column(values: cells)
    }

    /// Evaluates with the table's columns as bare names and `t` as the table itself.
    static func evaluate(_ source: String, fusion: Bool) throws -> Value {
        var ev = Evaluator(lookup: { $0 == "t" ? .table(table) : nil })
        ev.fusion = fusion
        ev.columns = table
        return try ev.evaluate(try Parser.parseExpression(source, source: 0))
    }

    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.column(let x), .column(let y)):
            guard x.count == y.count, x.format == y.format else { return false }
            return (0..<x.count).allSatisfy { ElementwiseDifferentialTests.same(x[$0], y[$0]) }
        case (.number(let x, let f), .number(let y, let g)):
            return x.bitPattern == y.bitPattern && f == g
        default:
            return ElementwiseDifferentialTests.same(a, b)
        }
    }

    /// Expressions the fused path takes (checked), each beside the general answer.
    static let fused = [
        "m * 1.1 + 2", "full * 1.1 + 2 - full / 3", "n * 2 + z", "-m + 1", "(m + 1) * (p - 2)",
        "m > 100 and n < 50", "m > 100 or b", "not (m > 500) and z == 1", "b and z == 2", "b or z == 2",
        "if(m > 100, m, 0) * 2", "if(b, m, z) + 1", "if(m > 400, m) - 1", "round(m, 0) + 1", "abs(n - 3) * 2",
        "round(m * 1.07, 2) - m", "mod(full, 7) + 1", "(m * 2 as %) + 1", "month(d) == 3 and m > 500",
        "upper(c) == \"TMALL\" or m < 10", "year(d) * 100 + month(d) + m", "d > date(\"2055-01-01\") and b",
        "m / sum(m) * 100", "m - avg(m) + 0", "full ^ 2 + 1",
        "month(s) == 3 and m > 500", "month(s) != 3 or n > 1", "month(se) == 3 and m > 500", "month(s) + m",
        "month(se) * 2 + z", "year(s) == 2025 or b", "s > date(\"2025-03-01\") and b", "band == 0 and n > 1", "band > 0 or b",
        "band < 2 and (b or m > 100)", "s > date(\"2025-01-01\") and if(b, m, z) > 1",
    ]

    /// Expressions that meet a row the fused form cannot decide: it gives up.
    static let givingUp = ["band == 3 and m / z > 1", "m / z + 1", "1 / (n - 1) + 1", "full * 1e300 * 1e300 + 1", "2 / (full * 1e300 * 1e300) + 1",
                          "full * 1e300 * 1e300 * 0 + 1", "round(full * 1e300 * 10, 2) - 1", "sqrt(n - 2) + 1", "mod(m, z) + 1"]

    @Test(arguments: fused + givingUp)
    func columnEqualsTheGeneralPath(_ source: String) throws {
        let a = try Self.evaluate(source, fusion: true), b = try Self.evaluate(source, fusion: false)
        #expect(Self.same(a, b), "\(source)")
    }

    @Test(arguments: fused)
    func theFusedPathIsTaken(_ source: String) throws {
        var ev = Evaluator(lookup: { $0 == "t" ? .table(Self.table) : nil })
        ev.columns = Self.table
        #expect(try ev.fused(try Parser.parseExpression(source, source: 0)) != nil, "\(source)")
    }

    @Test(arguments: fused.filter { !$0.contains(" and ") && !$0.contains(" or ") && !$0.contains("==") } + givingUp)
    func aggregatesEqualTheGeneralPath(_ source: String) throws {
        for f in ["sum", "avg", "count"] {
            let call = "\(f)(\(source))"
            let a = try Self.evaluate(call, fusion: true), b = try Self.evaluate(call, fusion: false)
            #expect(Self.same(a, b), "\(call): \(a) vs \(b)")
        }
    }

    @Test(arguments: ["m > 100", "month(d) == 3 and m > 500", "upper(c) == \"TMALL\"", "b or m < 10", "not b",
                      "if(b, m, 0) > 10", "m / z > 1"])
    func countOfWhereEqualsTheGeneralPath(_ source: String) throws {
        try Self.sameOrRefusedAlike("count(where(t, \(source)))")
    }

    @Test(arguments: ["count_distinct(c & z)", "count_distinct(t.c & t.b)", "count_distinct(d & c)",
                      "count_distinct(t.m & t.c)", "count_distinct(c & c)", "count_distinct(nope & c)",
                      "count_distinct(t.k & t.c)", "count_distinct(c & k)", "count_distinct(k & n)"])
    func countDistinctOfAConcatenationEqualsTheGeneralPath(_ source: String) throws {
        try Self.sameOrRefusedAlike(source)
    }

    @Test func countDistinctOfTwoTextColumnsIsCountedOnCodes() throws {
        var ev = Evaluator(lookup: { $0 == "t" ? .table(Self.table) : nil })
        ev.columns = Self.table
        #expect(try ev.evaluate(try Parser.parseExpression("count_distinct(t.k & t.c)", source: 0)) == .num(24))
    }

    @Test(arguments: [(0, 1024), (3, 61), (64, 64), (100, 1000), (1990, 10), (0, 2000)])
    func validityExpandsAsItsBits(_ start: Int, _ n: Int) {
        let out = UnsafeMutablePointer<Bool>.allocate(capacity: 2048)
        defer { out.deallocate() }
        for gap in [nil, 5, 64, 1500] as [Int?] {
            let bits = Bitmap((0..<2000).map { $0 != gap })
            let all = FusedLeaf.expand(bits, start, n, into: out)
            let expected = (start..<start + n).map { bits[$0] }
            #expect(all == !expected.contains(false))
            if !all { #expect((0..<n).map { out[$0] } == expected) }
        }
    }

    /// `false and x` and `true or x` over a whole chunk do not compute x; a side that may
    /// give up (`m / z`) is always computed, so the general path decides its rows.
    @Test func aChunkTheLeftSideDecidesSkipsTheRight() throws {
        for (op, left, fills) in [(FusedLogic.Op.and, false, 0), (.and, true, 3), (.or, true, 0), (.or, false, 3)] {
            let right = CountingNode()
            guard let node = FusedLogic(op, .bool(left), .node(right)) else { Issue.record("not fused"); continue }
            for start in [0, 1024, 2048] { try node.fill(start, 1024) }
            #expect(right.fills == fills, "\(op) \(left)")
            #expect((0..<1024).allSatisfy { node.flags[$0] == (op == .and ? left && true : left || true) })
        }
    }

    @Test func aWrongTypeIsRefusedTheSameWay() throws {
        for source in ["sum(c > 1)", "sum(m & \"x\")", "sum(b + 1)"] { try Self.sameOrRefusedAlike(source) }
    }

    /// The same value both ways, or both refused with the same message.
    static func sameOrRefusedAlike(_ source: String) throws {
        let a = Result { try evaluate(source, fusion: true) }, b = Result { try evaluate(source, fusion: false) }
        switch (a, b) {
        case (.success(let x), .success(let y)): #expect(same(x, y), "\(source): \(x) vs \(y)")
        case (.failure(let x), .failure(let y)): #expect("\(x)" == "\(y)", "\(source)")
        default: Issue.record("\(source): one path refused, the other did not")
        }
    }
}

/// A right side that is always true and counts how often it is computed.
private final class CountingNode: FusedNode {
    var fills = 0
    init() {
        super.init(.bool)
        flags.initialize(repeating: true, count: Self.chunk)
    }
    override func fill(_ start: Int, _ n: Int) throws(FusedBail) { fills += 1 }
    override var mayBail: Bool { false }
}
