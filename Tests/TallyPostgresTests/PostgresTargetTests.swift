import Foundation
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

    /// Where the CA comes from: the URL, then PGSSLROOTCERT, then ~/.postgresql/root.crt when it exists.
    @Test func theCAIsFoundAsLibpqFindsIt() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tally-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/.postgresql", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let cases: [(String, [String: String], String?)] = [
            ("postgresql://db/x?sslmode=verify-full&sslrootcert=/etc/ca.pem", ["PGSSLROOTCERT": "/env/ca.pem"], "/etc/ca.pem"),
            ("postgresql://db/x?sslmode=verify-full", ["PGSSLROOTCERT": "/env/ca.pem", "HOME": home], "/env/ca.pem"),
            ("postgresql://db/x?sslrootcert=system", ["HOME": home], "system"),
            ("postgresql://db/x", ["HOME": home], nil),
        ]
        for (url, environment, expected) in cases {
            #expect(try PostgresTarget.parse(url, environment: environment).get().rootCertificate == expected, "\(url)")
        }
        try "".write(toFile: home + "/.postgresql/root.crt", atomically: true, encoding: .utf8)
        #expect(try PostgresTarget.parse("postgresql://db/x", environment: ["HOME": home]).get().rootCertificate == home + "/.postgresql/root.crt")
    }

    /// What each sslmode checks of the server's certificate (`require` with a CA file checks
    /// the chain, as libpq).
    @Test func eachModeChecksWhatLibpqChecks() throws {
        let cases: [(String, String?)] = [
            ("disable", nil), ("allow", nil), ("prefer", "none"), ("require", "none"),
            ("require&sslrootcert=/etc/ca.pem", "noHostnameVerification"), ("require&sslrootcert=system", "none"),
            ("verify-ca", "noHostnameVerification"), ("verify-full", "fullVerification"),
        ]
        for (mode, expected) in cases {
            let target = try PostgresTarget.parse("postgresql://db/x?sslmode=" + mode, environment: [:]).get()
            // `none` carries options: its name is enough here.
            #expect(PostgresClient.verification(target).map { "\($0)".prefix { $0 != "(" } } == expected.map { Substring($0) }, "\(mode)")
        }
        // `allow`'s second try (the server refused a plain connection) encrypts unchecked, as
        // libpq, even with a CA file.
        let allow = try PostgresTarget.parse("postgresql://db/x?sslmode=allow&sslrootcert=/etc/ca.pem", environment: [:]).get()
        #expect(PostgresClient.verification(allow, allowRetry: true).map { "\($0)".prefix { $0 != "(" } } == "none")
    }

    @Test(arguments: ["mysql://db/x", "postgresql://db:notaport/x", "postgresql://db/x?sslmode=maybe"])
    func badURLsAreRefused(_ url: String) {
        if case .success = PostgresTarget.parse(url, environment: [:]) { Issue.record("accepted \(url)") }
    }
}
