import Testing
import TallyCore
@testable import TallyREPL

struct TableWidthTests {
    static let long = "华东地区销售额非常非常高的客户名称很长很长很长很长"

    @Test("a drawn table is never wider than the width", arguments: [20, 24, 30, 41, 60, 80])
    func fits(_ width: Int) {
        for output in [Settings.OutputMode.box, .plain] {
            var s = Settings()
            s.width = width
            s.output = output
            let rows: [[Value]] = [
                [.text(Self.long), .text(Self.long + "x"), .num(1_234_567), .text("转化率")],
                [.text("North"), .text("a"), .num(2), .text(Self.long)],
            ]
            let out = TableFormatter(settings: s).render(headers: ["客户名称很长很长很长", "区域", "amount", "备注"], rows: rows)
            for line in out.split(separator: "\n") where !line.hasPrefix("(") {
                #expect(DisplayWidth.of(String(line)) <= width, "\(output) width \(width): \(line)")
            }
        }
    }

    @Test func oneVeryWideColumnIsCutToTheWidth() {
        var s = Settings()
        s.width = 20
        let out = TableFormatter(settings: s).render(headers: ["名称"], rows: [[.text(Self.long + Self.long)]])
        let lines = out.split(separator: "\n")
        #expect(lines.allSatisfy { DisplayWidth.of(String($0)) <= 20 })
        #expect(lines.contains { $0.contains("…") })
    }

    @Test func widthAutoGoesBackToTheTerminal() throws {
        var s = Settings()
        s.terminalWidth = 60
        let d = Driver(settings: s, output: CapturedOutput())
        d.execute("set width 30", name: nil, line: 1)
        #expect(d.settings.width == 30 && !d.settings.widthFollowsTerminal)
        d.execute("set width auto", name: nil, line: 1)
        #expect(d.settings.width == 60 && d.settings.widthFollowsTerminal)
        d.settings.terminalWidth = nil
        d.execute("set width auto", name: nil, line: 1)
        #expect(d.settings.width == Settings.unlimitedWidth)
    }
}
