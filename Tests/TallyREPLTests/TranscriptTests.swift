import Foundation
import Testing
@testable import TallyREPL

/// Golden transcripts: each `Transcripts/**/*.tally` is typed into a fresh REPL line by
/// line (the `scripts/` folder runs as a script file instead) and the output must equal
/// the committed `.out` byte for byte. `TALLY_RECORD=1 swift test` rewrites the `.out`
/// files; review the change with `git diff`.
struct TranscriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")

    static var cases: [String] {
        let e = FileManager.default.enumerator(atPath: root.path)
        var out: [String] = []
        while let p = e?.nextObject() as? String { if p.hasSuffix(".tally") { out.append(p) } }
        return out.sorted()
    }

    static func transcript(of relative: String) throws -> String {
        let input = try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
        var settings = Settings()
        settings.echo = true
        settings.banner = false
        settings.width = 100
        let out = CapturedOutput()
        let driver = Driver(settings: settings, output: out)
        if relative.hasPrefix("scripts/") {
            let code = driver.runScript(input, name: relative, keepGoing: relative.contains("keep-going"))
            return out.text + "[exit \(code)]\n"
        }
        var lines = input.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        _ = driver.runInteractive(ListLineSource(lines))
        return out.text
    }

    @Test("transcript", arguments: cases)
    func transcript(_ relative: String) throws {
        let actual = try Self.transcript(of: relative)
        let expectedURL = Self.root.appendingPathComponent(relative.replacingOccurrences(of: ".tally", with: ".out"))
        if ProcessInfo.processInfo.environment["TALLY_RECORD"] == "1" {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = (try? String(contentsOf: expectedURL, encoding: .utf8)) ?? "(no .out file: record with TALLY_RECORD=1)"
        #expect(actual == expected, "\(relative) differs from its .out; re-record with TALLY_RECORD=1 and review git diff")
    }
}
