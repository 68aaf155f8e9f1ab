import Synchronization
import PostgresNIO

/// Follows the server's first messages on a plain connection as far as AuthenticationOk,
/// for `sslmode=allow`: libpq retries with TLS when the server refuses the plain connection
/// before it has accepted the authentication (no `host` line in pg_hba.conf for this user,
/// a wrong password, too many clients), never after (a missing database, a role that may
/// not log in). postgres-nio reports both alike, so the bytes tell which it was.
struct StartupWatch: Sendable {
    /// Whether the server has sent AuthenticationOk.
    private(set) var authenticated = false
    /// The message being read: its type byte, length and (for an authentication request)
    /// the request's code.
    private var header: [UInt8] = []
    /// Bytes of the current message's body still to pass over.
    private var skip = 0

    /// Reads the next bytes the server sent, in order, in pieces of any size.
    mutating func read<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for byte in bytes {
            if authenticated { return }
            if skip > 0 { skip -= 1; continue }
            header.append(byte)
            guard header.count >= 5 else { continue }
            // The length counts itself but not the type byte.
            let length = header[1...4].reduce(0) { $0 << 8 | Int($1) }
            let body = max(length - 4, 0)
            if header[0] == UInt8(ascii: "R"), body >= 4 {
                guard header.count == 9 else { continue }
                // An authentication request of code 0 is AuthenticationOk.
                if header[5...8].allSatisfy({ $0 == 0 }) { authenticated = true; return }
                skip = body - 4
            } else {
                skip = body
            }
            header.removeAll(keepingCapacity: true)
        }
    }

    /// Whether libpq, in `sslmode=allow`, tries again with TLS after the server sent an
    /// error with this SQLSTATE on a plain connection: for any error before AuthenticationOk
    /// except 57P03 (the server cannot accept connections now: starting up, shutting down),
    /// which no encryption changes.
    static func retriesWithTLS(sqlState: String?, authenticated: Bool) -> Bool {
        !authenticated && sqlState != "57P03"
    }
}

/// What a `StartupWatch` saw, read by the connecting task once the handshake ended.
final class StartupWatchBox: Sendable {
    private let seen = Mutex(false)
    var authenticated: Bool { seen.withLock { $0 } }
    func markAuthenticated() { seen.withLock { $0 = true } }
}

/// Passes the server's bytes on unchanged, watching them until AuthenticationOk.
final class StartupWatchHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private var watch = StartupWatch()
    private let box: StartupWatchBox

    init(_ box: StartupWatchBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !watch.authenticated {
            watch.read(unwrapInboundIn(data).readableBytesView)
            if watch.authenticated { box.markAuthenticated() }
        }
        context.fireChannelRead(data)
    }
}
