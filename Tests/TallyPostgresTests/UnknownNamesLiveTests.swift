import Foundation
import Testing
import TallyCore
import TallyLang
import TallyPostgres
import TallyREPL

/// A step that runs here over a remote table's rows, with a name it cannot know, is refused
/// before any row is fetched, with the message it gives over the CSV.
@Suite(.serialized) struct UnknownNamesLiveTests {
    static let cases: [(String, String)] = [
        ("where(X, amout > 3)", "unknown name `amout`"),
        ("select(X, amout)", "has no column `amout`"),
        ("group(X, channel, s: summ(amount))", "unknown function `summ`"),
        ("export where(X, amout > 3) to \"/tmp/tally-never-written.csv\"", "unknown name `amout`"),
    ]

    @Test(arguments: cases)
    func refusedBeforeAnyRowIsFetched(_ c: (String, String)) throws {
        if PushdownLiveTests.skipped() { return }
        let out = CapturedOutput()
        let d = PushdownLiveTests.driver(out)
        for table in ["c", "o"] {
            let before = out.text.count
            let statement = c.0.replacingOccurrences(of: "X", with: table)
            #expect(!d.execute(c.0.hasPrefix("export") ? statement : "x = " + statement, name: nil, line: 1))
            let said = String(out.text.dropFirst(before))
            #expect(said.contains(c.1) && said.contains("did you mean"), "\(table): \(said)")
            #expect(!said.contains("fetched") && !said.contains("ran here") && !said.contains("`fetched`"), "\(said)")
        }
        #expect(d.session.workspace["x"] == nil)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/tally-never-written.csv"))
    }
}
