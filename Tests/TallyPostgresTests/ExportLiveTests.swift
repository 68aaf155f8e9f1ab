import Foundation
import Testing
import TallyCore
import TallyLang
import TallyPostgres
import TallyREPL

/// `export` of a remote table against a real server (as `PushdownLiveTests`): the rows are
/// read through a cursor a batch at a time and written as they come, giving the same file as
/// the same export of the CSV; a failure or Ctrl-C midway leaves the old file as it was.
@Suite(.serialized) struct ExportLiveTests {
    static let folder = NSTemporaryDirectory() + "tally-export-live-\(getpid())/"

    static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(missing)" }

    /// What is left in the folder beside the files themselves (a temporary file would show).
    static func leftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.contains(".tally-tmp-") }
    }

    static let cases = [("X", "csv"), ("where(X, amount > 3000)", "csv"), ("head(sort(X, amount, desc, order_id, desc), 300)", "tsv"),
                        ("group(X, region, total: sum(amount), n: count())", "csv"), ("where(X, amount > 3000)", "md")]

    @Test func aRemoteExportIsTheCSVsExport() throws {
        if PushdownLiveTests.skipped() { return }
        try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
        let out = CapturedOutput()
        let d = PushdownLiveTests.driver(out)
        for c in Self.cases {
            let remote = Self.folder + "remote.\(c.1)", local = Self.folder + "local.\(c.1)"
            let before = out.text.count
            #expect(d.execute("export \(c.0.replacingOccurrences(of: "X", with: "o")) to \"\(remote)\", force: true", name: nil, line: 1), "\(out.text)")
            let said = String(out.text.dropFirst(before))
            #expect(d.execute("export \(c.0.replacingOccurrences(of: "X", with: "c")) to \"\(local)\", force: true", name: nil, line: 1), "\(out.text)")
            #expect(Self.read(remote) == Self.read(local), "\(c)")
            // CSV and TSV are written batch by batch; Markdown is made from the whole table.
            #expect(said.contains("65,536 at a time") == (c.1 != "md"), "\(c): \(said)")
        }
        #expect(Self.leftovers().isEmpty)
    }

    /// Ctrl-C after the first batch was written, and a server error in the second batch:
    /// the old file stays as it was, no temporary file is left, and the connection works.
    @Test(arguments: [
        "select x::int8 as x from generate_series(1, 100000) x where case when x < 70000 then true else (select true from pg_sleep(10)) end",
        "select (1 / (x - 70000))::int8 as x from generate_series(1, 100000) x",
    ])
    func aStoppedExportLeavesTheOldFile(_ query: String) throws {
        if PushdownLiveTests.skipped() { return }
        try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
        let out = CapturedOutput()
        let d = PushdownLiveTests.driver(out)
        let path = Self.folder + "kept.csv"
        #expect(d.execute("export table(x: [1, 2]) to \"\(path)\", force: true", name: nil, line: 1), "\(out.text)")
        let before = Self.read(path)
        #expect(d.execute("load postgres \"\(PushdownLiveTests.url ?? "")\" query \"\(query)\" as q", name: nil, line: 1), "\(out.text)")
        let start = Date(), stops = query.contains("pg_sleep")
        d.isInterrupted = { stops && Date().timeIntervalSince(start) > 2 }
        #expect(!d.execute("export q to \"\(path)\"", name: nil, line: 1), "\(out.text)")
        d.isInterrupted = { false }
        #expect(Date().timeIntervalSince(start) < 8, "not stopped")
        #expect(out.text.contains(stops ? "interrupted" : "division by zero"), "\(out.text.suffix(400))")
        #expect(Self.read(path) == before)
        #expect(Self.leftovers().isEmpty, "\(Self.leftovers())")
        #expect(d.execute("k = count(o)", name: nil, line: 1), "\(out.text.suffix(400))")
        #expect(d.session.workspace["k"]?.value == .num(100_000))
    }
}
