import Testing
@testable import TallyCore

/// `Column.concatenated` against a per-row reference written from the scalar `&` rule.
struct ConcatTests {
    /// The text `&` shows for one cell.
    static func shown(_ v: Value) -> String {
        switch v {
        case .number(let x, _):
            guard x.isFinite else { return "#NUM!" }
            return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        case .text(let s): return s
        case .date(let d): return d.iso
        case .bool(let b): return b ? "true" : "false"
        default: return ""
        }
    }

    static let d0 = Value.date(TallyDate(days: 0)), d1 = Value.date(TallyDate(days: 20_000)), d2 = Value.date(TallyDate(days: -800))

    @Test("column & column equals the per-row texts", arguments: [
        ([Value.text("a"), .text("ab"), .text("a"), .empty], [Value.text("bc"), .text("c"), .text("bc"), .text("x")]),
        ([.num(1e20), .num(0.1), .num(-0.0), .num(0), .num(3), .empty, .num(1e15), .num(-2.5)],
         [.text("x"), .text("x"), .text("x"), .text("x"), .empty, .text(""), .text("y"), .empty]),
        ([d0, d1, d2, .empty, d0], [.num(1), .num(1), .num(2), .num(3), .num(1)]),
        ([.bool(true), .bool(false), .empty, .bool(true)], [d0, .empty, .empty, d0]),
        ([.empty, .empty], [.empty, .empty]),
        ([.text("1"), .text("12")], [.num(23), .num(3)]),
        ([], []),
        // One width on one side: pair texts are distinct unless a side repeats a text.
        ([.text("ab"), .text("cd"), .text("ab")], [.text("x"), .text("yz"), .text("x")]),
        ([.text("a"), .text("ab"), .text("e")], [.text("bc"), .text("c"), .text("\u{301}")]),
        ([.text("\u{E9}"), .text("e\u{301}"), .text("ab")], [.text("xy"), .text("xy"), .text("x\u{301}")]),
    ])
    func columns(_ a: [Value], _ b: [Value]) throws {
        let out = try #require(Column.concatenated(Column(values: a), Column(values: b)))
        #expect(out.values == zip(a, b).map { .text(Self.shown($0) + Self.shown($1)) })
        #expect(out.validity == nil)
        guard case .text(_, let dict) = out.storage else { Issue.record("not text"); return }
        #expect(Set(dict).count == dict.count)
    }

    @Test("column & scalar and scalar & column", arguments: [
        [Value.text("a"), .empty, .text("b"), .text("a")],
        [.num(1), .num(0.5), .empty, .num(1e300)],
        [d1, .empty, d2],
        [.bool(false), .bool(true), .empty],
    ])
    func scalar(_ a: [Value]) throws {
        for first in [false, true] {
            let out = try #require(Column.concatenated(Column(values: a), scalar: "-", scalarFirst: first))
            #expect(out.values == a.map { .text(first ? "-" + Self.shown($0) : Self.shown($0) + "-") })
        }
    }

    @Test func collisionsShareOneCode() throws {
        let out = try #require(Column.concatenated(Column(values: [.text("a"), .text("ab")]), Column(values: [.text("bc"), .text("c")])))
        guard case .text(let codes, let dict) = out.storage else { Issue.record("not text"); return }
        #expect(dict == ["abc"])
        #expect(codes == [0, 0])
    }

    @Test func aDictionaryRepeatingATextStillDeduplicates() throws {
        let a = Column(storage: .text(codes: [0, 1], dictionary: ["ab", "ab"]))
        let out = try #require(Column.concatenated(a, Column(values: [.text("x"), .text("x")])))
        guard case .text(let codes, let dict) = out.storage else { Issue.record("not text"); return }
        #expect(dict == ["abx"])
        #expect(codes == [0, 0])
    }

    @Test func equivalentTextsShareOneCode() throws {
        let out = try #require(Column.concatenated(Column(values: [.text("e"), .text("\u{E9}")]), Column(values: [.text("\u{301}"), .empty])))
        guard case .text(let codes, let dict) = out.storage else { Issue.record("not text"); return }
        #expect(dict.count == 1)
        #expect(codes == [0, 0])
    }

    @Test func mixedOrUnequalLengthsTakeTheSlowPath() {
        let mixed = Column(values: [.num(1), .text("a")])
        #expect(Column.concatenated(mixed, Column(values: [.text("x"), .text("y")])) == nil)
        #expect(Column.concatenated(mixed, scalar: "x", scalarFirst: false) == nil)
        #expect(Column.concatenated(Column(values: [.text("x")]), Column(values: [.text("x"), .text("y")])) == nil)
    }

    @Test func tooLongTakesTheSlowPath() {
        let big = String(repeating: "x", count: Column.maxConcatenatedBytes)
        #expect(Column.concatenated(Column(values: [.text(big)]), Column(values: [.text("y")])) == nil)
        #expect(Column.concatenated(Column(values: [.text(big)]), scalar: "", scalarFirst: true) != nil)
    }

    @Test func randomColumnsMatchTheReference() throws {
        var g = SystemRandomNumberGenerator()
        let pool: [Value] = [.text("a"), .text("ab"), .text("b"), .text("bc"), .text(""), .empty, .text("c")]
        let numbers: [Value] = [.num(1), .num(12), .num(0.25), .empty, .num(-0.0), .num(2)]
        for _ in 0..<50 {
            let n = Int.random(in: 0...40, using: &g)
            let a = (0..<n).map { _ in pool.randomElement(using: &g) ?? .empty }
            let other = Bool.random(using: &g) ? pool : numbers
            let b = (0..<n).map { _ in other.randomElement(using: &g) ?? .empty }
            let out = try #require(Column.concatenated(Column(values: a), Column(values: b)))
            #expect(out.values == zip(a, b).map { .text(Self.shown($0) + Self.shown($1)) })
        }
    }
}
