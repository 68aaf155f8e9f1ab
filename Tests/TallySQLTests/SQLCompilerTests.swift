import Testing
import TallyCore
import TallyLang
import TallySQL

/// The SQL each table operation over a remote table compiles to; no server needed.
@Suite struct SQLCompilerTests {
    static let source = RemoteSource(server: "postgresql://tally@localhost:5432/sales", relation: .table("orders"), generation: 1)

    static let standIn: Table = Table(
        names: ["order_id", "customer_id", "order_date", "amount", "channel", "region"],
        columns: [Column(storage: .number([])), Column(storage: .text(codes: [], dictionary: [])), Column(storage: .date([])),
                  Column(storage: .number([])), Column(storage: .text(codes: [], dictionary: [])),
                  Column(storage: .text(codes: [], dictionary: []))]) ?? Table()

    static func compiler(workspace: [String: Value] = [:]) -> SQLCompiler {
        SQLCompiler(
            remoteTable: { n in n == "o" ? (source, standIn) : nil },
            // As the host does: a constant that cannot be evaluated declines the step.
            constant: { e in (try? Evaluator(lookup: { workspace[$0] }).evaluate(e)) ?? .empty })
    }

    static func plan(_ text: String, workspace: [String: Value] = [:]) throws -> RemotePlan? {
        guard case .evaluate(let e)? = try Parser.parseStatement(text, source: 0) else { return nil }
        return try compiler(workspace: workspace).plan(e)
    }

    static let pushed: [(String, String)] = [
        ("o", #"SELECT * FROM "orders""#),
        ("o |> where(amount > 100)", #"SELECT * FROM "orders" WHERE ("amount" > 100)"#),
        (#"where(o, channel == "Tmall" and amount >= 99.5)"#,
         #"SELECT * FROM "orders" WHERE (("channel" = 'Tmall') AND ("amount" >= 99.5))"#),
        (#"where(o, region < "b" or not (amount * 2 <= 10))"#,
         #"SELECT * FROM "orders" WHERE (("region" COLLATE "C" < 'b') OR (NOT (("amount" * 2) <= 10)))"#),
        (#"where(o, order_date >= date("2024-07-01"))"#, #"SELECT * FROM "orders" WHERE ("order_date" >= DATE '2024-07-01')"#),
        ("where(o, amount > limit)", #"SELECT * FROM "orders" WHERE ("amount" > 250)"#),
        ("group(o, region, total: sum(amount), n: count())",
         #"SELECT "region", COALESCE(sum("amount"), 0) AS "total", count(*) AS "n" FROM "orders" GROUP BY "region" ORDER BY "region" COLLATE "C" NULLS LAST"#),
        ("group(o, channel, a: avg(amount), lo: min(amount), hi: max(order_date), c: count_distinct(customer_id), m: median(amount))",
         #"SELECT "channel", (sum("amount")::float8 / NULLIF(count("amount"), 0)) AS "a", min("amount") AS "lo", max("order_date") AS "hi", count(DISTINCT "customer_id") AS "c", percentile_cont(0.5) WITHIN GROUP (ORDER BY "amount") AS "m" FROM "orders" GROUP BY "channel" ORDER BY "channel" COLLATE "C" NULLS LAST"#),
        ("group(o, region, aov: sum(amount) / count())",
         #"SELECT "region", (COALESCE(sum("amount"), 0)::float8 / count(*)) AS "aov" FROM "orders" GROUP BY "region" ORDER BY "region" COLLATE "C" NULLS LAST"#),
        ("o |> where(amount > 100) |> group(region, total: sum(amount))",
         #"SELECT "region", COALESCE(sum("amount"), 0) AS "total" FROM "orders" WHERE ("amount" > 100) GROUP BY "region" ORDER BY "region" COLLATE "C" NULLS LAST"#),
        ("o |> group(region, total: sum(amount)) |> where(total > 10)",
         #"SELECT * FROM (SELECT "region", COALESCE(sum("amount"), 0) AS "total" FROM "orders" GROUP BY "region" ORDER BY "region" COLLATE "C" NULLS LAST) AS q1 WHERE ("total" > 10)"#),
        ("o |> group(region, total: sum(amount)) |> sort(total, desc)",
         #"SELECT * FROM (SELECT "region", COALESCE(sum("amount"), 0) AS "total" FROM "orders" GROUP BY "region" ORDER BY "region" COLLATE "C" NULLS LAST) AS q1 ORDER BY "total" DESC NULLS LAST, "region" COLLATE "C" NULLS LAST"#),
        ("sort(o, region, amount, desc)", #"SELECT * FROM "orders" ORDER BY "region" COLLATE "C" NULLS LAST, "amount" DESC NULLS LAST"#),
        ("top(o, 5, by: amount)", #"SELECT * FROM "orders" ORDER BY "amount" DESC NULLS LAST LIMIT 5"#),
        ("head(o, 3)", #"SELECT * FROM "orders" LIMIT 3"#),
        ("select(o, customer_id, total: amount)", #"SELECT "customer_id", "amount" AS "total" FROM "orders""#),
        ("count(where(o, amount > 100))", #"SELECT count(*) AS "count" FROM (SELECT * FROM "orders" WHERE ("amount" > 100)) AS q1"#),
        ("abc(o, value: amount, by: customer_id)",
         #"SELECT "customer_id", COALESCE(sum("amount") FILTER (WHERE "customer_id" IS NOT NULL AND "customer_id" <> '' AND "amount" IS NOT NULL), 0) AS "amount", count(*) FILTER (WHERE "customer_id" IS NOT NULL AND "customer_id" <> '' AND "amount" IS NOT NULL) AS "tally_rows", count(*) FILTER (WHERE NOT ("customer_id" IS NOT NULL AND "customer_id" <> '' AND "amount" IS NOT NULL)) AS "tally_skipped" FROM "orders" GROUP BY "customer_id" ORDER BY "customer_id" COLLATE "C" NULLS LAST"#),
    ]

    @Test(arguments: pushed)
    func compiles(_ c: (String, String)) throws {
        let plan = try #require(try Self.plan(c.0, workspace: ["limit": .num(250)]))
        #expect(plan.query.text == c.1)
    }

    /// Steps whose SQL could mean something else than Tally's operation stay local.
    static let declined = [
        "where(o, month(order_date) == 3)",     // a function of a column
        "where(o, amount / order_id > 1)",      // a division that may meet zero
        "where(o, channel > 3)",                // text against a number
        "group(o, m: month(order_date), n: count())", // a computed key
        "top(o, 2, by: amount, per: region)",   // per-group top
        "abc(o, value: amount)",                // ranks rows, needs them all
        "where(o, nosuch > 1)",                 // unknown name: the local step reports it
        "sort(o, -amount)",
    ]

    @Test(arguments: declined)
    func declines(_ text: String) throws {
        #expect(try Self.plan(text) == nil)
    }

    @Test func rfmSendsOneGroupByAndScoresHere() throws {
        let plan = try #require(try Self.plan("rfm(o, customer: customer_id, date: order_date, amount: amount)"))
        #expect(plan.query.text == #"SELECT * FROM (SELECT "customer_id" AS "customer_id", (max(max("order_date")) OVER () - max("order_date") FILTER (WHERE "amount" IS NOT NULL)) AS "recency", count(*) FILTER (WHERE "order_date" IS NOT NULL AND "amount" IS NOT NULL) AS "frequency", COALESCE(sum(round("amount"::numeric, 2)) FILTER (WHERE "order_date" IS NOT NULL), 0) AS "monetary" FROM "orders" GROUP BY "customer_id") AS q1 WHERE ("customer_id" IS NOT NULL) AND ("customer_id" <> '') AND ("frequency" > 0) ORDER BY "customer_id" COLLATE "C" NULLS LAST"#)
        guard case .local(let name, let args, _) = plan.result else { Issue.record("not scored locally"); return }
        #expect(name == "rfm_score")
        #expect(args.compactMap(\.label) == ["recency", "frequency", "monetary", "customer"])
        let dated = try #require(try Self.plan(#"rfm(o, customer: customer_id, date: order_date, amount: amount, asof: date("2025-01-01"))"#))
        #expect(dated.query.text.contains("(DATE '2025-01-01' - max(\"order_date\")"))
    }

    @Test func queryRelationIsASubquery() {
        let s = RemoteSource(server: "x", relation: .query("select 1 as a;"), generation: 1)
        #expect(SQLCompiler.baseQuery(s, Table()).text == "SELECT * FROM (select 1 as a) AS q0")
    }

    @Test(arguments: [
        ("postgresql://ann:s3cret@db:5432/sales", "postgresql://ann@db:5432/sales"),
        ("postgresql://ann@db/sales?sslmode=require&password=x", "postgresql://ann@db/sales?sslmode=require"),
        ("postgres://db/sales", "postgres://db/sales"),
    ])
    func passwordIsRedacted(_ c: (String, String)) {
        #expect(RemoteSource.redacting(c.0) == c.1)
    }

    @Test func quoting() {
        #expect(SQLText.identifier(#"a"b"#) == #""a""b""#)
        #expect(SQLText.string("O'Brien") == "'O''Brien'")
        #expect(SQLText.relation("public.orders") == #""public"."orders""#)
    }
}
