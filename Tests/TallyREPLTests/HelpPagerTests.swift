import Testing
@testable import TallyREPL

/// `help` longer than the screen goes through the pager (on a terminal); short help does not.
struct HelpPagerTests {
    func driver(rows: Int, paged: Box) -> (Driver, CapturedOutput) {
        var settings = Settings()
        settings.banner = false
        let out = CapturedOutput()
        let d = Driver(settings: settings, output: out)
        d.pager = { _, produce in produce { paged.text += $0; return true } }
        d.screenHeight = { rows }
        return (d, out)
    }

    final class Box: @unchecked Sendable { var text = "" }

    @Test func longHelpIsPaged() {
        let paged = Box()
        let (d, out) = driver(rows: 30, paged: paged)
        d.execute("help", name: nil, line: 1)
        #expect(paged.text.hasPrefix("Commands (at the start of a line):"))
        #expect(out.text.isEmpty)
    }

    @Test func shortHelpIsPrinted() {
        let paged = Box()
        let (d, out) = driver(rows: 30, paged: paged)
        d.execute("help list", name: nil, line: 1)
        #expect(paged.text.isEmpty)
        #expect(out.text.hasPrefix("list"))
    }

    @Test func withoutAPagerHelpIsPrinted() {
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        d.screenHeight = { 10 }
        d.execute("help", name: nil, line: 1)
        #expect(out.text.hasPrefix("Commands (at the start of a line):"))
    }
}
