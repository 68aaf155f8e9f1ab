import Foundation
import TallyCore
import TallyLang
import TallySQL

/// Remote tables on PostgreSQL servers: `load postgres` makes one (a stand-in with the
/// remote columns), and table operations over it run as SQL on its server (TallySQL
/// compiles them). What cannot be sent runs here on the fetched rows, with a note.
public final class PostgresRemoteTables: RemoteTables {
    /// Polled while waiting for the server; true stops the query.
    public var isInterrupted: () -> Bool = { false }
    /// Lines for the host to show after the statement (steps computed here).
    private var notes: [Note] = []
    /// Time spent waiting for servers since the last `takeTimings`, in milliseconds.
    private var serverMilliseconds = 0.0
    private var bytesReceived = 0
    /// One connection per server (the URL without password); it keeps the password in memory.
    private var clients: [String: PostgresClient] = [:]
    private var loads = 0
    /// Typed URLs that held a password, by the URL without it (memory only).
    private var fullURLs: [String: String] = [:]
    private let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The notes gathered since the last call, and clears them.
    public func takeNotes() -> [Note] {
        defer { notes = [] }
        return notes
    }

    /// The time spent waiting for servers (milliseconds) and the bytes of data received
    /// since the last call, and clears both.
    public func takeServerTime() -> (milliseconds: Double, bytes: Int) {
        defer { serverMilliseconds = 0; bytesReceived = 0 }
        return (serverMilliseconds, bytesReceived)
    }

    /// Closes every connection.
    public func closeAll() {
        for c in clients.values { c.close() }
        clients = [:]
    }

    /// `text` with the password of every quoted postgresql:// URL taken out and kept here,
    /// so that what the session sees, journals, saves, echoes and keeps in history has none.
    public func absorbingPasswords(_ text: String) -> String {
        guard text.contains("postgres") else { return text }
        var out = "", rest = Substring(text)
        while let open = rest.firstIndex(of: "\"") {
            out += rest[...open]
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "\"") else { rest = after; break }
            let quoted = String(after[..<close])
            let lower = quoted.lowercased()
            if lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") {
                let shown = RemoteSource.redacting(quoted)
                if shown != quoted { fullURLs[shown] = quoted }
                out += shown
            } else {
                out += quoted
            }
            out += "\""
            rest = after[after.index(after: close)...]
        }
        return out + rest
    }

    // MARK: load

    /// `load postgres "url" table "t" as o`: connects, reads the relation's columns, and
    /// returns the stand-in. Nothing is loaded when anything fails.
    public func load(_ spec: LoadSpec) throws(TallyError) -> LoadedData {
        guard case .postgres(let url, let relation) = spec.source else { return LoadedData(tables: []) }
        let span = spec.pathSpan
        let target: PostgresTarget
        switch PostgresTarget.parse(fullURLs[url] ?? url, environment: environment) {
        case .success(let t): target = t
        case .failure(let f): throw TallyError(.command("postgres at \(RemoteSource.redacting(url)): \(f.message)"), span: span)
        }
        let client = clients[target.display].flatMap { $0.target == target ? $0 : nil } ?? PostgresClient(target: target)
        loads += 1
        let source = RemoteSource(server: target.display, relation: relation, generation: loads)
        let schema: Table
        do {
            schema = try columns(of: source, client: client)
        } catch {
            client.close()
            throw TallyError(.command("postgres at \(target.display): \(error.message)"), span: span)
        }
        if let old = clients[target.display], old !== client { old.close() }
        clients[target.display] = client
        let name = spec.name ?? "t"
        let what: NotePart
        switch relation {
        case .table(let t): what = .phrase(.remoteRelationTable, [.text(t)])
        case .query: what = .phrase(.remoteRelationQuery)
        }
        let report = [Note(.remoteLoaded, [.text(target.display), what, .counted(schema.columnCount, .nounColumn),
                                           .joined(zip(schema.names, schema.columns).map { .text("\($0.0) \($0.1.typeName)") }, ", ")],
                           indent: 1)]
        return LoadedData(tables: [(name, source.standIn(schema))], report: report)
    }

    /// The relation's column names and types, read through a temporary view (which works
    /// for a table and a query alike, without running the query).
    private func columns(of source: RemoteSource, client: PostgresClient) throws(PostgresFailure) -> Table {
        let view = "tally_columns_\(loads)"
        let body: String
        switch source.relation {
        case .table(let t): body = "SELECT * FROM \(SQLText.relation(t))"
        case .query(let q):
            var s = q.trimmingCharacters(in: .whitespacesAndNewlines)
            while s.hasSuffix(";") { s.removeLast() }
            body = s
        }
        try client.execute("CREATE TEMP VIEW \(SQLText.identifier(view)) AS \(body)", isInterrupted: isInterrupted)
        defer { try? client.execute("DROP VIEW IF EXISTS \(SQLText.identifier(view))", isInterrupted: isInterrupted) }
        let described = try client.fetch("""
            SELECT attname::text AS name, atttypid::int8 AS oid, format_type(atttypid, atttypmod) AS type
            FROM pg_attribute WHERE attrelid = 'pg_temp.\(view)'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """, isInterrupted: isInterrupted)
        guard described.rowCount > 0, let names = described.column(named: "name"), let oids = described.column(named: "oid"),
              let types = described.column(named: "type") else {
            throw PostgresFailure("the relation has no columns")
        }
        var out: [String] = [], cols: [Column] = []
        for i in 0..<described.rowCount {
            guard case .text(let name) = names[i], case .number(let oid, _) = oids[i], case .text(let typeName) = types[i] else { continue }
            guard let type = ColumnBuilder.type(of: .init(UInt32(oid))) else {
                throw PostgresFailure("column `\(name)` has type \(typeName), which Tally cannot hold; "
                    + "load a query that casts it (\(name)::text, \(name)::date or \(name)::numeric)")
            }
            guard !out.contains(name) else { throw PostgresFailure("two columns are named `\(name)`; name them apart with AS") }
            out.append(name)
            cols.append(ColumnBuilder.empty(type))
        }
        return Table(names: out, columns: cols) ?? Table()
    }

    // MARK: evaluation

    public func evaluate(_ e: Expr, evaluator ev: Evaluator) throws(TallyError) -> Value? {
        guard case .call(let name, let nameSpan, let args, let span) = e, let first = args.first, first.label == nil,
              isRemote(first.value, ev) else { return nil }
        let sql = compiler(ev)
        if let plan = try sql.plan(e) { return try run(plan, ev, span: span) }
        // This step cannot be sent. When its table argument can, that runs on the server and
        // this step here; otherwise the argument's own evaluation finds where to stop.
        guard let inner = try sql.plan(first.value), case .table = inner.result,
              case .table(let t) = try run(inner, ev, span: first.value.span) else { return nil }
        if name == "collect" { return .table(t) }
        notes.append(Note(.remoteRanHere, [.name(name), .counted(t.rowCount, .nounRow)]))
        var rest = args
        rest[0] = Argument(label: nil, labelSpan: nil, value: .name(RemotePlan.fetchedName, first.value.span))
        return try binding(t, in: ev).evaluate(.call(name: name, nameSpan: nameSpan, arguments: rest, span: span))
    }

    public func fetch(_ standIn: Table, source: RemoteSource, span: SourceSpan) throws(TallyError) -> Table {
        let plan = RemotePlan(source: source, query: SQLCompiler.baseQuery(source, standIn), result: .table, steps: [])
        let t = try fetchRows(plan, span: span)
        notes.append(Note(.remoteFetchedAll, [.counted(t.rowCount, .nounRow)]))
        return t
    }

    public func explain(_ e: Expr, evaluator ev: Evaluator) throws(TallyError) -> [String] {
        if let plan = try compiler(ev).plan(e) { return plan.explanation }
        if case .call(let name, _, let args, _) = e, let first = args.first, first.label == nil, isRemote(first.value, ev) {
            if name == "collect" { return try explain(first.value, evaluator: ev) }
            return try explain(first.value, evaluator: ev) + ["-- then here: `\(name)` over the rows it returns (it has no SQL form in Tally yet)"]
        }
        throw TallyError(.command("this expression reads no remote table, so it runs here"), span: e.span,
                         hint: "explain shows the SQL of an expression over a table loaded with load postgres")
    }

    // MARK: plumbing

    /// True when `e` is a remote table or a chain of table calls starting at one.
    private func isRemote(_ e: Expr, _ ev: Evaluator) -> Bool {
        switch e {
        case .name(let n, _):
            guard ev.columns?.column(named: n) == nil, case .table(let t)? = ev.lookup(n) else { return false }
            return RemoteSource(t) != nil
        case .call(_, _, let args, _):
            guard let first = args.first, first.label == nil else { return false }
            return isRemote(first.value, ev)
        default: return false
        }
    }

    private func compiler(_ ev: Evaluator) -> SQLCompiler {
        SQLCompiler(
            remoteTable: { n in
                guard ev.columns?.column(named: n) == nil, case .table(let t)? = ev.lookup(n), let s = RemoteSource(t) else { return nil }
                return (s, t)
            },
            // A constant that cannot be evaluated declines the push-down; the step then runs
            // here and reports the problem in its own words.
            constant: { e in (try? ev.evaluate(e)) ?? .empty })
    }

    /// An evaluator that sees `t` under `RemotePlan.fetchedName`.
    private func binding(_ t: Table, in ev: Evaluator) -> Evaluator {
        var local = ev
        let outer = ev.lookup
        local.lookup = { n in n == RemotePlan.fetchedName ? .table(t) : outer(n) }
        return local
    }

    private func run(_ plan: RemotePlan, _ ev: Evaluator, span: SourceSpan) throws(TallyError) -> Value {
        let t = try fetchRows(plan, span: span)
        switch plan.result {
        case .table: return .table(t)
        case .scalar: return t.rowCount == 1 && t.columnCount == 1 ? t.columns[0][0] : .empty
        case .local(let name, let arguments, let callSpan):
            return try binding(t, in: ev).evaluate(.call(name: name, nameSpan: callSpan, arguments: arguments, span: callSpan))
        }
    }

    private func fetchRows(_ plan: RemotePlan, span: SourceSpan) throws(TallyError) -> Table {
        let server = plan.source.server
        let client: PostgresClient
        if let c = clients[server] {
            client = c
        } else {
            switch PostgresTarget.parse(fullURLs[server] ?? server, environment: environment) {
            case .success(let t): client = PostgresClient(target: t)
            case .failure(let f): throw TallyError(.command("postgres at \(server): \(f.message)"), span: span)
            }
            clients[server] = client
        }
        let start = DispatchTime.now().uptimeNanoseconds, before = client.bytesReceived
        defer {
            serverMilliseconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            bytesReceived += client.bytesReceived - before
        }
        do {
            return try client.fetch(plan.query.text, expected: plan.query.columns, isInterrupted: isInterrupted)
        } catch {
            throw TallyError(.command("postgres at \(server): \(error.message)"), span: span)
        }
    }
}
