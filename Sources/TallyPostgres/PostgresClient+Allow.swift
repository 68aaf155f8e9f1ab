import PostgresNIO

/// `sslmode=allow`, as libpq: a plain connection first; when the server refuses it before
/// accepting the authentication, once more with TLS (the certificate unchecked, as `prefer`).
extension PostgresClient {
    /// How the plain try ended: connected, or refused in a way libpq answers with a TLS try.
    enum PlainTry: Sendable {
        case connected(PostgresConnection)
        case refused(String)
    }

    /// Connects as `sslmode=allow` does; says whether the connection is the TLS try.
    func connectAllowingTLS(_ isInterrupted: @escaping () -> Bool) throws(PostgresFailure) -> (PostgresConnection, Bool) {
        let target = self.target, logger = self.logger
        let plain: PlainTry = try wait(isInterrupted) {
            try await PostgresClient.connectPlain(target, id: PostgresClient.ids.next(), logger: logger)
        }
        switch plain {
        case .connected(let conn):
            return (conn, false)
        case .refused(let refusal):
            let configuration = try configuration(connectTimeout: 10, allowRetry: true)
            let id = PostgresClient.ids.next()
            do {
                let conn = try wait(isInterrupted) {
                    try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
                }
                return (conn, true)
            } catch {
                // Both refusals, as libpq reports both; once when they are the same.
                if error.message == refusal { throw error }
                throw PostgresFailure("without TLS: \(refusal); with TLS (sslmode=allow tries again): \(error.message)")
            }
        }
    }

    /// A plain connection whose handshake a `StartupWatch` follows, so that a refusal is
    /// known to have come before or after the server accepted the authentication.
    private static func connectPlain(_ target: PostgresTarget, id: Int, logger: Logger) async throws -> PlainTry {
        let box = StartupWatchBox()
        let bootstrap = ClientBootstrap(group: PostgresConnection.defaultEventLoopGroup)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(StartupWatchHandler(box)) }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: target.host, port: target.port).get()
        } catch {
            throw PostgresFailure(describeConnecting(error, target: target))
        }
        var configuration = PostgresConnection.Configuration(establishedChannel: channel, username: target.user,
                                                             password: target.password, database: target.database)
        configuration.options.connectTimeout = .seconds(10)
        do {
            return .connected(try await PostgresConnection.connect(on: channel.eventLoop, configuration: configuration, id: id, logger: logger))
        } catch let e as PSQLError where e.code == .server
            && StartupWatch.retriesWithTLS(sqlState: e.serverInfo?[.sqlState], authenticated: box.authenticated) {
            channel.close(promise: nil)
            return .refused(describe(e, target: target))
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }
}
