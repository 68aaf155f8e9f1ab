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
    /// Told the rows received so far while a long fetch runs, and nil when it ends (the
    /// REPL shows a progress line on a terminal); nil: nothing is shown.
    public var progress: ((Int?) -> Void)?
    /// Lines for the host to show after the statement (steps computed here).
    var notes: [Note] = []
    /// Time spent waiting for servers since the last `takeTimings`, in milliseconds.
    var serverMilliseconds = 0.0
    var bytesReceived = 0
    /// One connection per server (the URL without password); it keeps the password in memory.
    private var clients: [String: PostgresClient] = [:]
    private var loads = 0
    /// Typed URLs that held a password, by the URL without it (memory only).
    private var fullURLs: [String: String] = [:]
    private let environment: [String: String]
    /// `set pg_timeout`: seconds a server may spend on one query (0: no limit).
    public var statementTimeout = 0 {
        didSet { for c in clients.values { c.statementTimeout = statementTimeout } }
    }

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
    public func absorbingPasswords(_ text: String) -> String { redactingPasswords(text, keep: true) }

    /// `text` with the passwords of its postgresql:// URLs taken out; `keep` keeps them for
    /// the connections. A script is shown redacted as a whole but absorbed statement by
    /// statement, so that each `load` connects with the password typed in it, not with one
    /// from a later line to the same server.
    public func redactingPasswords(_ text: String, keep: Bool) -> String {
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
                if keep, shown != quoted { fullURLs[shown] = quoted }
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
        client.statementTimeout = statementTimeout
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
                                           .joined(zip(schema.names, schema.columns).map { .phrase(.remoteColumnTyped, [.text($0.0), .phrase(Self.typeKey($0.1), [])]) }, ", ")],
                           indent: 1)]
        return LoadedData(tables: [(name, source.standIn(schema))], report: report)
    }

    /// The catalogue key of a column's type, so the load line shows it in the interface's language.
    private static func typeKey(_ c: Column) -> MessageKey {
        switch c.typeName {
        case "number": return .typeNumber
        case "text": return .typeText
        case "date": return .typeDate
        case "boolean": return .typeBoolean
        default: return .typeMixed
        }
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
        guard case .call(let name, let nameSpan, let args, let span) = e else { return nil }
        let remote = PostgresRemoteTables.tableArguments(name).filter {
            args.indices.contains($0) && args[$0].label == nil && isRemote(args[$0].value, ev)
        }
        guard let i = remote.first else { return nil }
        let sql = compiler(ev)
        if let plan = try sql.plan(e) { return try run(plan, ev, span: span) }
        if name == "join" { return try joinHere(e, remote: remote, evaluator: ev) }
        // This step cannot be sent. When its table argument can, that runs on the server and
        // this step here; otherwise the argument's own evaluation finds where to stop.
        let table = args[i].value
        guard let inner = try sql.plan(table), case .table = inner.result else { return nil }
        var rest = args
        rest[i] = Argument(label: nil, labelSpan: nil, value: .name(RemotePlan.fetchedName, table.span))
        let step = Expr.call(name: name, nameSpan: nameSpan, arguments: rest, span: span)
        if name != "collect" {
            var shown = "the remote table"
            if case .name(let n, _) = table { shown = n }
            try refuseUnknownNames(step, columns: inner.query.columns, table: shown, ev)
        }
        guard case .table(let t) = try run(inner, ev, span: table.span) else { return nil }
        if name == "collect" { return .table(t) }
        notes.append(Note(.remoteRanHere, [.name(name), .counted(t.rowCount, .nounRow)]))
        return try binding([RemotePlan.fetchedName: t], in: ev).evaluate(step)
    }

    /// A step to run here that names what it cannot know (`where(o, amout > 3)`) is refused
    /// before the rows are fetched: it is run first over the columns with no rows, and only
    /// an unknown name, column or function, which no row can change, is taken from that.
    private func refuseUnknownNames(_ step: Expr, columns: [(name: String, type: SQLType)], table: String,
                                    _ ev: Evaluator) throws(TallyError) {
        guard let empty = Table(names: columns.map(\.name), columns: columns.map { ColumnBuilder.empty($0.type) }) else { return }
        do {
            _ = try binding([RemotePlan.fetchedName: empty], in: ev).evaluate(step)
        } catch {
            switch error.kind {
            case .unknownName, .unknownFunction: throw error
            case .unknownColumn(let column, let t):
                var named = error
                if t == RemotePlan.fetchedName { named.kind = .unknownColumn(column: column, table: table) }
                throw named
            default: return
            }
        }
    }

    /// The positions of a call's table arguments that may read a remote table: both of a
    /// join, the table of parts of a split, else the first.
    static func tableArguments(_ name: String) -> [Int] {
        name == "join" ? [0, 1] : name == "split" ? [1] : [0]
    }

    /// A join that is not one SQL JOIN (a local side, two servers, keys SQL cannot match as
    /// Tally does): each remote side runs on its server as far as it can, the join here.
    private func joinHere(_ e: Expr, remote: [Int], evaluator ev: Evaluator) throws(TallyError) -> Value? {
        guard case .call(let name, let nameSpan, let args, let span) = e else { return nil }
        let sql = compiler(ev)
        var rest = args, fetched: [String: Table] = [:], rows = 0
        var servers: [String] = []
        for i in remote {
            let side = args[i].value
            let t: Table
            if let p = try sql.plan(side), case .table = p.result, case .table(let x) = try run(p, ev, span: side.span) {
                t = x
            } else if case .table(let x) = try ev.evaluate(side) {
                t = x
            } else {
                return nil
            }
            if let s = server(of: side, ev) { servers.append(s) }
            let n = RemotePlan.fetchedName + String(i)
            fetched[n] = t
            rows += t.rowCount
            rest[i] = Argument(label: nil, labelSpan: nil, value: .name(n, side.span))
        }
        if remote.count == 1 {
            notes.append(Note(.remoteJoinedHere, [.name(name), .counted(rows, .nounRow), .phrase(.remoteJoinLocalSide)]))
        } else if Set(servers).count > 1 {
            notes.append(Note(.remoteJoinedHere, [.name(name), .counted(rows, .nounRow), .phrase(.remoteJoinTwoServers)]))
        } else {
            notes.append(Note(.remoteRanHere, [.name(name), .counted(rows, .nounRow)]))
        }
        return try binding(fetched, in: ev).evaluate(.call(name: name, nameSpan: nameSpan, arguments: rest, span: span))
    }

    /// A pushed-down split: the leaves summed on the server (`t`), the allocation here. When
    /// split needs the rows themselves (a weight it refuses, so it names the row; or every row
    /// its own leaf, when it lists the rows with all their columns) they are fetched instead.
    private func split(_ t: Table, _ plan: RemotePlan, _ ev: Evaluator, span: SourceSpan) throws(TallyError) -> Value {
        guard case .split(let arguments, let callSpan, let rowsQuery) = plan.result else { return .table(t) }
        var rows = 0.0, bad = 0.0
        if let rowsColumn = t.column(named: SplitPushdown.rowsColumn), let badColumn = t.column(named: SplitPushdown.badColumn) {
            for i in 0..<t.rowCount {
                if case .number(let x, _) = rowsColumn[i] { rows += x }
                if case .number(let x, _) = badColumn[i] { bad += x }
            }
        }
        let kept = t.names.indices.filter { ![SplitPushdown.rowsColumn, SplitPushdown.badColumn].contains(t.names[$0]) }
        var leaves: Table
        if bad == 0, rows > Double(t.rowCount), let summed = Table(names: kept.map { t.names[$0] }, columns: kept.map { t.columns[$0] }) {
            leaves = summed
            leaves.display.metadata[SummedLeaves.metadataKey] = .num(rows)
        } else {
            var whole = plan
            whole.query = rowsQuery
            leaves = try fetchRows(whole, span: span)
            notes.append(Note(.remoteSplitRows, [.counted(leaves.rowCount, .nounRow)]))
        }
        return try binding([RemotePlan.fetchedName: leaves], in: ev)
            .evaluate(.call(name: "split", nameSpan: callSpan, arguments: arguments, span: callSpan))
    }

    /// The server's per-key sums with their row counts (SummedKeys) as the table abc reads:
    /// keys with no row summed dropped, the counts moved to its metadata. Other tables as they are.
    private func summedKeys(_ t: Table) -> Table {
        guard let rows = t.column(named: SummedKeys.rowsColumn), let skipped = t.column(named: SummedKeys.skippedColumn) else { return t }
        var used = 0.0, left = 0.0, kept: [Int] = []
        for i in 0..<t.rowCount {
            if case .number(let x, _) = skipped[i] { left += x }
            if case .number(let x, _) = rows[i], x > 0 { used += x; kept.append(i) }
        }
        let columns = t.names.indices.filter { ![SummedKeys.rowsColumn, SummedKeys.skippedColumn].contains(t.names[$0]) }
        guard var out = Table(names: columns.map { t.names[$0] }, columns: columns.map { t.columns[$0].gather(kept) }) else { return t }
        out.display.metadata[SummedKeys.rowsKey] = .num(used)
        out.display.metadata[SummedKeys.skippedKey] = .num(left)
        return out
    }

    /// 1234567 as "1,234,567", as pivot's own messages write counts.
    private func grouped(_ n: Int) -> String {
        n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }

    /// The server of the remote table a table expression starts from.
    private func server(of e: Expr, _ ev: Evaluator) -> String? {
        switch e {
        case .name(let n, _):
            guard case .table(let t)? = ev.lookup(n) else { return nil }
            return RemoteSource(t)?.server
        case .call(_, _, let args, _):
            guard let first = args.first, first.label == nil else { return nil }
            return server(of: first.value, ev)
        default: return nil
        }
    }

    /// The grid of a pushed-down pivot from the server's cells (GROUPING 0) and totals
    /// (1: a row's, 2: a column's, 3: the grand total), shaped as `pivot` shapes its own.
    private func pivot(_ t: Table, _ p: PivotRequest, maxRows: Int, span: SourceSpan) throws(TallyError) -> Table {
        guard t.columnCount >= 3 else { return t }
        let rk = t.columns[0], ck = t.columns[1], values = t.columns[2]
        let grouping = t.columnCount > 3 ? t.columns[3] : nil
        var cells: [Int] = [], rowTotals: [String: Value] = [:], colTotals: [String: Value] = [:], grand = Value.empty
        func key(_ v: Value) -> String { String(describing: v) }
        for i in 0..<t.rowCount {
            var level = 0
            if let g = grouping, case .number(let x, _) = g[i] { level = Int(exactly: x) ?? 0 }
            switch level {
            case 0: cells.append(i)
            case 1: rowTotals[key(rk[i])] = values[i]
            case 2: colTotals[key(ck[i])] = values[i]
            default: grand = values[i]
            }
        }
        // As pivot: no rows, no grand total.
        if cells.isEmpty { grand = .empty }
        let check = { () throws(TallyError) in if self.isInterrupted() { throw TallyError(.interrupted, span: span) } }
        let grid = try PivotGrid(rowKeys: rk.gather(cells), colKeys: ck.gather(cells), cells: cells.map { values[$0] }, check: check)
        if grid.columnCount > Registry.maxPivotColumns {
            throw TallyError(.arguments("pivot: `\(p.cols)` has \(grouped(grid.columnCount)) different values, too many columns (at most \(grouped(Registry.maxPivotColumns)))"),
                             span: p.colsExpr.span, hint: "put the column with fewer values in cols:, or group first")
        }
        // The same limit on the grid's cells as pivot's own (`set max_rows`).
        let (cellCount, overflow) = grid.rowCount.multipliedReportingOverflow(by: grid.columnCount)
        let limit = max(1, maxRows / 10)
        if overflow || cellCount > limit {
            throw TallyError(.arguments("pivot: the result would have \(overflow ? "more than \(grouped(Int.max))" : grouped(cellCount)) cells (at most \(grouped(limit)))"),
                             span: p.colsExpr.span,
                             hint: "\(grouped(grid.rowCount)) rows x \(grouped(grid.columnCount)) columns: group first, or pivot on keys with fewer values; `set max_rows N` changes the limit")
        }
        return try grid.table(rowName: p.rows, rowTotals: grid.rowValues.map { rowTotals[key($0)] ?? .empty },
                              colTotals: grid.colValues.map { colTotals[key($0)] ?? .empty }, grand: grand,
                              totals: p.totals, share: p.share, of: p.of, value: p.value, check: check)
    }

    public func explain(_ e: Expr, evaluator ev: Evaluator) throws(TallyError) -> [String] {
        if let plan = try compiler(ev).plan(e) { return plan.explanation }
        if case .call(let name, _, let args, _) = e {
            let remote = PostgresRemoteTables.tableArguments(name).filter {
                args.indices.contains($0) && args[$0].label == nil && isRemote(args[$0].value, ev)
            }
            if name == "collect", let i = remote.first { return try explain(args[i].value, evaluator: ev) }
            if !remote.isEmpty {
                let why = name == "join" ? "the tables are not both on one server, or their keys cannot be matched in SQL as Tally matches them"
                    : "it has no SQL form in Tally yet"
                var lines: [String] = []
                for i in remote { lines += try explain(args[i].value, evaluator: ev) }
                return lines + ["-- then here: `\(name)` over the rows \(remote.count > 1 ? "they return" : "it returns") (\(why))"]
            }
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
        case .member(.name(let n, let span), _, _):
            // `sum(o.amount)`: an aggregate of a remote column.
            return isRemote(.name(n, span), ev)
        default: return false
        }
    }

    func compiler(_ ev: Evaluator) -> SQLCompiler {
        SQLCompiler(
            remoteTable: { n in
                guard ev.columns?.column(named: n) == nil, case .table(let t)? = ev.lookup(n), let s = RemoteSource(t) else { return nil }
                return (s, t)
            },
            // A constant that cannot be evaluated declines the push-down; the step then runs
            // here and reports the problem in its own words.
            constant: { e in (try? ev.evaluate(e)) ?? .empty })
    }

    /// An evaluator that also sees the fetched tables under their names (`RemotePlan.fetchedName`...).
    private func binding(_ tables: [String: Table], in ev: Evaluator) -> Evaluator {
        var local = ev
        let outer = ev.lookup
        local.lookup = { n in tables[n].map(Value.table) ?? outer(n) }
        return local
    }

    private func run(_ plan: RemotePlan, _ ev: Evaluator, span: SourceSpan) throws(TallyError) -> Value {
        let t = try fetchRows(plan, span: span)
        switch plan.result {
        case .table: return .table(t)
        case .scalar: return t.rowCount == 1 && t.columnCount == 1 ? t.columns[0][0] : .empty
        case .local(let name, let arguments, let callSpan):
            return try binding([RemotePlan.fetchedName: summedKeys(t)], in: ev).evaluate(.call(name: name, nameSpan: callSpan, arguments: arguments, span: callSpan))
        case .pivot(let request): return .table(try pivot(t, request, maxRows: ev.maxRows, span: span))
        case .split: return try split(t, plan, ev, span: span)
        }
    }

    /// The connection to `server`, made on first use.
    func client(_ server: String, span: SourceSpan) throws(TallyError) -> PostgresClient {
        if let c = clients[server] { return c }
        switch PostgresTarget.parse(fullURLs[server] ?? server, environment: environment) {
        case .success(let t):
            let client = PostgresClient(target: t)
            client.statementTimeout = statementTimeout
            clients[server] = client
            return client
        case .failure(let f): throw TallyError(.command("postgres at \(server): \(f.message)"), span: span)
        }
    }

    /// Runs `body` with the connection to `server`, adding its time and the bytes it
    /// received to what `set timer on` shows.
    func withClient<T>(_ server: String, span: SourceSpan, _ body: (PostgresClient) throws(TallyError) -> T) throws(TallyError) -> T {
        let client = try client(server, span: span)
        let start = DispatchTime.now().uptimeNanoseconds, before = client.bytesReceived
        defer {
            serverMilliseconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            bytesReceived += client.bytesReceived - before
        }
        return try body(client)
    }

    func fetchRows(_ plan: RemotePlan, span: SourceSpan) throws(TallyError) -> Table {
        let server = plan.source.server
        return try withClient(server, span: span) { (client) throws(TallyError) -> Table in
            try fetchRows(plan, client: client, span: span)
        }
    }

    private func fetchRows(_ plan: RemotePlan, client: PostgresClient, span: SourceSpan) throws(TallyError) -> Table {
        let server = plan.source.server
        do {
            return try client.fetch(plan.query.text, expected: plan.query.columns, isInterrupted: isInterrupted, progress: progress)
        } catch {
            throw TallyError(.command("postgres at \(server): \(error.message)"), span: span)
        }
    }
}
