import Foundation
import Testing
import TallyCore
@testable import TallyAnalytics

/// The exact checksums of /work/shared/bench/README.md on the 100k file, when it exists
/// (make it with the bench generator; the test is skipped without it).
struct RfmBenchTests {
    static let path = "/tmp/tally-bench/tx_100k.csv"
    static var present: Bool { FileManager.default.fileExists(atPath: path) }

    /// The customer, date and amount columns, parsed with a plain split on commas.
    static func load() throws -> (codes: [Int32], dict: [String], dates: [Int32], amounts: [Double]) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var codes: [Int32] = [], dates: [Int32] = [], amounts: [Double] = []
        var dict: [String] = []
        var index: [String: Int32] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count >= 4 else { continue }
            let id = String(f[1])
            if let c = index[id] { codes.append(c) } else {
                let c = Int32(dict.count)
                index[id] = c
                dict.append(id)
                codes.append(c)
            }
            let ymd = f[2].split(separator: "-").compactMap { Int($0) }
            guard ymd.count == 3, let d = TallyDate(year: ymd[0], month: ymd[1], day: ymd[2]) else { continue }
            dates.append(d.days)
            amounts.append(Double(f[3]) ?? .nan)
        }
        return (codes, dict, dates, amounts)
    }

    @Test(.enabled(if: present)) func rfmAndAbcChecksums() throws {
        let t = try Self.load()
        #expect(t.codes.count == 100_000)
        let asof = try #require(TallyDate(year: 2026, month: 7, day: 1)).days
        let agg = try RfmAggregation.aggregate(customerCodes: t.codes, customerDictionary: t.dict, dates: t.dates,
                                               amounts: t.amounts, asof: asof)
        let res = try Rfm.score(agg)
        var sum = 0
        var counts: [String: Int] = [:]
        for i in res.customers.indices {
            let s = res.scores.of(i)
            sum += s.r + s.f + s.m
            counts[res.code(i), default: 0] += 1
        }
        let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(5).map { "\($0.key):\($0.value)" }.joined(separator: ",")
        func dist(_ xs: [UInt8], _ ks: [Int]) -> String {
            ks.map { k in "\(k):\(xs.filter { Int($0) == k }.count)" }.joined(separator: "/")
        }
        let line = "rfm customers=\(res.customers.count) score_sum=\(sum) distinct_scores=\(counts.count) top5=\(top) "
            + "R=\(dist(res.scores.r, [5, 4, 3, 2, 1])) F=\(dist(res.scores.f, [5, 4, 3, 2])) M=\(dist(res.scores.m, [5, 4, 3, 2, 1]))"
        #expect(line == "rfm customers=10000 score_sum=93645 distinct_scores=80 top5=132:537,555:424,232:410,543:388,532:336 R=5:2485/4:1339/3:1370/2:2253/1:2553 F=5:2789/4:2495/3:3326/2:1390 M=5:1196/4:1353/3:3070/2:3029/1:1352")

        let totals = try Abc.aggregate(keyCodes: t.codes, keyDictionary: t.dict, values: t.amounts)
        let abc = try Abc.classify(totals, a: 0.8, b: 0.95, rule: .including)
        let classes = abc.summary.map { "\($0.abcClass.rawValue)=\($0.count)/\(String(format: "%.6f", $0.share))" }
        let abcLine = "abc customers=\(abc.keys.count) total=\(RfmText.money(cents: abc.totalCents)) " + classes.joined(separator: " ")
        #expect(abcLine == "abc customers=10000 total=31084588.39 A=1728/0.799900 B=2816/0.150095 C=5456/0.050006")

        // Two threads and one agree on the real data too.
        let single = try RfmAggregation.aggregate(customerCodes: t.codes, customerDictionary: t.dict, dates: t.dates,
                                                  amounts: t.amounts, asof: asof, threads: 1)
        let double = try RfmAggregation.aggregate(customerCodes: t.codes, customerDictionary: t.dict, dates: t.dates,
                                                  amounts: t.amounts, asof: asof, threads: 2)
        #expect(single == double && single == agg)
    }
}
