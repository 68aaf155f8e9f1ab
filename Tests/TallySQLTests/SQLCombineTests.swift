import Testing
import TallyCore
import TallyLang
import TallySQL

/// The SQL of join, pivot and split over remote tables; no server needed.
@Suite struct SQLCombineTests {
    static let server = "postgresql://tally@localhost:5432/sales"
    static let orders = RemoteSource(server: server, relation: .table("orders"), generation: 1)
    static let customers = RemoteSource(server: server, relation: .table("customers"), generation: 2)
    static let elsewhere = RemoteSource(server: "postgresql://tally@other:5432/sales", relation: .table("customers"), generation: 3)

    static func text() -> Column { Column(storage: .text(codes: [], dictionary: [])) }
    static func number() -> Column { Column(storage: .number([])) }

    static let orderColumns = Table(names: ["order_id", "customer_id", "order_date", "amount", "channel", "region"],
                                    columns: [number(), text(), Column(storage: .date([])), number(), text(), text()]) ?? Table()
    static let customerColumns = Table(names: ["customer_id", "cohort", "region"], columns: [text(), text(), text()]) ?? Table()

    static func plan(_ text: String) throws -> RemotePlan? {
        guard case .evaluate(let e)? = try Parser.parseStatement(text, source: 0) else { return nil }
        let compiler = SQLCompiler(
            remoteTable: { n in
                switch n {
                case "o": return (orders, orderColumns)
                case "cu": return (customers, customerColumns)
                case "far": return (elsewhere, customerColumns)
                default: return nil
                }
            },
            constant: { e in (try? Evaluator(lookup: { _ in nil }).evaluate(e)) ?? .empty })
        return try compiler.plan(e)
    }

    static let pushed: [(String, String)] = [
        ("join(o, cu, on: customer_id)",
         #"SELECT j1."order_id", j1."customer_id", j1."order_date", j1."amount", j1."channel", j1."region", j2."cohort", j2."region" AS "region_2" FROM "orders" AS j1 JOIN "customers" AS j2 ON j1."customer_id" = j2."customer_id""#),
        (#"join(o, cu |> where(cohort == "C001"), on: [customer_id, region], kind: "left")"#,
         #"SELECT j1."order_id", j1."customer_id", j1."order_date", j1."amount", j1."channel", j1."region", j2."cohort" FROM "orders" AS j1 LEFT JOIN (SELECT * FROM "customers" WHERE ("cohort" = 'C001')) AS j2 ON j1."customer_id" = j2."customer_id" AND j1."region" = j2."region""#),
        ("join(o, cu, on: customer_id) |> group(cohort, total: sum(amount))",
         #"SELECT "cohort", COALESCE(sum("amount"), 0) AS "total" FROM (SELECT j1."order_id", j1."customer_id", j1."order_date", j1."amount", j1."channel", j1."region", j2."cohort", j2."region" AS "region_2" FROM "orders" AS j1 JOIN "customers" AS j2 ON j1."customer_id" = j2."customer_id") AS q1 GROUP BY "cohort" ORDER BY "cohort" COLLATE "C" NULLS LAST"#),
        ("pivot(o, rows: region, cols: channel, value: sum(amount))",
         #"SELECT "region", "channel", COALESCE(sum("amount"), 0) AS "tally_value" FROM "orders" GROUP BY "region", "channel""#),
        (#"pivot(o |> where(amount > 10), rows: region, cols: channel, value: avg(amount), totals: true)"#,
         #"SELECT "region", "channel", (sum("amount")::float8 / NULLIF(count("amount"), 0)) AS "tally_value", GROUPING("region", "channel") AS "tally_grouping" FROM "orders" WHERE ("amount" > 10) GROUP BY GROUPING SETS (("region", "channel"), ("region"), ("channel"), ())"#),
        ("split(1000000, o, by: region, weight: amount)",
         #"SELECT "region", COALESCE(sum("amount"), 0) AS "amount", count(*) AS "tally_rows", count(*) FILTER (WHERE "amount" IS NULL OR NOT ("amount"::float8 >= 0 AND "amount"::float8 < 'Infinity'::float8)) AS "tally_bad" FROM "orders" GROUP BY "region" ORDER BY min(ctid)"#),
        ("split(1000000, o, by: [channel, region], weight: [amount, order_id])",
         #"SELECT "channel", "region", COALESCE(sum("amount"), 0) AS "amount", COALESCE(sum("order_id"), 0) AS "order_id", count(*) AS "tally_rows", count(*) FILTER (WHERE "amount" IS NULL OR NOT ("amount"::float8 >= 0 AND "amount"::float8 < 'Infinity'::float8) OR "order_id" IS NULL OR NOT ("order_id"::float8 >= 0 AND "order_id"::float8 < 'Infinity'::float8)) AS "tally_bad" FROM "orders" GROUP BY "channel", "region" ORDER BY min(ctid)"#),
        ("split(100, o |> top(10, by: amount), by: region, weight: amount)",
         #"SELECT "region", COALESCE(sum("amount"), 0) AS "amount", count(*) AS "tally_rows", count(*) FILTER (WHERE "amount" IS NULL OR NOT ("amount"::float8 >= 0 AND "amount"::float8 < 'Infinity'::float8)) AS "tally_bad" FROM (SELECT * FROM "orders" ORDER BY "amount" DESC NULLS LAST LIMIT 10) AS q1 GROUP BY "region" ORDER BY "region" COLLATE "C" NULLS LAST"#),
    ]

    @Test(arguments: pushed)
    func compiles(_ c: (String, String)) throws {
        let plan = try #require(try Self.plan(c.0))
        #expect(plan.query.text == c.1)
    }

    /// Not one query on one server: each side runs where it is, the step here.
    static let declined = [
        "join(o, far, on: customer_id)",              // another server
        "join(o, cu, on: cohort)",                    // a key the first table lacks
        "join(o, cu, on: order_id)",                  // a key the second table lacks
        #"join(o, cu, on: customer_id, kind: "outer")"#,
        "pivot(o, rows: region, cols: region, value: sum(amount))",
        "pivot(o, rows: region, cols: channel, value: sum(amount) / month(order_date))",
        #"pivot(o, rows: region, cols: channel, value: sum(amount), of: "row")"#, // pivot refuses it here
        "split(100, o, weight: amount)",              // one part per row
        "split(100, o, by: region, weight: amount * 2)",
        "split(100, o, by: region, weight: {a: 1})",  // tiers
        "split(100, o, by: region, weight: [amount, order_id])", // one level, two weights
    ]

    @Test(arguments: declined)
    func declines(_ text: String) throws {
        #expect(try Self.plan(text) == nil)
    }

    /// `describe o`, `o` alone and `o.amount`: the queries that read a summary, the first
    /// rows with their count, and one column.
    @Test func describeFirstRowsAndOneColumn() {
        let base = SQLCompiler.baseQuery(Self.orders, Self.orderColumns)
        let flags = SQLQuery(from: "\"t\"", columns: [(name: "ok", type: .boolean)])
        #expect(flags.described().text == #"SELECT count(*) AS "rows", count("ok") AS "n_0", count(*) - count("ok") AS "e_0", "#
            + #"NULL::boolean AS "lo_0", NULL::boolean AS "hi_0", NULL::numeric AS "mean_0", count(DISTINCT "ok") AS "d_0" FROM "t""#)
        let d = base.described()
        #expect(d.columns.count == 1 + 6 * 6 && d.text.contains(#"min("customer_id" COLLATE "C") AS "lo_1""#))
        #expect(d.text.contains(#"avg("amount") AS "mean_3""#) && d.text.contains(#"NULL::numeric AS "mean_2""#))
        #expect(base.limited(10).text == #"SELECT * FROM "orders" LIMIT 10"#)
        #expect(base.counted().text == #"SELECT count(*) AS "n" FROM "orders""#)
        #expect(base.selecting(["amount"]).text == #"SELECT "amount" FROM "orders""#)
        #expect(base.limited(5).counted().text == #"SELECT count(*) AS "n" FROM (SELECT * FROM "orders" LIMIT 5) AS q1"#)
    }

    @Test func explainSaysWhatRunsHere() throws {
        let pivot = try #require(try Self.plan("pivot(o, rows: region, cols: channel, value: count(), totals: true)"))
        #expect(pivot.explanation.first == "-- on \(Self.server): pivot's cells and totals")
        #expect(pivot.explanation.last == "-- then here: `pivot` lays the cells out as a grid")
        let split = try #require(try Self.plan("split(100, o, by: region, weight: amount)"))
        #expect(split.explanation.last == "-- then here: `split` allocates the total over the leaves it returns")
        guard case .split(let args, _, let rows) = split.result else { Issue.record("not a split"); return }
        #expect(rows.text == #"SELECT * FROM "orders""#)
        #expect(args.count == 4)
        let join = try #require(try Self.plan("join(o, cu, on: customer_id)"))
        #expect(join.steps == ["join"])
    }
}
