import Foundation
import Testing
@testable import TallyREPL

struct CompletionTests {
    static func driver() -> Driver {
        let d = Driver(settings: Settings(), output: CapturedOutput())
        d.execute("orders = table(id: [1, 2], amount: [3, 4], region: [\"n\", \"s\"])", name: nil, line: 1)
        d.execute("visitors = 12000", name: nil, line: 1)
        return d
    }

    @Test("completions", arguments: [
        // (line up to the cursor, word, expected candidates)
        ("sort(orders, am", "am", ["amount"]),
        ("sort(orders, -am", "am", ["amount"]),
        ("filter(orders, reg", "reg", ["region"]),
        ("sum(orders.am", "orders.am", ["orders.amount"]),
        ("ord", "ord", ["orders"]),
        ("visi", "visi", ["visitors"]),
        ("sort(am", "am", []),
        ("set ", "", Settings.names.sorted()),
        ("set ou", "ou", ["output"]),
        ("set output ", "", ["box", "csv", "markdown", "plain"]),
        ("set lang ", "", ["en", "zh"]),
        ("set timer o", "o", ["off", "on"]),
        ("set color ", "", ["off", "on"]),
        ("set width ", "", ["auto"]),
        ("set decimals ", "", []),
    ])
    func candidates(_ line: String, _ word: String, _ expected: [String]) {
        #expect(Self.driver().completions(line: line, word: word) == expected)
    }

    @Test func helpCompletesCommandsAndFunctions() {
        let found = Self.driver().completions(line: "help ", word: "")
        #expect(found.contains("round"))
        #expect(found.contains("load"))
        #expect(found.contains("set"))
        #expect(!found.contains("round("))
        #expect(Self.driver().completions(line: "help rou", word: "rou").contains("round"))
    }

    @Test func tableNameTakesNoSpaceButCommandsDo() {
        let d = Self.driver()
        #expect(!d.completionWantsSpace(after: ["orders"], line: "describe ord", word: "ord"))
        #expect(!d.completionWantsSpace(after: ["orders"], line: "ord", word: "ord"))
        #expect(d.completionWantsSpace(after: ["visitors"], line: "visi", word: "visi"))
        #expect(d.completionWantsSpace(after: ["output"], line: "set ou", word: "ou"))
        #expect(!d.completionWantsSpace(after: ["round("], line: "rou", word: "rou"))
        #expect(!d.completionWantsSpace(after: ["data/"], line: "load \"da", word: "da"))
    }

    @Test func loadCompletesFileNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tally-complete-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/orders.csv", contents: Data())
        FileManager.default.createFile(atPath: dir + "/orders-2024.csv", contents: Data())
        FileManager.default.createFile(atPath: dir + "/.hidden", contents: Data())
        let d = Self.driver()
        // `/` and `-` break words in libedit: the word is the end of the path.
        #expect(d.completions(line: "load \"\(dir)/ord", word: "ord") == ["orders-2024.csv", "orders.csv"])
        #expect(d.completions(line: "load \"\(dir)/orders-2", word: "2") == ["2024.csv"])
        #expect(d.completions(line: "load \"\(dir)/", word: "") == ["orders-2024.csv", "orders.csv", "sub/"])
        #expect(d.completions(line: "load \"\(dir)/s", word: "s") == ["sub/"])
        #expect(d.completions(line: "x = \"\(dir)/s", word: "s") == [])
    }
}
