import Testing
@testable import TallyPostgres

/// Reading a server URL, the PG* variables and ~/.pgpass; no server needed.
@Suite struct PostgresTargetTests {
    @Test func urlWinsOverEnvironment() throws {
        let t = try PostgresTarget.parse("postgresql://ann:p%40ss@db.example:6543/sales?sslmode=require",
                                         environment: ["PGHOST": "other", "PGUSER": "bob", "PGPASSWORD": "env"]).get()
        #expect(t.host == "db.example" && t.port == 6543 && t.user == "ann" && t.database == "sales")
        #expect(t.password == "p@ss")
        #expect(t.sslMode == .require)
        #expect(t.display == "postgresql://ann@db.example:6543/sales?sslmode=require")
    }

    @Test func environmentFillsTheRest() throws {
        let t = try PostgresTarget.parse("postgresql://db", environment: ["PGUSER": "bob", "PGPASSWORD": "env", "PGDATABASE": "dw"]).get()
        #expect(t.host == "db" && t.port == 5432 && t.user == "bob" && t.database == "dw" && t.password == "env" && t.sslMode == .prefer)
    }

    @Test func pgpassGivesThePassword() throws {
        let pgpass = "# comment\nother:*:*:*:no\ndb:5432:sales:ann:from\\:file\n"
        let t = try PostgresTarget.parse("postgresql://ann@db/sales", environment: [:], pgpass: "/nonexistent")
            .get()
        #expect(t.password == nil)
        #expect(PostgresTarget.passwordFromPgpass(pgpass, host: "db", port: 5432, database: "sales", user: "ann") == "from:file")
    }

    @Test(arguments: ["mysql://db/x", "postgresql://db:notaport/x", "postgresql://db/x?sslmode=maybe"])
    func badURLsAreRefused(_ url: String) {
        if case .success = PostgresTarget.parse(url, environment: [:]) { Issue.record("accepted \(url)") }
    }
}
