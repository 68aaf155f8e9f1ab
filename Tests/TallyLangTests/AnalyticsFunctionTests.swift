import Foundation
import Testing
import TallyCore
@testable import TallyLang

/// Evaluates `source` with `names` visible as workspace values.
private func run(_ source: String, _ names: [String: Value] = [:]) throws -> Value {
    let expr = try Parser.parseExpression(source, source: 0)
    return try Evaluator(lookup: { names[$0] }).evaluate(expr)
}

/// The table `source` evaluates to (an issue is recorded otherwise).
private func table(_ source: String, _ names: [String: Value] = [:]) throws -> Table {
    let v = try run(source, names)
    guard case .table(let t) = v else {
        Issue.record("`\(source)` gave \(canonical(v)), not a table")
        return Table()
    }
    return t
}

/// A column's cells in canonical form.
private func cells(_ t: Table, _ name: String) -> [String] {
    guard let c = t.column(named: name) else { Issue.record("no column \(name)"); return [] }
    return c.values.map { v in
        if case .text(let s) = v { return s }
        return canonical(v)
    }
}

/// The SEEDS.md section 4 worked example.
private let seedsRfm = "table(id: [\"A001\", \"A002\", \"A003\", \"A004\", \"A005\"], R: [10, 180, 35, 90, 5], "
    + "F: [12, 1, 8, 3, 2], M: [8000, 200, 5000, 1500, 800])"
private let seedsScored = "rfm_score(\(seedsRfm), recency: R, frequency: F, monetary: M)"

/// The SEEDS.md section 1 worked example.
private let seedsAgents = "table(customer: [\"agent_1\", \"agent_2\", \"agent_3\", \"agent_4\", \"agent_5\", \"agent_6\"], "
    + "sales: [800, 1300, 1100, 900, 1200, 2000])"

/// A small deterministic generator for the property tests.
private struct Lcg {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(n))
    }
}

/// Orders typed as a loaded CSV makes them: dictionary-encoded customers, dates as days,
/// amounts as numbers, with some empty cells.
private func typedOrders(rows: Int, customers: Int, seed: UInt64) -> Table {
    var g = Lcg(state: seed)
    let dictionary = (0..<customers).map { String(format: "C%05d", $0) }
    var codes: [Int32] = [], days: [Int32] = [], amounts: [Double] = [], valid: [Bool] = []
    let asof = Int32(TallyDate(year: 2026, month: 7, day: 1)?.days ?? 0)
    for _ in 0..<rows {
        codes.append(Int32(g.next(customers)))
        days.append(asof - Int32(g.next(800)))
        amounts.append(Double(g.next(900_000)) / 100)
        valid.append(g.next(50) != 0)
    }
    return Table(names: ["customer_id", "order_date", "amount"], columns: [
        Column(storage: .text(codes: codes, dictionary: dictionary)),
        Column(storage: .date(days)),
        Column(storage: .number(NumberCells(amounts)), validity: Bitmap(valid)),
    ]) ?? Table()
}

@Suite struct AnalyticsFunctionTests {
    // MARK: RFM

    @Test func seedsExampleReproducesExactly() throws {
        let t = try table(seedsScored)
        #expect(t.names == ["customer", "recency", "frequency", "monetary", "r", "f", "m", "rfm", "segment", "segment_zh"])
        #expect(cells(t, "customer") == ["A001", "A002", "A003", "A004", "A005"])
        #expect(cells(t, "rfm") == ["555", "322", "445", "433", "533"])
        #expect(cells(t, "r") == ["5", "3", "4", "4", "5"])
        #expect(cells(t, "f") == ["5", "2", "4", "3", "3"])
        #expect(cells(t, "m") == ["5", "2", "5", "3", "3"])
        #expect(cells(t, "segment_zh") == ["重要价值客户", "一般挽留客户", "重要保持客户", "一般挽留客户", "一般发展客户"])
        #expect(cells(t, "segment") == ["important value", "general win-back (low value)", "important retention",
                                        "general win-back (low value)", "general development"])
        let notes = t.display.noteTexts.joined(separator: "\n")
        #expect(notes.contains("R <= 30 -> 5, R <= 90 -> 4, R <= 180 -> 3, R <= 365 -> 2, else 1"))
        #expect(notes.contains("(R 4.20, F 3.40, M 3.60)"))
    }

    @Test(arguments: [
        ("A001", "segment: important value (重要价值客户): rule 1 of 8"),
        ("A003", "segment: important retention (重要保持客户): rule 3 of 8"),
        ("A005", "segment: general development (一般发展客户): rule 6 of 8"),
        ("A002", "segment: general win-back (low value) (一般挽留客户): rule 8 of 8"),
    ])
    func whyExplainsTheSeedsCustomers(_ customer: String, _ segment: String) throws {
        let w = try table("why(s, \"\(customer)\")", ["s": try run(seedsScored)])
        #expect(w.names == ["measure", "value", "score", "band", "mean", "level"])
        #expect(w.display.noteTexts.contains { $0.hasPrefix(segment) })
        #expect(w.display.noteTexts.first?.hasPrefix("\(customer): recency") == true)
        if customer == "A003" {
            #expect(cells(w, "band") == ["30 < R <= 90", "5 <= F < 10", "5000.00 <= M"])
            #expect(cells(w, "level") == ["low", "high", "high"])
            #expect(cells(w, "score") == ["4", "4", "5"])
        }
    }

    @Test func rfmAggregatesOrders() throws {
        let orders = "table(c: [\"A\", \"B\", \"A\", \"C\", \"A\"], d: [date(\"2026-06-21\"), date(\"2026-01-01\"), "
            + "date(\"2026-05-02\"), date(\"2024-12-31\"), date(\"2026-06-01\")], x: [1200.10, 80, 3999.90, 5000, 0.01])"
        let t = try table("rfm(\(orders), customer: c, date: d, amount: x, asof: date(\"2026-07-01\"))")
        #expect(cells(t, "customer") == ["A", "B", "C"])
        #expect(cells(t, "recency") == ["10", "181", "547"])
        #expect(cells(t, "frequency") == ["3", "1", "1"])
        #expect(cells(t, "monetary") == ["5200.01 $", "80 $", "5000 $"])
        #expect(cells(t, "rfm") == ["535", "221", "125"])
        // asof defaults to the latest order date, and says so.
        let d = try table("rfm(\(orders), customer: c, date: d, amount: x)")
        #expect(cells(d, "recency") == ["0", "171", "537"])
        #expect(d.display.noteTexts.first?.contains("to 2026-06-21 (the latest order date") == true)
    }

    @Test func rfmOverColumnsTypedLikeALoadedCsvAgreesWithAReference() throws {
        let orders = typedOrders(rows: 20_000, customers: 1_500, seed: 7)
        let t = try table("rfm(orders, customer: customer_id, date: order_date, amount: amount, asof: date(\"2026-07-01\"))",
                          ["orders": .table(orders)])
        guard case .text(let codes, let dictionary) = orders.columns[0].storage, case .date(let days) = orders.columns[1].storage,
              case .number(let amounts) = orders.columns[2].storage, let validity = orders.columns[2].validity else {
            Issue.record("unexpected storage"); return
        }
        let asof = Int(TallyDate(year: 2026, month: 7, day: 1)?.days ?? 0)
        var reference: [String: (last: Int, count: Int, cents: Int)] = [:]
        for i in codes.indices where validity[i] {
            let k = dictionary[Int(codes[i])]
            let old = reference[k] ?? (Int.min, 0, 0)
            reference[k] = (max(old.last, Int(days[i])), old.count + 1, old.cents + Int((amounts.value(at: i) * 100).rounded()))
        }
        #expect(t.rowCount == reference.count)
        let names = cells(t, "customer"), rec = t.column(named: "recency"), freq = t.column(named: "frequency")
        let mon = t.column(named: "monetary"), rfm = cells(t, "rfm")
        for (i, name) in names.enumerated() {
            guard let ref = reference[name] else { Issue.record("unknown customer \(name)"); continue }
            let recency = asof - ref.last
            #expect(rec?[i] == .num(Double(recency)))
            #expect(freq?[i] == .num(Double(ref.count)))
            #expect(mon?[i].numberValue == Double(ref.cents) / 100)
            let r = recency <= 30 ? 5 : recency <= 90 ? 4 : recency <= 180 ? 3 : recency <= 365 ? 2 : 1
            let f = ref.count >= 10 ? 5 : ref.count >= 5 ? 4 : ref.count >= 2 ? 3 : ref.count >= 1 ? 2 : 1
            let m = ref.cents >= 500_000 ? 5 : ref.cents >= 200_000 ? 4 : ref.cents >= 50_000 ? 3 : ref.cents >= 10_000 ? 2 : 1
            #expect(rfm[i] == "\(r)\(f)\(m)")
        }
        #expect(t.display.noteTexts.contains { $0.contains("skipped") && $0.contains("empty customer, date or amount") })
    }

    @Test func benchChecksumsOnThe100kFile() throws {
        let path = "/tmp/tally-bench/tx_100k.csv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        var index: [String: Int32] = [:], dictionary: [String] = [], codes: [Int32] = []
        var days: [Int32] = [], amounts: [Double] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count >= 4 else { continue }
            let id = String(f[1])
            if let c = index[id] { codes.append(c) } else {
                index[id] = Int32(dictionary.count); codes.append(Int32(dictionary.count)); dictionary.append(id)
            }
            let ymd = f[2].split(separator: "-").compactMap { Int($0) }
            days.append(ymd.count == 3 ? TallyDate(year: ymd[0], month: ymd[1], day: ymd[2])?.days ?? 0 : 0)
            amounts.append(Double(f[3]) ?? .nan)
        }
        let orders = Table(names: ["customer_id", "order_date", "amount"], columns: [
            Column(storage: .text(codes: codes, dictionary: dictionary)), Column(storage: .date(days)), .numbers(amounts),
        ]) ?? Table()
        let scope: [String: Value] = ["orders": .table(orders)]
        let r = try table("rfm(orders, customer: customer_id, date: order_date, amount: amount, asof: date(\"2026-07-01\"))", scope)
        let scores = ["r", "f", "m"].map { cells(r, $0).compactMap { Int($0) } }
        let scoreSum = scores.reduce(0) { $0 + $1.reduce(0, +) }
        var byCode: [String: Int] = [:]
        for c in cells(r, "rfm") { byCode[c, default: 0] += 1 }
        let top5 = byCode.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(5)
        func counts(_ xs: [Int], _ range: [Int]) -> String {
            range.map { s in "\(s):\(xs.filter { $0 == s }.count)" }.joined(separator: "/")
        }
        let line = "rfm customers=\(r.rowCount) score_sum=\(scoreSum) distinct_scores=\(byCode.count) top5="
            + top5.map { "\($0.key):\($0.value)" }.joined(separator: ",")
            + " R=\(counts(scores[0], [5, 4, 3, 2, 1])) F=\(counts(scores[1], [5, 4, 3, 2])) M=\(counts(scores[2], [5, 4, 3, 2, 1]))"
        #expect(line == "rfm customers=10000 score_sum=93645 distinct_scores=80 top5=132:537,555:424,232:410,543:388,532:336 "
            + "R=5:2485/4:1339/3:1370/2:2253/1:2553 F=5:2789/4:2495/3:3326/2:1390 M=5:1196/4:1353/3:3070/2:3029/1:1352")

        let a = try table("abc(orders, value: amount, by: customer_id, rule: \"including\")", scope)
        let classes = cells(a, "class")
        guard let values = a.column(named: "amount") else { Issue.record("no amount"); return }
        let cents = (0..<a.rowCount).map { Int64(((values[$0].numberValue ?? 0) * 100).rounded()) }
        let total = cents.reduce(0, +)
        let summary = ["A", "B", "C"].map { k in
            let rows = classes.indices.filter { classes[$0] == k }
            let share = Double(rows.reduce(Int64(0)) { $0 + cents[$1] }) / Double(total)
            return "\(k)=\(rows.count)/" + String(format: "%.6f", share)
        }.joined(separator: " ")
        #expect("abc customers=\(a.rowCount) total=\(String(format: "%.2f", Double(total) / 100)) \(summary)"
            == "abc customers=10000 total=31084588.39 A=1728/0.799900 B=2816/0.150095 C=5456/0.050006")
    }

    @Test func quantileTiesShareABinAndTheRuleIsStated() throws {
        var g = Lcg(state: 3)
        let n = 400
        let rec = (0..<n).map { _ in String(g.next(12) * 30) }, freq = (0..<n).map { _ in String(1 + g.next(3)) }
        let mon = (0..<n).map { _ in String(g.next(6) * 250) }
        let ids = (0..<n).map { "\"K\($0)\"" }
        let src = "rfm_score(table(id: [\(ids.joined(separator: ", "))], R: [\(rec.joined(separator: ", "))], "
            + "F: [\(freq.joined(separator: ", "))], M: [\(mon.joined(separator: ", "))]), recency: R, frequency: F, monetary: M, "
            + "method: \"quantile\")"
        let t = try table(src)
        for (measure, score) in [("recency", "r"), ("frequency", "f"), ("monetary", "m")] {
            var seen: [String: String] = [:]
            for (v, s) in zip(cells(t, measure), cells(t, score)) {
                #expect(seen[v, default: s] == s, "\(measure) \(v) has two scores")
                seen[v] = s
            }
        }
        // Recency is reversed: the most recent customers score highest.
        let pairs = zip(cells(t, "recency").compactMap(Double.init), cells(t, "r").compactMap(Int.init))
        #expect(pairs.allSatisfy { p in pairs.allSatisfy { q in !(p.0 < q.0 && p.1 < q.1) } })
        let notes = t.display.noteTexts.joined(separator: "\n")
        #expect(notes.contains("tie rule: score = 1 + floor(5 * k / n)"))
        #expect(notes.contains("warning: F: "))
        let w = try table("why(s, \"K7\")", ["s": .table(t)])
        #expect(w.display.noteTexts.contains { $0.contains("5 quantile bins") })
    }

    @Test func everyCustomerHasExactlyOneSegmentUnderCustomRules() throws {
        let rules = "segments(champions: [\"r >= 4 and f >= 4\", \"冠军\"], sleeping: \"r = 1\", spenders: \"m high\", other: \"\")"
        let orders = typedOrders(rows: 3_000, customers: 400, seed: 11)
        let scope: [String: Value] = ["orders": .table(orders), "rules": try run(rules)]
        let t = try table("rfm(orders, customer: customer_id, date: order_date, amount: amount, segments: rules)", scope)
        let names = ["champions", "sleeping", "spenders", "other"]
        let seg = cells(t, "segment"), zh = cells(t, "segment_zh"), r = cells(t, "r").compactMap(Int.init)
        let f = cells(t, "f").compactMap(Int.init)
        #expect(seg.count == t.rowCount && seg.allSatisfy(names.contains))
        for i in seg.indices {
            let champion = r[i] >= 4 && f[i] >= 4
            #expect((seg[i] == "champions") == champion)
            if !champion { #expect((seg[i] == "sleeping") == (r[i] == 1)) }
            #expect(zh[i] == (seg[i] == "champions" ? "冠军" : seg[i]))
        }
        // why restates the rules the result was made with, without being told.
        let first = cells(t, "customer").first ?? ""
        let w = try table("why(t, \"\(first)\")", scope.merging(["t": .table(t)]) { $1 })
        #expect(w.display.noteTexts.contains { $0.hasPrefix("segment: ") && $0.contains("of 4") })
        // The default rules: eight, one per combination of high and low.
        let d = try table("segments()")
        #expect(d.rowCount == 8 && cells(d, "conditions").first == "r high, f high, m high")
        let again = try table("rfm(orders, customer: customer_id, date: order_date, amount: amount, segments: segments())", scope)
        #expect(cells(again, "segment").allSatisfy { !$0.isEmpty })
    }

    @Test func whyRefusesAResultScoredOtherwise() throws {
        let filtered = try run("where(s, r <= 4)", ["s": try run(seedsScored)])
        #expect(throws: TallyError.self) { try run("why(t, \"A001\")", ["t": filtered]) }
        let custom = try run("rfm_score(\(seedsRfm), recency: R, frequency: F, monetary: M, r: [7, 30, 90, 180])")
        // Remembered: the explanation uses r: [7, 30, 90, 180].
        let w = try table("why(t, \"A003\")", ["t": custom])
        #expect(w.display.noteTexts.contains { $0.contains("fixed edges 7, 30, 90, 180") })
    }

    @Test func inputsAreNeverModified() throws {
        let orders = typedOrders(rows: 500, customers: 50, seed: 5)
        let scope: [String: Value] = ["orders": .table(orders)]
        _ = try run("rfm(orders, customer: customer_id, date: order_date, amount: amount)", scope)
        _ = try run("abc(orders, value: amount, by: customer_id)", scope)
        _ = try run("abc(orders, value: amount)", scope)
        #expect(scope["orders"] == .table(orders))
        #expect(orders.columnCount == 3 && orders.rowCount == 500)
    }

    @Test func helpRfmShowsTheThresholdsInForce() throws {
        let details = Registry.standard.lookup("rfm")?.details ?? ""
        #expect(details.contains("R <= 30 -> 5, R <= 90 -> 4, R <= 180 -> 3, R <= 365 -> 2, else 1"))
        #expect(details.contains("F >= 10 -> 5, F >= 5 -> 4, F >= 2 -> 3, F >= 1 -> 2, else 1"))
        #expect(details.contains("M >= 5000.00 -> 5"))
        #expect(details.contains("tie rule") || details.contains("Tie rule"))
    }

    // MARK: ABC

    @Test func seedsAbcWithTheDocumentsRule() throws {
        let t = try table("abc(\(seedsAgents), value: sales, a: 20%, b: 70%, rule: \"including\")")
        #expect(t.names == ["rank", "customer", "sales", "share", "cum_share", "class"])
        #expect(cells(t, "customer") == ["agent_6", "agent_2", "agent_5", "agent_3", "agent_4", "agent_1"])
        #expect(cells(t, "class") == ["B", "B", "B", "C", "C", "C"])
        let cum = t.column(named: "cum_share")?.values.compactMap(\.numberValue).map { String(format: "%.2f%%", $0 * 100) }
        #expect(cum == ["27.40%", "45.21%", "61.64%", "76.71%", "89.04%", "100.00%"])
        #expect(t.display.noteTexts.contains { $0.hasPrefix("warning: no key is in class A") })
        #expect(t.display.noteTexts.contains { $0.contains("rule \"including\"") })
    }

    @Test func seedsAbcWithTheBeforeRule() throws {
        let t = try table("abc(\(seedsAgents), value: sales, a: 20%, b: 70%)")
        #expect(cells(t, "class") == ["A", "B", "B", "B", "C", "C"])
        #expect(t.display.noteTexts.contains { $0.contains("classes: A 1 row (27.40% of the value), B 3 rows") })
    }

    @Test func abcByKeySumsFirstAndSharesAddUp() throws {
        let orders = typedOrders(rows: 5_000, customers: 700, seed: 9)
        let t = try table("abc(orders, value: amount, by: customer_id)", ["orders": .table(orders)])
        #expect(t.names == ["rank", "customer_id", "amount", "share", "cum_share", "class"])
        let shares = t.column(named: "share")?.values.compactMap(\.numberValue) ?? []
        #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
        let classes = cells(t, "class")
        #expect(classes.allSatisfy { ["A", "B", "C"].contains($0) } && classes.count == t.rowCount)
        #expect(classes == classes.sorted())
        #expect(Set(cells(t, "customer_id")).count == t.rowCount)
        let cum = t.column(named: "cum_share")?.values.compactMap(\.numberValue) ?? []
        #expect(abs((cum.last ?? 0) - 1) < 1e-12)
        #expect(t.display.totals["share"] == .number(1, .percent))
    }

    @Test func abcSendsZeroAndNegativeValuesToC() throws {
        let t = try table("abc(table(k: [\"a\", \"b\", \"c\", \"d\"], v: [50, 0, -10, 50]), value: v)")
        #expect(cells(t, "k") == ["a", "d", "b", "c"])
        #expect(cells(t, "class") == ["A", "A", "C", "C"])
        #expect(t.display.noteTexts.contains { $0.contains("2 keys with a zero or negative value put in class C") })
    }

    @Test func abcComputedStatesItsCutOffs() throws {
        let t = try table("abc(table(k: [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\"], "
            + "v: [1000, 600, 200, 80, 50, 30, 20, 10]), value: v, method: \"computed\")")
        #expect(cells(t, "class").first == "A" && cells(t, "class").last == "C")
        #expect(t.display.noteTexts.contains { $0.hasPrefix("computed ABC analysis") })
    }

    // MARK: KPIs

    @Test(arguments: [
        ("conversion(360, 12000)", "0.03 %"),
        ("conversion(10, 0)", "#DIV/0!"),
        ("conversion(0, 0)", "#DIV/0!"),
        ("conversion([30, 10], [1000, 0])", "[0.03 %, #DIV/0!]"),
        ("conversion(if(false, 1), 100)", "empty"),
        ("conversion(\"a\", 100)", "#VALUE!"),
        ("conversion(buyers: 5, visitors: 50)", "0.1 %"),
        ("aov(486200, 1000)", "486.2"),
        ("aov(1000 as money, 8)", "125 $"),
        ("margin(1800, 12000)", "0.15 %"),
        ("roi(5000, 20000)", "0.25 %"),
        ("roas(48000, 12000)", "4"),
        ("cac(30000, 120)", "250"),
        ("collection_rate(930000, 1000000)", "0.93 %"),
        ("churn_rate(45, 900)", "0.05 %"),
        ("completion(1150000, 1200000)", "0.9583333333 %"),
        ("completion(5, 0)", "#DIV/0!"),
        ("growth(1150, 1000)", "0.15 %"),
        ("growth(50, -100)", "1.5 %"),
        ("growth(10, 0)", "#DIV/0!"),
        ("ltv(aov: 480, frequency: 4, lifespan: 3, margin: 30%)", "1728"),
        ("ltv(480, 4, 3)", "5760"),
        ("ltv_churn(arpu: 200, margin: 40%, churn: 5%)", "1600"),
        ("ltv_churn(arpu: 200, margin: 40%, churn: 0)", "#DIV/0!"),
        ("repeat_rate(table(c: [\"A\", \"B\", \"A\", \"C\", \"B\"]), customer: c)", "0.6666666667 %"),
        ("repeat_rate([1, 3, 2, 1])", "0.5 %"),
        ("repeat_rate([\"A\", \"A\", \"B\"])", "0.5 %"),
        ("repeat_rate([])", "#DIV/0!"),
        ("repeat_rate([2, 1/0])", "#DIV/0!"),
        ("add(table(b: [30, 0], v: [1000, 0]), c: conversion(b, v)).c", "col[0.03 %, #DIV/0!]"),
    ])
    func kpi(_ source: String, _ expected: String) throws {
        #expect(canonical(try run(source)) == expected, "\(source)")
    }

    @Test func funnelOfTheSeedsStages() throws {
        let t = try table("funnel([\"potential customer\", \"qualified lead\", \"proposal\", \"negotiation\", \"closed\"], "
            + "[1000, 400, 150, 60, 24])")
        #expect(t.names == ["stage", "count", "step_conversion", "overall_conversion", "drop_off"])
        #expect(cells(t, "step_conversion") == ["empty", "0.4 %", "0.375 %", "0.4 %", "0.4 %"])
        #expect(cells(t, "overall_conversion") == ["1 %", "0.4 %", "0.15 %", "0.06 %", "0.024 %"])
        #expect(cells(t, "drop_off") == ["empty", "600", "250", "90", "36"])
        #expect(t.display.noteTexts.first?.hasPrefix("overall conversion 2.40%") == true)
        let z = try table("funnel({lead: 10, call: 0, deal: 3})")
        #expect(cells(z, "step_conversion") == ["empty", "0 %", "#DIV/0!"])
        #expect(z.display.noteTexts.contains { $0.contains("larger than the stage before it") })
    }

    // MARK: Refusals

    @Test(arguments: [
        ("rfm(table(c: [\"A\"], d: [\"2026-01-01\"], a: [1]), customer: c, date: d, amount: a)",
         "rfm: date: `d` is a text column, not dates", "load it with types: {d: date}"),
        ("rfm(table(c: [\"A\"], d: [date(\"2026-01-01\")], a: [\"1\"]), customer: c, date: d, amount: a)",
         "rfm: amount: `a` is a text column, not numbers", "load it with types: {a: number}"),
        ("rfm(table(c: [\"A\"]), custmer: c)", "rfm has no parameter `custmer`", "did you mean `customer`?"),
        ("rfm(table(c: [\"A\"]), customer: c)", "rfm needs `date: column`", nil),
        ("rfm(table(c: [\"A\"], d: [date(\"2026-01-01\")], a: [1]), customer: c, date: dd, amount: a)",
         "the table has no column `dd`", "did you mean `d`?"),
        ("rfm_score(\(seedsRfm), recency: R, frequency: F, monetary: M, method: \"quintile\")",
         "rfm_score: method must be \"fixed\" or \"quantile\", not \"quintile\"", "did you mean \"quantile\"?"),
        ("rfm_score(\(seedsRfm), recency: R, frequency: F, monetary: M, r: [90, 30])",
         "rfm_score: bad R edges: edges must be strictly ascending", nil),
        ("rfm_score(\(seedsRfm), recency: R, frequency: F, monetary: M, method: \"quantile\", bins: 12)",
         "rfm_score: bins must be a whole number from 2 to 9, got 12", nil),
        ("rfm_score(\(seedsRfm), recency: R, frequency: F, monetary: M, bins: 4)", "rfm_score: bins: goes with method: \"quantile\"", nil),
        ("rfm_score(\(seedsRfm), recency: id, frequency: F, monetary: M)", "rfm_score: recency: `id` is a text column", nil),
        ("why(\(seedsScored), \"A009\")", "why: no customer \"A009\" in this result", "did you mean \"A001\"?"),
        ("why(table(x: [1]), \"A\")", "why: needs a result of rfm or rfm_score; this table has no column `recency`", nil),
        ("segments(vip: \"r >= 4\")", "segments: the last segment rule must be a catch-all", nil),
        ("segments(all: \"\", vip: \"r >= 4\")", "segments: rule \"all\" has no conditions", nil),
        ("segments(vip: \"x >= 4\", other: \"\")", "segments: rule `vip`: cannot read the condition \"x >= 4\"", nil),
        ("segments(\"r >= 4\")", "segments: this argument needs a name", nil),
        ("abc(\(seedsAgents), value: customer)", "abc: value: `customer` is a text column, not numbers", nil),
        ("abc(\(seedsAgents), value: sales, a: 80)", "abc: a must be a share from 0% to 100%, got 80", "write a: 80%"),
        ("abc(\(seedsAgents), value: sales, rule: \"after\")", "abc: rule must be \"before\" or \"including\", not \"after\"", nil),
        ("abc(\(seedsAgents), value: sales, a: 90%, b: 80%)", "abc: a (90%) must not be above b (80%)", nil),
        ("abc(\(seedsAgents), value: sales, method: \"computed\", a: 10%)", "leave out `a`", nil),
        ("abc(\(seedsAgents))", "abc needs `value: column`", nil),
        ("repeat_rate(table(c: [\"A\"]))", "repeat_rate: needs the customer column", nil),
    ] as [(String, String, String?)])
    func refusal(_ source: String, _ message: String, _ hint: String?) {
        do {
            let v = try run(source)
            Issue.record("`\(source)` was accepted: \(canonical(v))")
        } catch let e as TallyError {
            #expect(e.message.contains(message), "\(e.message)")
            if let hint { #expect(e.hint == hint, "\(e.hint ?? "no hint")") }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
