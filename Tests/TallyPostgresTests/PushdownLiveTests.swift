import Foundation
import Testing
import TallyCore
import TallyLang
import TallyPostgres
import TallyREPL

/// Against a real server (scripts/pg-test-server; TALLY_PG_URL names it): every pushed-down
/// operation gives, row for row, what the same statement gives over the CSV the server
/// was loaded from. Without TALLY_PG_URL these tests say so and pass.
@Suite(.serialized) struct PushdownLiveTests {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["TALLY_PG_URL"]
    static let csv = environment["TALLY_PG_CSV"] ?? "/tmp/tally-bench/tx_100k.csv"

    static func skipped() -> Bool {
        guard url == nil else { return false }
        print("skipped: no PostgreSQL server (TALLY_PG_URL is not set; scripts/test starts one with scripts/pg-test-server)")
        return true
    }

    /// A driver with the CSV as `c` and the server's `orders` as `o`; the server's
    /// `customers` as `cu` and a local copy of them as `cul`.
    static func driver(_ output: CapturedOutput) -> Driver {
        let d = Driver(settings: Settings(), output: output)
        d.execute("load \"\(csv)\" as c", name: nil, line: 1)
        d.execute("load postgres \"\(url ?? "")\" table \"orders\" as o", name: nil, line: 1)
        d.execute("load postgres \"\(url ?? "")\" table \"customers\" as cu", name: nil, line: 1)
        d.execute("cul = collect(cu)", name: nil, line: 1)
        return d
    }

    /// Each with X for the table: over `c` it runs here, over `o` on the server.
    static let operations = [
        "where(X, amount > 3000)",
        "where(X, channel == \"Tmall\" and amount < 20 or region == \"华东\" and not (amount >= 8))",
        "where(X, order_date >= date(\"2026-06-28\"))",
        "group(X, region, total: sum(amount), n: count())",
        "group(X, channel, region, a: avg(amount), lo: min(amount), hi: max(order_date), c: count_distinct(customer_id), m: median(amount))",
        "group(X, product_line, aov: sum(amount) / count(), first: min(customer_id))",
        "X |> where(amount > 100) |> group(product_line, total: sum(amount))",
        "X |> group(customer_id, total: sum(amount)) |> where(total > 3000)",
        "head(sort(X, customer_id, order_id), 300)",
        "X |> group(channel, product_line, n: count()) |> sort(n, desc)",
        "X |> group(customer_id, n: count()) |> top(20, by: n)",
        "head(sort(X, amount, desc, order_id, desc), 300)",
        "top(X, 25, by: order_id)",
        "head(sort(X, region, amount, desc, order_id), 15)",
        "select(top(X, 300, by: order_id), order_id, total: amount, region)",
        "count(where(X, region == \"华东\"))",
        // A pushed-down rfm lists customers in key order (rows on a server have no order), rfm
        // here in order of first appearance: sorted, they are the same.
        "sort(rfm(X, customer: customer_id, date: order_date, amount: amount), customer)",
        "sort(rfm(X, customer: customer_id, date: order_date, amount: amount, asof: date(\"2025-07-01\")), customer)",
        "abc(X, value: amount, by: customer_id)",
        "abc(X |> where(channel == \"Tmall\"), value: amount, by: product_line, a: 70%)",
        "abc(X, value: amount, by: region, method: \"computed\")",
        // Y: the customers, on the server beside `o`, a local copy beside `c`. The server has no
        // row order, so a join's rows are compared sorted (or grouped).
        "sort(join(X, Y, on: customer_id), order_id)",
        "join(X, Y, on: customer_id) |> group(cohort, n: count(), total: sum(amount))",
        "join(X, Y |> where(cohort < \"C005\"), on: customer_id, kind: \"left\") |> group(cohort, n: count(), total: sum(amount))",
        "head(sort(join(X |> where(amount > 2000), group(X, customer_id, amount: max(amount), n: count()), on: customer_id), order_id), 500)",
        "join(Y, X |> group(customer_id, region, total: sum(amount)), on: customer_id) |> group(cohort, region, total: sum(total))",
        "pivot(X, rows: region, cols: channel, value: sum(amount))",
        "pivot(X, rows: region, cols: channel, value: sum(amount), totals: true)",
        "pivot(X, rows: product_line, cols: region, value: avg(amount), totals: true)",
        "pivot(X |> where(amount > 100), rows: channel, cols: region, value: median(amount), totals: true)",
        "pivot(X, rows: region, cols: channel, value: count_distinct(customer_id), totals: true, as: \"share\", of: \"row\")",
        "pivot(X, rows: region, cols: product_line, value: count(), as: \"share\")",
        "pivot(X, rows: channel, cols: product_line, value: max(order_date), totals: true)",
        "split(1000000, X, by: region, weight: amount)",
        "split(1亿, X |> where(channel == \"Tmall\"), by: [region, product_line], weight: amount)",
        "split(5000000, X, by: [channel, region], weight: [amount, order_id], unit: 100)",
        // Small amounts tie: leaves of equal amounts list in the order of their first rows.
        "split(100, X |> where(amount > 3000), by: [region, channel, product_line], weight: amount)",
    ]

    @Test(arguments: operations)
    func sameAsTheCSV(_ operation: String) throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        _ = d.postgres.takeNotes()
        let here = operation.replacingOccurrences(of: "X", with: "c").replacingOccurrences(of: "Y", with: "cul")
        #expect(d.execute("local = " + here, name: nil, line: 1), "\(out.text)")
        let there = operation.replacingOccurrences(of: "X", with: "o").replacingOccurrences(of: "Y", with: "cu")
        #expect(d.execute("remote = " + there, name: nil, line: 1), "\(out.text)")
        #expect(d.postgres.takeNotes().isEmpty, "a step ran locally")
        let local = try #require(d.session.workspace["local"]?.value)
        let remote = try #require(d.session.workspace["remote"]?.value)
        if let problem = Self.difference(local, remote, notes: operation.hasPrefix("split") || operation.hasPrefix("abc")) { Issue.record("\(operation): \(problem)") }
    }

    /// The first difference between two results, nil when they are the same (number
    /// formats aside: the server's columns have none).
    static func difference(_ a: Value, _ b: Value, notes: Bool = false) -> String? {
        switch (a, b) {
        case (.table(let x), .table(let y)):
            guard x.names == y.names else { return "columns \(x.names) vs \(y.names)" }
            guard x.rowCount == y.rowCount else { return "\(x.rowCount) rows vs \(y.rowCount)" }
            for (n, (cx, cy)) in zip(x.names, zip(x.columns, y.columns)) {
                for i in 0..<x.rowCount where !same(cx[i], cy[i]) {
                    return "row \(i + 1), column \(n): \(cx[i]) vs \(cy[i])"
                }
            }
            // The total row (pivot, split) and, when asked, the notes under the table (split's
            // grouping, abc's rows summed).
            guard Set(x.display.totals.keys) == Set(y.display.totals.keys) else { return "totals of \(x.display.totals.keys.sorted()) vs \(y.display.totals.keys.sorted())" }
            for (k, v) in x.display.totals where !same(v, y.display.totals[k] ?? .empty) {
                return "total of \(k): \(v) vs \(y.display.totals[k] ?? .empty)"
            }
            guard !notes || x.display.notes == y.display.notes else { return "notes \(x.display.notes) vs \(y.display.notes)" }
            return nil
        default:
            return same(a, b) ? nil : "\(a) vs \(b)"
        }
    }

    /// Numbers equal up to the last bits of a Double: a sum on the server is the exact
    /// decimal sum, while Tally's own `group` adds Doubles (17673.079999999998 beside
    /// 17673.08); both show as the same figure.
    static func same(_ a: Value, _ b: Value) -> Bool {
        if case .number(let x, _) = a, case .number(let y, _) = b { return x == y || abs(x - y) <= 1e-12 * max(abs(x), abs(y)) }
        return a == b
    }

    @Test func pushedDownStepsAreExplained() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        var mark = out.text.count
        d.execute("explain o |> where(amount > 100) |> group(region, total: sum(amount))", name: nil, line: 1)
        #expect(String(out.text.dropFirst(mark)).contains(#"SELECT "region", COALESCE(sum("amount"), 0) AS "total" FROM "orders" WHERE ("amount" > 100) GROUP BY "region""#))
        #expect(!out.text.contains("tally-test"), "the password is shown")
        mark = out.text.count
        d.execute("explain o |> where(month(order_date) == 3)", name: nil, line: 1)
        #expect(String(out.text.dropFirst(mark)).contains("-- then here: `where`"))
    }

    @Test func aStepWithNoSQLFormRunsHereWithANote() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        #expect(d.execute("a = count(where(c |> where(amount > 5000), month(order_date) == 9))", name: nil, line: 1))
        let mark = out.text.count
        #expect(d.execute("b = count(where(o |> where(amount > 5000), month(order_date) == 9))", name: nil, line: 1))
        #expect(String(out.text.dropFirst(mark)).contains("note: `where` ran here, on the "), "\(out.text)")
        #expect(d.session.workspace["a"]?.value == d.session.workspace["b"]?.value)
    }

    /// A join with a local side, or across two servers, runs here and says so.
    @Test func aJoinWithALocalSideRunsHereWithANote() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        _ = d.postgres.takeNotes()
        #expect(d.execute("a = join(c, cul, on: customer_id) |> group(cohort, total: sum(amount))", name: nil, line: 1))
        var mark = out.text.count
        #expect(d.execute("b = join(o, cul, on: customer_id) |> group(cohort, total: sum(amount))", name: nil, line: 1))
        #expect(String(out.text.dropFirst(mark)).contains("note: `join` ran here, on the 100,000 rows fetched from the server (the other table is local)"), "\(out.text)")
        #expect(Self.difference(try #require(d.session.workspace["a"]?.value), try #require(d.session.workspace["b"]?.value)) == nil)
        mark = out.text.count
        #expect(d.execute("e = count(join(cul, o |> where(amount > 3000), on: customer_id))", name: nil, line: 1))
        #expect(String(out.text.dropFirst(mark)).contains("(the other table is local)"), "\(out.text)")
        #expect(d.execute("e0 = count(join(cul, c |> where(amount > 3000), on: customer_id))", name: nil, line: 1))
        #expect(d.session.workspace["e"]?.value == d.session.workspace["e0"]?.value)
        // The same server under another URL is another server to Tally.
        let other = (Self.url ?? "") + "?sslmode=disable"
        #expect(d.execute("load postgres \"\(other)\" table \"customers\" as far", name: nil, line: 1), "\(out.text)")
        mark = out.text.count
        #expect(d.execute("f = join(o, far, on: customer_id) |> group(cohort, total: sum(amount))", name: nil, line: 1))
        #expect(String(out.text.dropFirst(mark)).contains("(the tables are on different servers)"), "\(out.text)")
        #expect(Self.difference(try #require(d.session.workspace["a"]?.value), try #require(d.session.workspace["f"]?.value)) == nil)
        mark = out.text.count
        d.execute("explain join(o, far, on: customer_id)", name: nil, line: 1)
        #expect(String(out.text.dropFirst(mark)).contains("-- then here: `join` over the rows they return"), "\(out.text)")
    }

    /// A weight split refuses (here an empty one) is named by split itself, on the rows.
    @Test func aSplitWithAnEmptyWeightFetchesTheRows() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        d.execute("load postgres \"\(Self.url ?? "")\" query \"select region, nullif(amount, amount) as w from orders limit 3\" as gaps", name: nil, line: 1)
        #expect(d.execute("s = split(100, gaps, by: region, weight: w)", name: nil, line: 1), "\(out.text)")
        #expect(out.text.contains("note: `split` ran here, on the 3 rows the server returned"), "\(out.text)")
        // As over local rows: an error value naming the part.
        guard case .error(let e)? = d.session.workspace["s"]?.value else { Issue.record("not an error value: \(out.text)"); return }
        #expect(e.message.contains("split: weight of") && e.message.contains("is empty"), "\(e.message)")
    }

    /// `set pg_timeout`: a query the server runs longer is stopped, one line names the
    /// server and the limit, and nothing is defined.
    @Test func aSlowQueryStopsAtPgTimeout() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        #expect(d.execute("set pg_timeout 1", name: nil, line: 1))
        // A load reads the columns only (through a view), so it never waits for the query;
        // `select pg_sleep(5)` itself has a column of type void, which the server refuses at once.
        var start = Date()
        #expect(!d.execute("load postgres \"\(Self.url ?? "")\" query \"select pg_sleep(5)\" as nap", name: nil, line: 1))
        #expect(Date().timeIntervalSince(start) < 3)
        #expect(out.text.contains(#"column "pg_sleep" has pseudo-type void"#), "\(out.text)")
        #expect(d.session.workspace["nap"] == nil)
        #expect(d.execute("load postgres \"\(Self.url ?? "")\" query \"select 1::int as n from pg_sleep(5)\" as slow", name: nil, line: 1), "\(out.text)")
        let mark = out.text.count
        start = Date()
        #expect(!d.execute("rows = collect(slow)", name: nil, line: 1))
        #expect(Date().timeIntervalSince(start) < 4, "not stopped at the timeout")
        let said = String(out.text.dropFirst(mark))
        #expect(said.contains("error: postgres at postgresql://tally@"), "\(said)")
        #expect(said.contains("the query ran longer than pg_timeout (1 s), so the server stopped it"), "\(said)")
        #expect(said.split(separator: "\n").first { $0.hasPrefix("error:") }.map { !$0.contains("tally-test") } == true)
        #expect(d.session.workspace["rows"] == nil)
        // The connection stays usable, and off lets the query finish.
        #expect(d.execute("set pg_timeout off", name: nil, line: 1))
        #expect(d.execute("n = count(slow)", name: nil, line: 1), "\(out.text)")
        #expect(d.session.workspace["n"]?.value == .num(1))
    }

    /// Ctrl-C while the server works: the server's query is cancelled, the statement defines
    /// nothing, and the workspace is as it was.
    @Test func ctrlCCancelsTheServerQuery() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        #expect(d.execute("load postgres \"\(Self.url ?? "")\" query \"select 1::int as n from pg_sleep(30)\" as slow", name: nil, line: 1), "\(out.text)")
        #expect(d.execute("before = 1", name: nil, line: 1))
        let names = d.session.workspace.order
        let start = Date()
        d.isInterrupted = { Date().timeIntervalSince(start) > 1 }
        #expect(!d.execute("rows = collect(slow)", name: nil, line: 1))
        d.isInterrupted = { false }
        #expect(Date().timeIntervalSince(start) < 8, "not stopped")
        #expect(out.text.contains("interrupted"), "\(out.text)")
        #expect(d.session.workspace.order == names)
        // The cancel takes effect within moments, not after the 30 s.
        #expect(try ServerQueries.stillRunning(like: "pg_sleep(30)", on: Self.url ?? "") == .num(0), "the server's query still runs")
        // The table is usable again.
        #expect(d.execute("load postgres \"\(Self.url ?? "")\" table \"customers\" as cu", name: nil, line: 1), "\(out.text)")
        #expect(d.execute("k = count(cu)", name: nil, line: 1), "\(out.text)")
        #expect(d.session.workspace["k"]?.value == .num(10000))
    }

    /// A fetch that takes more than a second reports the rows so far, then clears the line.
    @Test func aLongFetchReportsProgress() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        let seen = ProgressLog()
        d.postgres.progress = { seen.add($0) }
        #expect(d.execute("load postgres \"\(Self.url ?? "")\" query \"select x::int8 as x from generate_series(1, 40) x, lateral (select pg_sleep(0.05 + x * 0)) s\" as slow", name: nil, line: 1), "\(out.text)")
        #expect(d.execute("n = count(collect(slow))", name: nil, line: 1), "\(out.text)")
        #expect(d.session.workspace["n"]?.value == .num(40))
        let calls = seen.calls
        #expect(calls.count >= 2, "\(calls)")
        #expect(calls.dropLast().allSatisfy { ($0 ?? -1) >= 0 && ($0 ?? 0) <= 40 }, "\(calls)")
        #expect(calls.last == .some(nil), "the line is not cleared: \(calls)")
        #expect(d.remoteProgressLine(rows: 1200000) == "fetching from the server: 1,200,000 rows so far (Ctrl-C stops it)")
    }

    /// Empty keys and values on the server: pivot, split and abc leave them as they do here.
    @Test func emptyCellsAreTreatedAsHere() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        #expect(d.execute("load postgres \"\(Self.url ?? "")\" query \"select nullif(region, '华东') as region, nullif(channel, 'JD') as channel, nullif(amount, 99.9) as amount, nullif(customer_id, 'C000123') as customer_id from orders\" as q", name: nil, line: 1), "\(out.text)")
        #expect(d.execute("l = collect(q)", name: nil, line: 1))
        for operation in ["pivot(X, rows: region, cols: channel, value: avg(amount), totals: true)",
                          "abc(X, value: amount, by: region)", "abc(X, value: amount, by: customer_id, method: \"computed\")",
                          "split(1亿, X |> where(amount > 0), by: [region, channel], weight: amount)"] {
            #expect(d.execute("here = " + operation.replacingOccurrences(of: "X", with: "l"), name: nil, line: 1), "\(out.text)")
            _ = d.postgres.takeNotes()
            #expect(d.execute("there = " + operation.replacingOccurrences(of: "X", with: "q"), name: nil, line: 1), "\(out.text)")
            #expect(d.postgres.takeNotes().isEmpty, "\(operation): a step ran locally")
            if let problem = Self.difference(try #require(d.session.workspace["here"]?.value), try #require(d.session.workspace["there"]?.value),
                                             notes: true) {
                Issue.record("\(operation): \(problem)")
            }
        }
    }

    /// A pivot too large for `set max_rows` is refused with pivot's own words.
    @Test func aPivotTooLargeIsRefusedAsHere() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        #expect(d.execute("set max_rows 100000", name: nil, line: 1))
        var mark = out.text.count
        #expect(!d.execute("x = pivot(c, rows: customer_id, cols: product_line, value: count())", name: nil, line: 1))
        let here = String(out.text.dropFirst(mark))
        mark = out.text.count
        #expect(!d.execute("x = pivot(o, rows: customer_id, cols: product_line, value: count())", name: nil, line: 1))
        let there = String(out.text.dropFirst(mark))
        #expect(here.contains("pivot: the result would have 60,000 cells (at most 10,000)"), "\(here)")
        #expect(here.split(separator: "\n").first == there.split(separator: "\n").first, "\(here)\n\(there)")
        #expect(d.session.workspace["x"] == nil)
    }

    /// A remote table's name alone shows its first rows and how many it has, without
    /// fetching them all; `_` is then the remote table; CSV output prints every row.
    @Test func aNameAloneShowsItsFirstRows() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        let before = out.text.count
        #expect(d.execute("o", name: nil, line: 1))
        let shown = String(out.text.dropFirst(before))
        #expect(shown.contains("(100,000 rows x 7 columns)"), "\(shown)")
        #expect(shown.contains("(99,990 more rows not shown"), "\(shown)")
        #expect(shown.contains("the first 10 rows of 100,000 rows on the server"), "\(shown)")
        #expect(d.execute("n = count(_)", name: nil, line: 1))
        #expect(d.session.workspace["n"]?.value == .num(100_000))
        #expect(d.execute("set output csv", name: nil, line: 1))
        let start = out.text.count
        #expect(d.execute("o", name: nil, line: 1))
        #expect(out.text.dropFirst(start).split(separator: "\n").count > 100_000)
    }

    /// `o.amount` reads that one column from the server, the same cells as the CSV's.
    @Test func aColumnOfARemoteTableIsFetchedAlone() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        for column in ["amount", "customer_id", "order_date"] {
            let before = out.text.count
            #expect(d.execute("x = o.\(column)", name: nil, line: 1))
            #expect(out.text.dropFirst(before).contains("fetched `\(column)` of all 100,000 rows"), "\(out.text.suffix(300))")
            #expect(d.execute("y = c.\(column)", name: nil, line: 1))
            let x = d.session.workspace["x"]?.value, y = d.session.workspace["y"]?.value
            #expect(x != nil && Self.difference(x ?? .empty, y ?? .empty) == nil, "\(column)")
        }
        // A misspelt column is refused from the names alone: nothing is fetched.
        let before = out.text.count
        #expect(!d.execute("x = o.amout", name: nil, line: 1))
        let refused = String(out.text.dropFirst(before))
        #expect(refused.contains("did you mean `amount`?") && !refused.contains("fetched"), "\(refused)")
    }

    /// `sum(o.amount)` and the other aggregates of one remote column are computed by the
    /// server, and equal the same over the CSV.
    @Test(arguments: ["sum(X.amount)", "avg(X.amount)", "median(X.amount)", "min(X.order_date)", "max(X.customer_id)",
                      "count_distinct(X.customer_id)", "count(X.amount)", "min(X.amount)", "max(X.region)"])
    func anAggregateOfOneColumnRunsOnTheServer(_ template: String) throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        let before = out.text.count
        #expect(d.execute("x = " + template.replacingOccurrences(of: "X", with: "o"), name: nil, line: 1))
        #expect(!out.text.dropFirst(before).contains("fetched"), "\(out.text.suffix(300))")
        #expect(d.execute("y = " + template.replacingOccurrences(of: "X", with: "c"), name: nil, line: 1))
        let x = d.session.workspace["x"]?.value ?? .empty, y = d.session.workspace["y"]?.value ?? .empty
        #expect(Self.difference(x, y) == nil, "\(template): \(x) vs \(y)")
    }

    /// `describe o` is computed by the server and reads as `describe` of the CSV.
    @Test func describeIsComputedOnTheServer() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        var shown: [String] = []
        for name in ["o", "c"] {
            let before = out.text.count
            #expect(d.execute("describe \(name)", name: nil, line: 1))
            shown.append(String(out.text.dropFirst(before)))
        }
        #expect(shown[0] == shown[1], "\(shown[0])\n\(shown[1])")
        #expect(!shown[0].contains("fetched all"))
    }

    /// A connection the server closed while idle (a restart, an administrator) is opened
    /// anew by the next statement, which then runs as usual: no wait on a closed socket.
    @Test func aConnectionClosedByTheServerIsOpenedAnew() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Self.driver(out)
        #expect(d.execute("load postgres \"\(Self.url ?? "")\" query \"select pg_backend_pid() as pid\" as me", name: nil, line: 1))
        #expect(d.execute("pid = sum(me.pid)", name: nil, line: 1))
        guard case .number(let pid, _)? = d.session.workspace["pid"]?.value else { Issue.record("no pid: \(out.text)"); return }
        let admin = PostgresClient(target: try PostgresTarget.parse(Self.url ?? "").get())
        defer { admin.close() }
        try admin.execute("SELECT pg_terminate_backend(\(Int(pid)))")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(d.execute("n = count(o)", name: nil, line: 1), "\(out.text.suffix(400))")
        #expect(d.session.workspace["n"]?.value == .num(100_000))
    }

    @Test func collectAndReload() throws {
        if Self.skipped() { return }
        let client = PostgresClient(target: try PostgresTarget.parse(Self.url ?? "").get())
        defer { try? client.execute("DROP TABLE IF EXISTS reload_check"); client.close() }
        try client.execute("DROP TABLE IF EXISTS reload_check")
        try client.execute("CREATE TABLE reload_check AS SELECT x::numeric AS x FROM generate_series(1, 3) AS x")
        let out = CapturedOutput()
        let d = Self.driver(out)
        #expect(d.execute("load postgres \"\(Self.url ?? "")\" table \"reload_check\" as r", name: nil, line: 1))
        #expect(d.execute("copy = collect(r)", name: nil, line: 1))
        #expect(d.execute("n = count(r |> where(x > 1))", name: nil, line: 1))
        guard case .table(let t)? = d.session.workspace["copy"]?.value else { Issue.record("no copy"); return }
        #expect(t.rowCount == 3)
        try client.execute("INSERT INTO reload_check VALUES (10)")
        #expect(d.session.workspace["n"]?.value == .num(2))
        #expect(d.execute("reload r", name: nil, line: 1), "\(out.text)")
        #expect(d.session.workspace["n"]?.value == .num(3), "dependents recalculated: \(out.text)")
    }

    /// Bad input: one line naming the server and the problem; nothing loaded.
    static let refused: [(String, String)] = [
        ("postgresql://tally@127.0.0.1:1/tally\" table \"orders", "connection refused at 127.0.0.1:1"),
        ("WRONGPASSWORD\" table \"orders", "password authentication failed"),
        ("URL\" table \"nosuch", #"relation "nosuch" does not exist"#),
        ("URL\" query \"select nosuch from orders", #"column "nosuch" does not exist"#),
        ("URL\" table \"events", "column `at` has type timestamp without time zone, which Tally cannot hold"),
        ("mysql://x/y\" table \"orders", "must start with postgresql://"),
    ]

    @Test(arguments: refused)
    func badInputLoadsNothing(_ c: (String, String)) throws {
        if Self.skipped() { return }
        let url = Self.url ?? ""
        var target = c.0.replacingOccurrences(of: "URL", with: url)
        if let at = url.range(of: "@"), let colon = url[..<at.lowerBound].lastIndex(of: ":") {
            target = target.replacingOccurrences(of: "WRONGPASSWORD", with: url[..<colon] + ":wrong" + url[at.lowerBound...])
        }
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        #expect(!d.execute("load postgres \"\(target)\" as x", name: nil, line: 1))
        #expect(out.text.contains(c.1), "\(out.text)")
        #expect(out.text.contains("postgres at "), "\(out.text)")
        #expect(!out.text.contains("tally-test") && !out.text.contains(":wrong@"), "a password is shown: \(out.text)")
        #expect(d.session.workspace["x"] == nil)
    }
}

/// The progress calls a fetch made.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [Int?] = []
    func add(_ rows: Int?) { lock.lock(); log.append(rows); lock.unlock() }
    var calls: [Int?] { lock.lock(); defer { lock.unlock() }; return log }
}
