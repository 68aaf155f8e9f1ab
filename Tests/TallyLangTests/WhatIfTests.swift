import Testing
import TallyCore
@testable import TallyLang

/// A host that keeps plans in memory and loads nothing.
final class MemoryHost: SessionHost {
    var files: [String: String] = [:]
    var decimals = 2
    func load(_ spec: LoadSpec) throws(TallyError) -> LoadedData {
        throw TallyError(.command("no files in this test"), span: spec.pathSpan)
    }
    func readPlan(path: String, span: SourceSpan) throws(TallyError) -> String {
        guard let t = files[path] else { throw TallyError(.command("no such file"), span: span) }
        return t
    }
    func writePlan(path: String, text: String, span: SourceSpan) throws(TallyError) { files[path] = text }
    func export(_ table: Table, name: String, path: String, force: Bool, span: SourceSpan) throws(TallyError) -> [Note] {
        files[path] = "\(table.rowCount) rows"
        return [Note(.exported, [.counted(table.rowCount, .nounRow), .text(path)])]
    }
    func applySetting(key: NameRef, value: String, valueSpan: SourceSpan) throws(TallyError) -> Note {
        guard key.name == "decimals", let n = Int(value) else { throw TallyError(.command("bad setting"), span: key.span) }
        decimals = n
        return Note(.settingSet, [.text("decimals = \(value)")])
    }
    func planSettings() -> [String] { decimals == 2 ? [] : ["set decimals \(decimals)"] }
}

struct WhatIfTests {
    static let model = [
        "visitors = 12000", "conversion = 3%", "aov = 486.2", "revenue = visitors * conversion * aov",
        "cost = 20000", "profit = revenue * 30% - cost", "t = table(k: [\"a\", \"b\"], w: [1, 3])", "t.v = w * visitors",
        "scenario best: visitors = 15000, conversion = 4%",
    ]

    static func session() -> (Session, MemoryHost) {
        let s = Session()
        let host = MemoryHost()
        s.host = host
        for line in model { _ = s.run(line) }
        return (s, host)
    }

    static func listing(_ s: Session) -> String { summary([s.list()]) + " " + s.workspace.order.map { s.workspace[$0]?.definition ?? "" }.joined(separator: ";") }

    @Test("commands that change nothing leave `list` as it was", arguments: [
        "what if visitors = 20000: revenue", "what if conversion = 5%", "compare", "compare profit",
        "datatable revenue by visitors in 10000..20000 step 5000", "sensitivity profit", "scenarios",
        "goalseek profit = -1e300 by visitors, range: [0, 1]", "datatable revenue by visitors in 5..1",
    ])
    func unchanged(_ statement: String) {
        let (s, _) = Self.session()
        let before = Self.listing(s)
        let values = s.workspace.order.map { s.workspace[$0]?.value }
        _ = s.run(statement)
        #expect(Self.listing(s) == before)
        #expect(s.workspace.order.map { s.workspace[$0]?.value } == values)
    }

    @Test func saveThenOpenRoundTrips() {
        let (s, host) = Self.session()
        _ = s.run("set decimals 3")
        let before = Self.listing(s)
        #expect(summary(s.run("save \"p.tally\"")).hasPrefix("saved p.tally"))
        _ = s.run("visitors = 1")
        _ = s.run("drop profit")
        #expect(summary(s.run("open \"p.tally\"")).hasPrefix("opened p.tally"))
        #expect(Self.listing(s) == before)
        #expect(s.workspace.scenarios.map(\.definition) == ["scenario best: visitors = 15000, conversion = 4%"])
        #expect(host.files["p.tally"]?.contains("set decimals 3\n") == true)
        // A second session opening the same plan gets the same workspace.
        let other = Session()
        other.host = host
        _ = other.run("open \"p.tally\"")
        #expect(Self.listing(other) == before)
        // One undo brings the workspace before `open` back.
        _ = s.run("undo")
        #expect(s.workspace["visitors"]?.definition == "visitors = 1")
        #expect(s.workspace["profit"] == nil)
    }

    @Test func goalSeekSetsTheInputAndUndoRestoresIt() {
        let (s, _) = Self.session()
        _ = s.run("goalseek revenue = 2000000 by visitors")
        guard case .number(let v, _)? = s.workspace["visitors"]?.value, case .number(let r, _)? = s.workspace["revenue"]?.value else {
            Issue.record("no numbers"); return
        }
        #expect(abs(r - 2_000_000) <= 1e-10 * 2_000_000)
        #expect(abs(v - 2_000_000 / (0.03 * 486.2)) < 1e-6)
        _ = s.run("undo")
        #expect(s.workspace["visitors"]?.value == .number(12000, .plain))
    }

    @Test("refused commands change nothing", arguments: [
        "goalseek revenue = 1 by profit", "goalseek cost = 5 by visitors", "scenario x: nope = 1", "scenario apply nope",
        "rename visitors to aov", "rename visitors to list", "open \"missing.tally\"", "what if nope = 1",
        "datatable revenue by visitors in 1..10 step 0", "datatable revenue by visitors in 1..1000000 step 1",
        "t.w = v", "drop scenario nope",
    ])
    func refused(_ statement: String) {
        let (s, _) = Self.session()
        let before = Self.listing(s)
        let events = s.run(statement)
        #expect(events.contains { if case .error = $0 { return true } else { return false } })
        #expect(Self.listing(s) == before)
    }

    @Test func renameRewritesEveryReference() {
        let (s, _) = Self.session()
        _ = s.run("rename visitors to uv")
        #expect(s.workspace["revenue"]?.definition == "revenue = uv * conversion * aov")
        #expect(s.workspace["t"]?.columnFormulas.first?.definition == "t.v = w * uv")
        #expect(s.workspace.scenarios.first?.definition == "scenario best: uv = 15000, conversion = 4%")
        _ = s.run("uv = 10000")
        #expect(s.workspace["revenue"]?.value == .number(10000 * 0.03 * 486.2, .plain))
    }

    @Test("undo keeps definitions, not values: 200 redefinitions over a table")
    func undoMemory() throws {
        let s = Session()
        let rows = 200_000
        let t = try #require(Table(names: ["amount"], columns: [.numbers((0..<rows).map(Double.init))]))
        s.defineTable("t", t)
        _ = s.run("disc = 0.9")
        _ = s.run("t.net = amount * disc")
        for i in 0..<200 { _ = s.run("disc = \(Double(i) / 1000)") }
        // Each step holds a definition of a few bytes, never a copy of `t.net`.
        #expect(s.undoLog.bytes < 50_000)
        for _ in 0..<200 { _ = s.run("undo") }
        guard case .table(let back)? = s.workspace["t"]?.value, case .number(let net)? = back.column(named: "net")?.storage else {
            Issue.record("no table"); return
        }
        #expect(net.value(at: 10) == 9)
    }
}
