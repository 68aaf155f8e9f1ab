import Testing
import TallyCore
@testable import TallyLang

/// Inside a group aggregate, `table.column` is the whole column; a bare name is the group's rows.
@Suite struct GroupWholeColumnTests {
    let orders = Table(names: ["channel", "amount"], columns: [
        Column(values: [.text("JD"), .text("Tmall"), .text("JD"), .text("Douyin")]),
        Column(values: [.num(10), .num(30), .num(20), .num(40)]),
    ])!

    func run(_ source: String) throws -> Value {
        let expr = try Parser.parseExpression(source, source: 0)
        let t = orders
        return try Evaluator(lookup: { $0 == "orders" ? .table(t) : nil }).evaluate(expr)
    }

    func column(_ source: String, _ name: String) throws -> String {
        guard case .table(let t) = try run(source), let c = t.column(named: name) else { return "not a table" }
        return canonical(.column(c))
    }

    @Test func shareOfTheWholeColumn() throws {
        // Channels in ascending order: Douyin 40, JD 30, Tmall 30 of 100.
        #expect(try column("group(orders, channel, share: sum(amount) / sum(orders.amount))", "share") == "col[0.4, 0.3, 0.3]")
        #expect(try column("group(orders, channel, total: sum(orders.amount))", "total") == "col[100, 100, 100]")
        #expect(try column("group(orders, channel, n: count(orders.amount))", "n") == "col[4, 4, 4]")
        #expect(try column("group(orders, channel, top: max(orders.amount) - max(amount))", "top") == "col[0, 20, 10]")
    }

    @Test func bareNamesStillMeanTheGroupsRows() throws {
        #expect(try column("group(orders, channel, s: sum(amount))", "s") == "col[40, 30, 30]")
        #expect(try column("group(orders, channel, n: count())", "n") == "col[1, 2, 1]")
        // A constant stays per row of the group.
        #expect(try column("group(orders, channel, n: sum(1))", "n") == "col[1, 2, 1]")
        // Mixed bare and explicit columns: row by row within the group.
        #expect(try column("group(orders, channel, s: sum(amount + orders.amount))", "s") == "col[80, 60, 60]")
    }

    @Test func firstAndLastPerGroup() throws {
        #expect(try column("group(orders, channel, f: first(amount))", "f") == "col[40, 10, 30]")
        #expect(try column("group(orders, channel, l: last(amount))", "l") == "col[40, 20, 30]")
        #expect(try column("group(orders, channel, l: last(orders.amount))", "l") == "col[40, 40, 40]")
        #expect(try column("group(orders, channel, s: at(amount, 1))", "s") == "col[40, 10, 30]")
        #expect(canonical(try run("orders.amount[4]")) == "40")
        #expect(canonical(try run("first(orders.channel)")) == "\"JD\"")
        #expect(canonical(try run("last(orders.amount)")) == "40")
    }

    @Test func pivotCellsToo() throws {
        guard case .table(let t) = try run("pivot(orders, rows: channel, cols: channel, value: sum(amount) / sum(orders.amount))") else {
            Issue.record("not a table"); return
        }
        #expect(canonical(.column(t.column(named: "JD")!)) == "col[empty, 0.3, empty]")
    }
}
