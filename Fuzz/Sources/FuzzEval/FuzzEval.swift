// The evaluator (through the REPL driver, so rendering runs too) on random statements
// against the demo workspace. One workspace per process, started again every
// `TALLY_FUZZ_RESET` inputs (default 200) so it cannot grow without bound; to replay a
// crash file alone, `TALLY_FUZZ_RESET=1` gives every input a fresh workspace.
//
// Statements that read or write files (`load "f"`, `save`, `open`, `export`, `run`,
// `chart ... to:`) are skipped, and the process works in its own temporary folder.
import Foundation
import FuzzSupport
import TallyLang
import TallyREPL

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: FuzzArgc, _ argv: FuzzArgv) -> CInt {
    Seeds.writeIfAsked(.eval)
    let folder = NSTemporaryDirectory() + "/tally-fuzz-eval-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    _ = FileManager.default.changeCurrentDirectoryPath(folder)
    return 0
}

/// Counts what the driver prints and keeps nothing.
final class DiscardingOutput: OutputSink, @unchecked Sendable {
    var bytes = 0
    func write(_ text: String) { bytes &+= text.utf8.count }
    func error(_ text: String) { bytes &+= text.utf8.count }
}

nonisolated(unsafe) var driver: Driver?
nonisolated(unsafe) var inputs = 0
let output = DiscardingOutput()
let resetEvery = max(1, Int(ProcessInfo.processInfo.environment["TALLY_FUZZ_RESET"] ?? "") ?? 200)

func workspace() -> Driver {
    if let d = driver, inputs % resetEvery != 0 { return d }
    let d = Driver(settings: Settings(), output: output)
    d.session.undoLimit = 20
    // A 1-second timeout is for hangs: legitimate big work (a 6.8M-row self-join of the
    // demo orders) is refused by the row guard instead, which the fuzzer then explores.
    d.session.maxRows = 200_000
    d.loadDemo(announce: false)
    driver = d
    return d
}

/// False for statements that would touch files outside the process.
func allowed(_ text: String) -> Bool {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let word = String(trimmed.prefix { $0.isLetter || $0 == "_" })
    switch word {
    case "run", "export", "save", "open": return false
    case "chart":
        let squeezed = trimmed.lowercased().filter { !$0.isWhitespace && $0 != "`" }
        if squeezed.contains("to:") || squeezed.contains("svg") { return false }
    default: break
    }
    if case .command(let c)? = try? Parser.parseStatement(text, source: 0) {
        switch c {
        case .load(let spec): if case .file = spec.source { return false }
        case .save, .open: return false
        default: break
        }
    }
    return true
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: start.fuzzBytes(count), as: UTF8.self)
    let d = workspace()
    inputs += 1
    var statements = ScriptSplitter.statements(text).map(\.text)
    // An input that never closes a bracket is run whole, as the REPL does at Ctrl-D.
    if statements.isEmpty && !text.allSatisfy(\.isWhitespace) { statements = [text] }
    for s in statements.prefix(8) where allowed(s) {
        d.execute(s, name: nil, line: 1)
    }
    return 0
}
