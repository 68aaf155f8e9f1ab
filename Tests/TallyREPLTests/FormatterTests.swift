import Testing
import TallyCore
import TallyLang
@testable import TallyREPL

struct FormatterTests {
    @Test("numbers", arguments: [
        (12000.0, NumberFormat.plain, "12,000"), (486.2, .plain, "486.20"), (0.03, .percent, "3.00%"),
        (175032.0, .money, "175,032.00"), (-1234567.891, .plain, "-1,234,567.89"), (0.001234, .plain, "0.00123"),
        (1.0 / 3, .plain, "0.33"), (-0.0, .plain, "0"), (1e20, .plain, "1e+20"), (0.5, .percent, "50.00%"),
        (999.999, .plain, "1,000.00"), (100, .plain, "100"), (-0.004, .plain, "-0.004"), (1_000_000, .plain, "1,000,000"),
    ])
    func number(_ x: Double, _ f: NumberFormat, _ expected: String) {
        #expect(ValueFormatter().number(x, f) == expected)
    }

    @Test("display width counts CJK as two columns", arguments: [
        ("abc", 3), ("转化率", 6), ("a转b", 4), ("", 0), ("é", 1), ("ア", 2), ("ｱ", 1), ("，", 2),
    ])
    func width(_ s: String, _ w: Int) {
        #expect(DisplayWidth.of(s) == w)
    }

    @Test func padAndTruncate() {
        #expect(DisplayWidth.pad("转化", to: 6) == "转化  ")
        #expect(DisplayWidth.pad("12", to: 5, right: true) == "   12")
        #expect(DisplayWidth.truncate("转化率很高", to: 7) == "转化率…")
    }

    @Test("labels cut to a width stay distinct", arguments: [
        (["important value", "important win-back", "general value"], 6, ["impo…e", "impo…k", "gener…"]),
        (["important value", "important retention"], 9, ["importa…e", "importa…n"]),
        (["a", "bb"], 4, ["a", "bb"]),
        (["重要价值客户", "重要保持客户"], 7, ["重要价…", "重要保…"]),
        (["same", "same"], 3, ["sa…", "sa…"]),
    ])
    func distinctLabels(_ labels: [String], _ width: Int, _ expected: [String]) {
        #expect(DisplayWidth.distinct(labels, to: width) == expected)
    }

    @Test func boxTableAlignsCJKAndNumbers() {
        var s = Settings()
        s.width = 80
        let out = TableFormatter(settings: s).render(headers: ["region", "amount"],
                                                     rows: [[.text("华东"), .num(1200)], [.text("North"), .num(35.5)]])
        #expect(out == """
        ┌────────┬────────┐
        │ region │ amount │
        ├────────┼────────┤
        │ 华东   │  1,200 │
        │ North  │  35.50 │
        └────────┴────────┘

        """)
    }

    @Test("scripts split into statements", arguments: [
        ("a = 1\nb = 2\n", [("a = 1", 1), ("b = 2", 2)]),
        ("# c\n\nx = f(1,\n 2)\ny = 3", [("x = f(1,\n 2)", 3), ("y = 3", 5)]),
        ("#!/usr/bin/env tally\nz = 1\r\n", [("z = 1", 2)]),
    ])
    func split(_ text: String, _ expected: [(String, Int)]) {
        let got = ScriptSplitter.statements(text)
        #expect(got.map(\.text) == expected.map(\.0))
        #expect(got.map(\.line) == expected.map(\.1))
    }
}
