import CMalloc
import Foundation
import Synchronization
import PostgresNIO
import TallyCore
import TallySQL

/// One connection to a PostgreSQL server, used synchronously: Tally's statements run one
/// at a time, so each call waits for its answer (polling for Ctrl-C, which closes the
/// connection and so stops the server's work).
public final class PostgresClient: @unchecked Sendable {
    public let target: PostgresTarget
    private var connection: PostgresConnection?
    let logger: Logger
    /// Bytes of cell data received so far (what crossed the network, framing aside).
    public private(set) var bytesReceived = 0
    /// The server process of the connection (for cancelling its query), nil when unknown.
    private var backendPID: Int?
    /// `set pg_timeout`: the server stops a query after this many seconds (0: no limit);
    /// Tally stops waiting a few seconds later should the server not answer at all.
    public var statementTimeout = 0
    /// True while a connection is open (a transaction left open by an error can be ended).
    public var isOpen: Bool { connection != nil }
    /// The `statement_timeout` the connection has now (0: the server's default).
    private var appliedTimeout = 0
    /// Whether the connection now open is `sslmode=allow`'s second try, with TLS (a
    /// cancelling connection then goes as it went).
    private var allowRetriedWithTLS = false
    static let ids = IDCounter()
    private static let executor = QueueExecutor()

    public init(target: PostgresTarget) {
        self.target = target
        var logger = Logger(label: "tally.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    deinit { close() }

    /// Connects (within the 10 s connect timeout) unless connected.
    public func connect(isInterrupted: @escaping () -> Bool = { false }) throws(PostgresFailure) {
        if let c = connection {
            if !c.isClosed { return }
            // The server closed it while idle (it was stopped or restarted): connect anew,
            // which says so when the server is gone, rather than wait on a closed socket.
            close()
        }
        let logger = self.logger
        let conn: PostgresConnection
        if target.sslMode == .allow {
            (conn, allowRetriedWithTLS) = try connectAllowingTLS(isInterrupted)
        } else {
            let configuration = try configuration(connectTimeout: 10)
            let id = PostgresClient.ids.next()
            conn = try wait(isInterrupted) {
                try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
            }
        }
        connection = conn
        appliedTimeout = 0
        // The server process behind this connection, so that Ctrl-C can cancel its query.
        backendPID = nil
        let pid: Int? = try? wait(isInterrupted) {
            for try await (p) in try await conn.query("SELECT pg_backend_pid()::int8", logger: logger).decode(Int64.self) { return Int(p) }
            return nil
        }
        backendPID = pid
    }

    /// How to connect; `allowRetry`: `sslmode=allow`'s second try, with TLS.
    func configuration(connectTimeout seconds: Int64, allowRetry: Bool = false) throws(PostgresFailure) -> PostgresConnection.Configuration {
        var config = PostgresConnection.Configuration(host: target.host, port: target.port, username: target.user,
                                                      password: target.password, database: target.database,
                                                      tls: try PostgresClient.tls(target, allowRetry: allowRetry))
        config.options.connectTimeout = .seconds(seconds)
        return config
    }

    /// Asks the server to stop the query running on this connection (`pg_cancel_backend`,
    /// from a second short-lived connection): closing the connection alone stops a query
    /// only when the server next writes to it, which an aggregation does at its end.
    /// Waits at most a few seconds; a failure leaves it to the closed connection.
    private func cancelRunningQuery() {
        guard let pid = backendPID, let configuration = try? configuration(connectTimeout: 3, allowRetry: allowRetriedWithTLS) else { return }
        let logger = self.logger, id = PostgresClient.ids.next()
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: PostgresClient.executor) {
            if let c = try? await PostgresConnection.connect(configuration: configuration, id: id, logger: logger) {
                // The pid is a number this client read; no text of the user's goes in.
                _ = try? await c.query(PostgresQuery(unsafeSQL: "SELECT pg_cancel_backend(\(pid))"), logger: logger).collect()
                try? await c.close()
            }
            done.signal()
        }
        _ = done.wait(timeout: .now() + .seconds(4))
    }

    /// Connects, and gives the connection the statement timeout asked for.
    private func ready(_ isInterrupted: @escaping () -> Bool) throws(PostgresFailure) -> PostgresConnection {
        try connect(isInterrupted: isInterrupted)
        guard let conn = connection else { throw PostgresFailure("not connected") }
        if appliedTimeout != statementTimeout {
            let ms = statementTimeout * 1000, logger = self.logger
            let _: Int = try wait(isInterrupted) {
                try await conn.query(PostgresQuery(unsafeSQL: "SET statement_timeout = \(ms)"), logger: logger).collect().count
            }
            appliedTimeout = statementTimeout
        }
        return conn
    }

    /// Runs `sql` and returns its rows as columns; `expected` names and types the columns
    /// when the server returns no rows. Unmappable column types are refused.
    /// `progress` is told the rows received so far about twice a second once a fetch has
    /// taken a second, and nil when it ends (to clear a progress line).
    public func fetch(_ sql: String, expected: [(name: String, type: SQLType)]? = nil,
                      isInterrupted: @escaping () -> Bool = { false },
                      progress: ((Int?) -> Void)? = nil) throws(PostgresFailure) -> Table {
        let conn = try ready(isInterrupted)
        let logger = self.logger
        let counter = RowCounter(), start = DispatchTime.now().uptimeNanoseconds
        var shown: UInt64 = 0
        let tick: () -> Void = {
            guard let progress else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            guard now - start > 1_000_000_000, now - shown > 500_000_000 else { return }
            shown = now
            progress(counter.value)
        }
        defer { if shown > 0 { progress?(nil) } }
        let (builders, bytes): ([ColumnBuilder], Int) = try wait(isInterrupted, limit: statementTimeout, tick: tick) {
            // Each row is read into the columns on the connection's own thread as it
            // arrives: an async sequence hands every row to another thread (1M rows of a
            // group: 4.5 s of CPU that way, 2.6 s this way). Ctrl-C and pg_timeout still
            // stop the query on the server.
            let sink = RowSink(counter)
            _ = try await conn.query(PostgresQuery(unsafeSQL: sql), logger: logger) { row in try sink.take(row) }.get()
            return (sink.builders, sink.bytes)
        }
        bytesReceived += bytes
        if builders.isEmpty, let expected {
            return Table(names: expected.map(\.name), columns: expected.map { ColumnBuilder.empty($0.type) }) ?? Table()
        }
        guard let t = Table(names: builders.map(\.name), columns: builders.map { $0.column() }) else {
            throw PostgresFailure("the result has two columns of one name (\(PostgresClient.duplicate(builders.map(\.name)))); name them apart with AS")
        }
        // The columns grew on the connection's thread, in that thread's own malloc arena: the
        // buffers they outgrew stay resident there, where this thread's next allocations (the
        // scoring of a million fetched customers) cannot reuse them: about 20 MB at 1M customers.
        if t.rowCount >= PostgresClient.trimAfterRows { tally_release_free_memory() }
        return t
    }

    /// Fetched rows from which the memory freed while fetching is given back (a small
    /// fetch leaves too little to be worth the walk over the heap).
    static let trimAfterRows = 100_000

    /// Runs a statement whose rows are not wanted.
    public func execute(_ sql: String, isInterrupted: @escaping () -> Bool = { false }) throws(PostgresFailure) {
        let conn = try ready(isInterrupted)
        let logger = self.logger
        let _: Int = try wait(isInterrupted, limit: statementTimeout) {
            try await conn.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect().count
        }
    }

    public func close() {
        // A pid outlives its connection on the server only to be given to another one.
        backendPID = nil
        guard let conn = connection else { return }
        connection = nil
        // The connection must outlive its closing (postgres-nio asserts so).
        conn.close().whenComplete { _ in withExtendedLifetime(conn) {} }
    }

    // MARK: plumbing

    /// Seconds past `pg_timeout` Tally waits for the server's own cancellation to arrive.
    static let timeoutGrace = 5
    /// How long a stopped query may take to end once its connection is closed. Past that
    /// it is left to end on its own (a server gone without a word never answers) and the
    /// statement ends: the next one opens a new connection.
    static let stopGrace: DispatchTimeInterval = .seconds(2)

    /// Waits for `body`; Ctrl-C closes the connection (the server then stops the query), and
    /// so does a query still unanswered `timeoutGrace` seconds after `limit` (0: none).
    func wait<T: Sendable>(_ isInterrupted: @escaping () -> Bool, limit: Int = 0, tick: () -> Void = {},
                           _ body: @escaping @Sendable () async throws -> T) throws(PostgresFailure) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        // On a queue of its own, never on the shared pool: the caller blocks a thread, which
        // may be one of the pool's few (inside async code, in tests), and the pool could starve.
        let task = Task(executorPreference: PostgresClient.executor) {
            do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        let deadline = limit > 0 ? DispatchTime.now() + .seconds(limit + PostgresClient.timeoutGrace) : nil
        while done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            tick()
            if let deadline, DispatchTime.now() > deadline {
                task.cancel()
                close()
                _ = done.wait(timeout: .now() + PostgresClient.stopGrace)
                throw PostgresFailure("no answer within pg_timeout (\(limit) s); the connection was closed")
            }
            if isInterrupted() {
                cancelRunningQuery()
                task.cancel()
                close()
                _ = done.wait(timeout: .now() + PostgresClient.stopGrace)
                throw PostgresFailure("interrupted; the query was stopped")
            }
        }
        switch box.get() {
        case .success(let v)?: return v
        case .failure(let e)?:
            if e is PostgresFailure, let f = e as? PostgresFailure { throw f }
            if let p = e as? PSQLError, p.serverInfo?[.sqlState] == "57014", limit > 0 {
                throw PostgresFailure("the query ran longer than pg_timeout (\(limit) s), so the server stopped it (set pg_timeout N allows more)")
            }
            if PostgresClient.isConnectionLost(e) { close() }
            throw PostgresFailure(PostgresClient.describe(e, target: target))
        case nil: throw PostgresFailure("no answer")
        }
    }

    /// What `sslmode` checks of the server's certificate, as libpq: nil for no TLS (`allow`'s
    /// first try); `prefer`, `require` and `allow`'s second try encrypt without checking it
    /// (`require` checks the chain when a CA file is given, as libpq does), `verify-ca`
    /// checks that it chains to a trusted CA, `verify-full` also that it names the host.
    static func verification(_ target: PostgresTarget, allowRetry: Bool = false) -> CertificateVerification? {
        switch target.sslMode {
        case .disable: return nil
        case .allow: return allowRetry ? CertificateVerification.none : nil
        case .prefer: return CertificateVerification.none
        case .require: return caFile(target) == nil ? CertificateVerification.none : .noHostnameVerification
        case .verifyCA: return .noHostnameVerification
        case .verifyFull: return .fullVerification
        }
    }

    /// `sslrootcert`'s file; nil for the system's trusted roots.
    private static func caFile(_ target: PostgresTarget) -> String? {
        target.rootCertificate == "system" ? nil : target.rootCertificate
    }

    private static func tls(_ target: PostgresTarget, allowRetry: Bool) throws(PostgresFailure) -> PostgresConnection.Configuration.TLS {
        guard let verification = verification(target, allowRetry: allowRetry) else { return .disable }
        var config = TLSConfiguration.makeClientConfiguration()
        config.certificateVerification = verification
        if verification != .none, let caFile = caFile(target) {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw PostgresFailure("the CA file \(caFile) (sslrootcert) cannot be read")
            }
            guard let roots = try? NIOSSLCertificate.fromPEMFile(caFile), !roots.isEmpty else {
                throw PostgresFailure("the CA file \(caFile) (sslrootcert) holds no PEM certificate")
            }
            config.trustRoots = .certificates(roots)
        }
        do {
            let context = try NIOSSLContext(configuration: config)
            // `allow`'s second try, as libpq's, goes on plain when the server offers no TLS.
            return target.sslMode == .prefer || target.sslMode == .allow ? .prefer(context) : .require(context)
        } catch {
            throw PostgresFailure("TLS could not be set up: \(error)")
        }
    }

    private static func isConnectionLost(_ e: Error) -> Bool {
        guard let p = e as? PSQLError else { return true }
        return p.code != .server
    }

    /// One line for an error of postgres-nio: the server's own message when it sent one.
    static func describe(_ e: Error, target: PostgresTarget) -> String {
        if let p = e as? PSQLError {
            if let message = p.serverInfo?[.message] {
                let detail = p.serverInfo?[.detail].map { " (\($0))" } ?? ""
                return message + detail
            }
            switch p.code {
            case .connectionError, .serverClosedConnection: return describeConnecting(p.underlying, target: target)
            case .sslUnsupported: return "the server does not offer TLS, which sslmode=\(target.sslMode.rawValue) needs"
            default: return "\(p.code)"
            }
        }
        return "\(e)"
    }

    /// One line for a connection that could not be made (or was lost) for `underlying`.
    static func describeConnecting(_ underlying: Error?, target: PostgresTarget) -> String {
        let under = underlying.map { "\($0)" } ?? ""
        if under.contains("connectTimeout") || under.contains("timeout") {
            return "no answer from \(target.host):\(target.port) within 10 s"
        }
        if under.contains("refused") || under.contains("111") {
            return "connection refused at \(target.host):\(target.port) (is the server running?)"
        }
        if let tls = describeTLS(underlying, target: target) { return tls }
        return "cannot connect to \(target.host):\(target.port)" + (under.isEmpty ? "" : ": " + under)
    }

    /// One line for a TLS handshake that failed over the server's certificate, nil for
    /// any other error. Each names the server and how to get past it.
    private static func describeTLS(_ e: Error?, target: PostgresTarget) -> String? {
        let server = "\(target.host):\(target.port)", mode = target.sslMode.rawValue
        if let x = e as? NIOSSLExtraError, x == .failedToValidateHostname {
            return "the certificate of \(server) is not for host \(target.host) (sslmode=\(mode) checks the host name; "
                + "connect by a name the certificate holds, or use sslmode=verify-ca)"
        }
        guard let s = e as? NIOSSLError else { return nil }
        if case .handshakeFailed(let reason) = s, "\(reason)".contains("CERTIFICATE_VERIFY_FAILED") {
            let ca = caFile(target).map { "the CA file \($0)" } ?? "the system's trusted CAs"
            return "the certificate of \(server) is not trusted (sslmode=\(mode); give its CA with sslrootcert=FILE "
                + "or PGSSLROOTCERT; checked against \(ca))"
        }
        return "the TLS handshake with \(server) failed: \(s)"
    }

    private static func duplicate(_ names: [String]) -> String {
        var seen = Set<String>()
        return names.first { !seen.insert($0).inserted } ?? ""
    }
}

/// Hands a task's result to the waiting thread.
private final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<T, Error>?
    func set(_ v: Result<T, Error>) { lock.lock(); value = v; lock.unlock() }
    func get() -> Result<T, Error>? { lock.lock(); defer { lock.unlock() }; return value }
}

/// Runs the client's tasks on one serial queue of their own.
private final class QueueExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "tally.postgres")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

/// Rows received so far, counted by the fetching task and read by the waiting thread.
/// The rows received so far, read by the progress line from another thread.
private final class RowCounter: Sendable {
    private let n = Atomic<Int>(0)
    func add() { n.add(1, ordering: .relaxed) }
    var value: Int { n.load(ordering: .relaxed) }
}

/// Where a fetch's rows go: its columns, filled on the connection's thread only (one row
/// after another), and read once the query has ended.
private final class RowSink: @unchecked Sendable {
    // Read and written by the connection's thread only, one row after another: a dynamic
    // exclusivity check on every cell was a tenth of a fetch's CPU.
    @exclusivity(unchecked) private(set) var builders: [ColumnBuilder] = []
    @exclusivity(unchecked) private(set) var bytes = 0
    private let counter: RowCounter

    init(_ counter: RowCounter) { self.counter = counter }

    func take(_ row: PostgresRow) throws {
        counter.add()
        if builders.isEmpty {
            for cell in row { builders.append(try ColumnBuilder(name: cell.columnName, dataType: cell.dataType)) }
        }
        var i = 0
        for cell in row {
            bytes += cell.bytes?.readableBytes ?? 0
            try builders[i].append(cell)
            i += 1
        }
    }
}

final class IDCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}
