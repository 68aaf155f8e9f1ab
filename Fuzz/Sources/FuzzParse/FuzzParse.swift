// The lexer and parser on any bytes: no input may crash or hang them; errors are data.
import FuzzSupport
import TallyLang

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: FuzzArgc, _ argv: FuzzArgv) -> CInt {
    Seeds.writeIfAsked(.parse)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: start.fuzzBytes(count), as: UTF8.self)
    _ = try? Parser.parseStatement(text, source: 0)
    // How the REPL and scripts cut input into statements.
    _ = Lexer.needsMoreInput(text)
    for s in ScriptSplitter.statements(text) { _ = try? Parser.parseStatement(s.text, source: 1) }
    _ = ScriptSplitter.unfinished(text)
    return 0
}
