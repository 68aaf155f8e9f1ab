import Testing
import TallyCore
@testable import TallyLang

/// `pivot` cells, its totals (`totals: true`) and its shares (`as: "share"`, `of:`).
@Suite struct PivotTests {
    // N/JD = 1 + 6 = 7, N/Tmall = 3, S/JD = 4 + 2 = 6, S/Tmall none; rows N 10, S 6;
    // columns JD 13, Tmall 3; grand total 16.
    let t = Table(names: ["r", "c", "x", "name"], columns: [
        Column(values: [.text("N"), .text("N"), .text("S"), .text("S"), .text("N")]),
        Column(values: [.text("JD"), .text("Tmall"), .text("JD"), .text("JD"), .text("JD")]),
        Column(values: [.num(1), .num(3), .num(4), .num(2), .num(6)]),
        Column(values: [.text("a"), .text("b"), .text("c"), .text("d"), .text("e")]),
    ])!

    func run(_ source: String) throws -> Value {
        let expr = try Parser.parseExpression(source, source: 0)
        let t = self.t
        return try Evaluator(lookup: { $0 == "t" ? .table(t) : nil }).evaluate(expr)
    }

    /// `names | row | row ... | total row` with cells in canonical form.
    func render(_ source: String) throws -> String {
        guard case .table(let p) = try run(source) else { return "not a table" }
        var parts = [p.names.joined(separator: ",")]
        for i in 0..<p.rowCount { parts.append(p.columns.map { canonical($0[i]) }.joined(separator: ",")) }
        if !p.display.totals.isEmpty {
            parts.append(([p.display.totalLabel] + p.names.dropFirst().map { p.display.totals[$0].map(canonical) ?? "-" })
                .joined(separator: ","))
        }
        return parts.joined(separator: " | ")
    }

    static let base = "pivot(t, rows: r, cols: c, value: "

    @Test("cells, totals and shares", arguments: [
        ("sum(x))", "r,JD,Tmall | \"N\",7,3 | \"S\",6,empty"),
        ("sum(x), totals: true)", "r,JD,Tmall,Total | \"N\",7,3,10 | \"S\",6,empty,6 | Total,13,3,16"),
        ("sum(x), totals: false)", "r,JD,Tmall | \"N\",7,3 | \"S\",6,empty"),
        ("count(), totals: true)", "r,JD,Tmall,Total | \"N\",2,1,3 | \"S\",2,empty,2 | Total,4,1,5"),
        // Totals aggregate the rows they cover, as Excel's grand totals: the average of the rows.
        ("avg(x), totals: true)", "r,JD,Tmall,Total | \"N\",3.5,3,3.333333333 | \"S\",3,empty,3 | Total,3.25,3,3.2"),
        ("sum(x), as: \"share\")", "r,JD,Tmall | \"N\",0.4375 %,0.1875 % | \"S\",0.375 %,empty"),
        ("sum(x), as: \"share\", of: \"all\", totals: true)",
         "r,JD,Tmall,Total | \"N\",0.4375 %,0.1875 %,0.625 % | \"S\",0.375 %,empty,0.375 % | Total,0.8125 %,0.1875 %,1 %"),
        ("sum(x), as: \"share\", of: \"row\", totals: true)",
         "r,JD,Tmall,Total | \"N\",0.7 %,0.3 %,1 % | \"S\",1 %,empty,1 % | Total,0.8125 %,0.1875 %,1 %"),
        ("sum(x), as: \"share\", of: \"col\", totals: true)",
         "r,JD,Tmall,Total | \"N\",0.5384615385 %,1 %,0.625 % | \"S\",0.4615384615 %,empty,0.375 % | Total,1 %,1 %,1 %"),
        ("sum(x), as: \"value\")", "r,JD,Tmall | \"N\",7,3 | \"S\",6,empty"),
        // A zero total is #DIV/0!; a cell that is not a number cannot be a share.
        ("sum(x) * 0, as: \"share\", totals: true)",
         "r,JD,Tmall,Total | \"N\",#DIV/0!,#DIV/0!,#DIV/0! | \"S\",#DIV/0!,empty,#DIV/0! | Total,#DIV/0!,#DIV/0!,#DIV/0!"),
        ("first(name), as: \"share\")", "r,JD,Tmall | \"N\",#VALUE!,#VALUE! | \"S\",#VALUE!,empty"),
    ])
    func pivot(_ rest: String, _ expected: String) throws {
        #expect(try render(Self.base + rest) == expected)
    }

    @Test func noRows() throws {
        #expect(try render("pivot(where(t, x > 100), rows: r, cols: c, value: sum(x), totals: true, as: \"share\")")
            == "r,Total | Total,empty")
    }

    @Test func totalColumnNameDoesNotClash() throws {
        let s = "pivot(table(r: [1, 1, 2], c: [\"Total\", \"JD\", \"JD\"], x: [1, 2, 3]), rows: r, cols: c, value: sum(x), totals: true)"
        #expect(try render(s) == "r,JD,Total,Total_2 | 1,2,1,3 | 2,3,empty,3 | Total,5,1,6")
    }

    @Test("refused with a caret and a did-you-mean", arguments: [
        ("sum(x), as: \"shares\")", "pivot: as must be \"value\" or \"share\", not \"shares\"", "did you mean \"share\"?"),
        ("sum(x), of: \"row\")", "pivot: `of:` applies to shares", "add as: \"share\", or leave out of:"),
        ("sum(x), as: \"share\", of: \"column\")", "pivot: of must be \"all\" or \"row\" or \"col\", not \"column\"", "did you mean \"col\"?"),
        ("sum(x), total: true)", "pivot has no parameter `total`", "did you mean `totals`?"),
    ])
    func refused(_ rest: String, _ message: String, _ hint: String) {
        do {
            _ = try run(Self.base + rest)
            Issue.record("accepted: \(rest)")
        } catch let e as TallyError {
            #expect(e.message == message)
            #expect(e.hint == hint)
            #expect(e.span != nil)
        } catch {
            Issue.record("\(error)")
        }
    }
}
