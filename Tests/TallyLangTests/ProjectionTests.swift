import Testing
import TallyCore
@testable import TallyLang

/// A filter gathers only the columns its consumer reads (`count` none, `.amount` one),
/// with the same answers and the same errors as when it gathers them all.
@Suite struct ProjectionTests {
    static let orders: Value = {
        let t = Table(names: ["amount", "channel", "day"], columns: [
            Column(values: [.num(120), .num(80), .empty, .num(300)]),
            Column(values: [.text("JD"), .text("Tmall"), .text("JD"), .empty]),
            Column(values: [.date(TallyDate(days: 1)), .date(TallyDate(days: 2)), .date(TallyDate(days: 3)), .date(TallyDate(days: 4))]),
        ])
        return t.map(Value.table) ?? .empty
    }()

    static func run(_ source: String) throws -> Value {
        try Evaluator(lookup: { $0 == "t" ? orders : nil }).evaluate(try Parser.parseExpression(source, source: 0))
    }

    @Test(arguments: [
        ("count(where(t, amount > 100))", "2"),
        ("count(where(t, channel == \"JD\"))", "2"),
        ("sum(where(t, amount > 100).amount)", "420"),
        ("count(where(t, true), where(t, false))", "4"),
        ("count(sort(where(t, amount > 0), channel))", "3"),
    ])
    func answersAreUnchanged(_ source: String, _ expected: String) throws {
        #expect(Operators.display(try Self.run(source)) == expected)
    }

    @Test func aMissingColumnIsReportedWithEveryColumnInView() {
        do {
            _ = try Self.run("where(t, amount > 100).amout")
            Issue.record("expected an error")
        } catch let error as TallyError {
            #expect(error.hint?.contains("amount") == true)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func theTableItselfKeepsEveryColumn() throws {
        guard case .table(let t) = try Self.run("where(t, amount > 100)") else { Issue.record("no table"); return }
        #expect(t.names == ["amount", "channel", "day"])
    }
}
