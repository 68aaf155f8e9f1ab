import Foundation
import Testing
import TallyCore
import TallyLang
import TallyPostgres
import TallyREPL

/// A script whose statements give one server different passwords: each `load` connects with
/// the password typed in it (a script used to be stripped of its passwords as a whole before
/// it ran, so the first load connected with the last line's password).
@Suite(.serialized) struct ScriptPasswordLiveTests {
    @Test(arguments: [false, true])
    func eachLoadUsesItsOwnPassword(_ oneLine: Bool) throws {
        if PushdownLiveTests.skipped() { return }
        let url = PushdownLiveTests.url ?? ""
        guard let at = url.firstIndex(of: "@"), let colon = url[..<at].lastIndex(of: ":") else { return }
        let wrong = String(url[...colon]) + "not-the-password" + String(url[at...])
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        let first = "load postgres \"\(url)\" table \"orders\" as a", second = "load postgres \"\(wrong)\" table \"orders\" as b"
        if oneLine {
            #expect(!d.execute(first + "; " + second, name: nil, line: 1))
        } else {
            #expect(d.runScript(first + "\n" + second + "\n", name: "script.tally", keepGoing: true) == 1)
        }
        #expect(d.session.workspace["a"] != nil, "\(out.text)")
        #expect(d.session.workspace["b"] == nil, "\(out.text)")
        #expect(out.text.contains("password authentication failed"), "\(out.text)")
        let password = String(url[url.index(after: colon)..<at])
        #expect(!out.text.contains(password) && !out.text.contains("not-the-password"), "a password is shown: \(out.text)")
    }
}
