import Foundation
import Testing
import TallyCore
import TallyLang
import TallyPostgres
import TallyREPL

/// TLS against the private server (scripts/pg-test-server; TALLY_PG_URL names it, TALLY_PG_CA
/// is its throwaway CA). Its certificate names only `localhost`, while TALLY_PG_URL connects
/// to 127.0.0.1: verify-full passes for the one and fails for the other.
@Suite(.serialized) struct TLSLiveTests {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["TALLY_PG_URL"] ?? ""
    static let ca = environment["TALLY_PG_CA"] ?? ""

    static func skipped() -> Bool {
        if environment["TALLY_PG_URL"] == nil {
            print("skipped: no PostgreSQL server (TALLY_PG_URL is not set; scripts/test starts one with scripts/pg-test-server)")
            return true
        }
        if environment["TALLY_PG_CA"] == nil {
            print("skipped: the PostgreSQL test server has no TLS (TALLY_PG_CA is not set; scripts/pg-test-server needs openssl)")
            return true
        }
        return false
    }

    /// The test server's URL with `parameters` added, by `host` when given.
    static func url(_ parameters: String, host: String? = nil) -> String {
        var u = url
        if let host { u = u.replacingOccurrences(of: "@127.0.0.1:", with: "@\(host):") }
        return u + "?" + parameters
    }

    /// Whether the connection of `client` is encrypted, as the server sees it.
    static func encrypted(_ client: PostgresClient) throws -> Value {
        try client.fetch("select ssl from pg_stat_ssl where pid = pg_backend_pid()").columns.first?[0] ?? .empty
    }

    /// The password in the test server's URL, which no message may show.
    static var password: String {
        guard let at = url.range(of: "@"), let colon = url[..<at.lowerBound].lastIndex(of: ":") else { return "tally-test" }
        return String(url[url.index(after: colon)..<at.lowerBound])
    }

    /// Each sslmode against the server: whether the session is encrypted.
    static let sessions: [(String, String?, Bool)] = [
        ("sslmode=disable", nil, false),
        ("sslmode=prefer", nil, true),
        ("sslmode=require", nil, true),
        ("sslmode=verify-ca&sslrootcert=CA", nil, true),
        ("sslmode=verify-full&sslrootcert=CA", "localhost", true),
    ]

    @Test(arguments: sessions)
    func eachModeConnects(_ c: (String, String?, Bool)) throws {
        if Self.skipped() { return }
        let target = try PostgresTarget.parse(Self.url(c.0.replacingOccurrences(of: "CA", with: Self.ca), host: c.1)).get()
        let client = PostgresClient(target: target)
        defer { client.close() }
        #expect(try Self.encrypted(client) == .bool(c.2), "\(c.0)")
    }

    /// Over TLS a pushed-down statement gives what it gives without, and the session Tally
    /// runs it on is encrypted.
    @Test func aPushedDownStatementOverTLSIsTheSame() throws {
        if Self.skipped() { return }
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        let full = Self.url("sslmode=verify-full&sslrootcert=\(Self.ca)", host: "localhost")
        for (name, url) in [("plain", Self.url("sslmode=disable")), ("tls", Self.url("sslmode=require")), ("full", full)] {
            #expect(d.execute("load postgres \"\(url)\" table \"orders\" as o_\(name)", name: nil, line: 1), "\(out.text)")
            #expect(d.execute("g_\(name) = o_\(name) |> where(amount > 100) |> group(region, channel, total: sum(amount), n: count()) |> sort(region, channel)",
                              name: nil, line: 1), "\(out.text)")
            #expect(d.execute("load postgres \"\(url)\" query \"select ssl from pg_stat_ssl where pid = pg_backend_pid()\" as s_\(name)", name: nil, line: 1),
                    "\(out.text)")
            #expect(d.execute("e_\(name) = collect(s_\(name))", name: nil, line: 1), "\(out.text)")
        }
        #expect(d.postgres.takeNotes().isEmpty, "a step ran locally")
        func value(_ name: String) throws -> Value { try #require(d.session.workspace[name]?.value) }
        for name in ["tls", "full"] {
            #expect(PushdownLiveTests.difference(try value("g_plain"), try value("g_\(name)")) == nil)
        }
        guard case .table(let t) = try value("g_tls") else { Issue.record("not a table"); return }
        #expect(t.rowCount > 1)
        for (name, tls) in [("plain", false), ("tls", true), ("full", true)] {
            guard case .table(let e) = try value("e_\(name)") else { Issue.record("not a table"); continue }
            #expect(e.columns.first?[0] == .bool(tls), "\(name)")
        }
        #expect(!out.text.contains(Self.password), "the password is shown")
    }

    /// Refused certificates: one line naming the server and the problem, at once, nothing
    /// loaded, no password shown.
    static let refused: [(String, String?, String)] = [
        // The system's roots do not hold the test CA.
        ("sslmode=verify-full&sslrootcert=system", "localhost", "the certificate of localhost:PORT is not trusted (sslmode=verify-full; give its CA with sslrootcert="),
        ("sslmode=verify-ca&sslrootcert=system", nil, "the certificate of 127.0.0.1:PORT is not trusted (sslmode=verify-ca"),
        ("sslmode=verify-full&sslrootcert=CA", nil, "the certificate of 127.0.0.1:PORT is not for host 127.0.0.1 (sslmode=verify-full checks the host name"),
        ("sslmode=verify-full&sslrootcert=/nonexistent/root.crt", "localhost", "the CA file /nonexistent/root.crt (sslrootcert) cannot be read"),
        ("sslmode=verify-ca&sslrootcert=NOTPEM", nil, "(sslrootcert) holds no PEM certificate"),
    ]

    @Test(arguments: refused)
    func anUntrustedServerLoadsNothing(_ c: (String, String?, String)) throws {
        if Self.skipped() { return }
        let notPEM = FileManager.default.temporaryDirectory.appendingPathComponent("tally-not-a-ca-\(UUID().uuidString).crt").path
        try "not a certificate\n".write(toFile: notPEM, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: notPEM) }
        let parameters = c.0.replacingOccurrences(of: "=CA", with: "=" + Self.ca).replacingOccurrences(of: "=NOTPEM", with: "=" + notPEM)
        let port = Self.url.split(separator: ":").last?.split(separator: "/").first.map(String.init) ?? ""
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        let start = Date()
        #expect(!d.execute("load postgres \"\(Self.url(parameters, host: c.1))\" table \"orders\" as x", name: nil, line: 1))
        #expect(Date().timeIntervalSince(start) < 5, "slow to refuse")
        let lines = out.text.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(lines.count == 1, "\(out.text)")
        #expect(out.text.contains("error: postgres at postgresql://tally@"), "\(out.text)")
        #expect(out.text.contains(c.2.replacingOccurrences(of: "PORT", with: port)), "\(out.text)")
        #expect(!out.text.contains(Self.password), "a password is shown: \(out.text)")
        #expect(d.session.workspace["x"] == nil)
    }

    /// The test server's role that pg_hba.conf lets in over TLS only (`hostssl`), its URL
    /// with `parameters` added; nil (and a line saying so) when the server has none.
    static func tlsOnlyURL(_ parameters: String) -> String? {
        guard let u = environment["TALLY_PG_TLS_URL"] else {
            print("skipped: the PostgreSQL test server has no TLS-only role (TALLY_PG_TLS_URL is not set; scripts/pg-test-server makes one)")
            return nil
        }
        return u + "?" + parameters
    }

    /// `sslmode=allow` as libpq: plain when the server takes it, TLS when the server refuses
    /// the plain connection (the TLS-only role), each as the server sees the session.
    @Test func allowEncryptsOnlyWhenTheServerInsists() throws {
        if Self.skipped() { return }
        guard let tlsOnly = Self.tlsOnlyURL("sslmode=allow") else { return }
        for (url, tls) in [(Self.url("sslmode=allow"), false), (tlsOnly, true)] {
            let client = PostgresClient(target: try PostgresTarget.parse(url).get())
            defer { client.close() }
            #expect(try Self.encrypted(client) == .bool(tls), "\(RemoteSource.redacting(url))")
        }
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        #expect(d.execute("load postgres \"\(tlsOnly)\" table \"orders\" as o", name: nil, line: 1), "\(out.text)")
        #expect(d.execute("n = count(o |> where(amount > 100))", name: nil, line: 1), "\(out.text)")
        guard case .number(let n, _)? = d.session.workspace["n"]?.value else { Issue.record("no count: \(out.text)"); return }
        #expect(n > 0)
        #expect(!out.text.contains(Self.password), "the password is shown")
    }

    /// A connection of `sslmode=allow` the server closed is opened anew the same way: over
    /// TLS again for the TLS-only role.
    @Test func allowReconnectsOverTLS() throws {
        if Self.skipped() { return }
        guard let tlsOnly = Self.tlsOnlyURL("sslmode=allow") else { return }
        let client = PostgresClient(target: try PostgresTarget.parse(tlsOnly).get())
        defer { client.close() }
        #expect(try Self.encrypted(client) == .bool(true))
        guard case .number(let pid, _)? = try client.fetch("select pg_backend_pid() as pid").columns.first?[0] else {
            Issue.record("no pid"); return
        }
        let admin = PostgresClient(target: try PostgresTarget.parse(Self.url).get())
        defer { admin.close() }
        try admin.execute("SELECT pg_terminate_backend(\(Int(pid)))")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try Self.encrypted(client) == .bool(true))
        guard case .number(let again, _)? = try client.fetch("select pg_backend_pid() as pid").columns.first?[0] else {
            Issue.record("no pid"); return
        }
        #expect(again != pid, "not a new connection")
    }

    /// Ctrl-C on the TLS-only role's connection under `allow` cancels the server's query:
    /// the cancelling connection goes over TLS as the first did (plain, it would be refused).
    @Test func allowCancelsOverTLS() throws {
        if Self.skipped() { return }
        guard let tlsOnly = Self.tlsOnlyURL("sslmode=allow") else { return }
        let client = PostgresClient(target: try PostgresTarget.parse(tlsOnly).get())
        defer { client.close() }
        let marker = "allow_cancel_\(UInt32.random(in: 0...UInt32.max))"
        let start = Date()
        #expect(throws: PostgresFailure("interrupted; the query was stopped")) {
            try client.fetch("select 1::int as \(marker) from pg_sleep(30)", isInterrupted: { Date().timeIntervalSince(start) > 1 })
        }
        #expect(try ServerQueries.stillRunning(like: marker, on: Self.url) == .num(0), "the server's query still runs")
    }

    /// Refusals: one line naming the server and what the server said (both tries for
    /// `allow`, as libpq reports both), nothing loaded, no password shown.
    static let refusedPlain: [(String, String)] = [
        ("sslmode=disable", "no pg_hba.conf entry for host \"127.0.0.1\", user \"tally_tls\", database \"tally\", no encryption"),
        ("sslmode=allow&password=wrong-pw", "without TLS: no pg_hba.conf entry for host \"127.0.0.1\", user \"tally_tls\", database \"tally\", "
            + "no encryption; with TLS (sslmode=allow tries again): password authentication failed for user \"tally_tls\""),
    ]

    @Test(arguments: refusedPlain)
    func theTLSOnlyRoleIsRefused(_ c: (String, String)) throws {
        if Self.skipped() { return }
        guard let url = Self.tlsOnlyURL(c.0) else { return }
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        #expect(!d.execute("load postgres \"\(url)\" table \"orders\" as x", name: nil, line: 1))
        let lines = out.text.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(lines.count == 1, "\(out.text)")
        #expect(lines.first?.hasPrefix("error: postgres at postgresql://tally_tls@127.0.0.1:") == true, "\(out.text)")
        #expect(lines.first?.hasSuffix(": " + c.1) == true, "\(out.text)")
        #expect(!out.text.contains(Self.password) && !out.text.contains("wrong-pw"), "a password is shown: \(out.text)")
        #expect(d.session.workspace["x"] == nil)
    }

    /// A refusal after the server accepted the password (a missing database) is not tried
    /// again with TLS, as libpq: the server's log shows one try.
    @Test func allowDoesNotRetryAfterAuthentication() throws {
        if Self.skipped() { return }
        let database = "missing_\(UInt32.random(in: 0...UInt32.max))"
        let url = Self.url("sslmode=allow").replacingOccurrences(of: "/tally?", with: "/\(database)?")
        let client = PostgresClient(target: try PostgresTarget.parse(url).get())
        defer { client.close() }
        #expect(throws: PostgresFailure("database \"\(database)\" does not exist")) { try client.connect() }
        guard let dir = Self.environment["TALLY_PG_DIR"],
              let log = try? String(contentsOfFile: dir + "/server.log", encoding: .utf8) else {
            print("skipped: the server log cannot be read here: the count of tries is not checked")
            return
        }
        #expect(log.components(separatedBy: "database \"\(database)\" does not exist").count - 1 == 1, "tried again")
    }

    /// `PGSSLROOTCERT` gives the CA as `sslrootcert=` does.
    @Test func theCAFromTheEnvironment() throws {
        if Self.skipped() { return }
        let target = try PostgresTarget.parse(Self.url("sslmode=verify-full", host: "localhost"),
                                              environment: ["PGSSLROOTCERT": Self.ca]).get()
        let client = PostgresClient(target: target)
        defer { client.close() }
        #expect(try Self.encrypted(client) == .bool(true))
    }
}
