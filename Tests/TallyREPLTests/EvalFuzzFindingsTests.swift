import Foundation
import Testing
import TallyLang
@testable import TallyREPL

/// Inputs found by the eval fuzzer (`scripts/fuzz`), run on the demo workspace.
struct EvalFuzzFindingsTests {
    /// FuzzEval timeout-411175d1 (exact bytes): it timed out after earlier inputs of the same
    /// process had left tables in a column; alone it runs, and must keep running.
    @Test func timeoutInputRuns() {
        let bytes = Array(Data(base64Encoded: "b3JkZXJzID0gdGFibGUoZDogW2RhdGUoIjIwMjYtMDEtMDUiKSwgZGF0ZSgiMjAyNi0wMS0yMCIpLCBkYXRlKCIyMDI2LTAyLTAzIiksIGRhdGUoIjIwMjYtMDQtMTEiKV0sZW9tb250aCBhbQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAb3VudDogWzEwLCAyMCwgMzAsIDQwXSkKZ3JvdXAob3JkZXJzLCBtb250aDogbW9udGgoZCksIHJldmVudWU6IHN1bShhbW91bnQpLCBvcmRlcnM6IGNvdW50KCkpCnRvdGFsID0gc3VtKG9yZGVycy5hbW91bnQpCmdyb3VwKG9yZGVycywgcTogcXVhcnRlcihkKSwgc2hhcmU6IHN1bShhbW91bnQpIC8gdG90YWwgYXMgJSkKZ3JvdXAob3JkZXJzLCBkOiBtb250aChkKSwgbjogY291bnQoKSkK") ?? Data())
        #expect(bytes.count == 405)
        let out = CapturedOutput()
        let driver = Driver(output: out)
        driver.loadDemo(announce: false)
        for s in ScriptSplitter.statements(String(decoding: bytes, as: UTF8.self)) {
            driver.execute(s.text, name: nil, line: 1)
        }
        #expect(!out.text.isEmpty)
    }

    /// The cause: `group` by a column of eight 5,000-row tables took over 2 s (release).
    @Test func groupByAColumnOfTablesIsQuick() {
        let out = CapturedOutput()
        let driver = Driver(output: out)
        driver.loadDemo(announce: false)
        let copies = Array(repeating: "orders", count: 40).joined(separator: ", ")
        let ones = Array(repeating: "1", count: 40).joined(separator: ", ")
        let start = ContinuousClock.now
        #expect(driver.execute("y = table(k: [\(copies), customers], v: [\(ones), 2])", name: nil, line: 1))
        #expect(driver.execute("group(y, k: k, n: count())", name: nil, line: 1))
        #expect(ContinuousClock.now - start < .seconds(10))
        #expect(out.text.contains("│ 40 │"))
    }
}
