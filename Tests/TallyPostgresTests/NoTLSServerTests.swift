import Foundation
import Testing
import TallyPostgres
import TallyREPL
#if canImport(Glibc)
import Glibc
#endif

/// A server that does not offer TLS, played by a listener on loopback that answers the
/// client's SSLRequest with `N`, as PostgreSQL without `ssl = on` does. No server needed.
@Suite struct NoTLSServerTests {
    static let modes = ["require", "verify-ca", "verify-full"]

    @Test(arguments: modes)
    func aModeThatNeedsTLSIsRefused(_ mode: String) throws {
        let server = try #require(NoTLSListener())
        defer { server.stop() }
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        let url = "postgresql://ann:s3cret-pw@127.0.0.1:\(server.port)/sales?sslmode=\(mode)"
        let start = Date()
        #expect(!d.execute("load postgres \"\(url)\" table \"orders\" as o", name: nil, line: 1))
        #expect(Date().timeIntervalSince(start) < 5, "slow to refuse")
        #expect(out.text.contains("error: postgres at postgresql://ann@127.0.0.1:\(server.port)/sales?sslmode=\(mode): the server does not offer TLS, which sslmode=\(mode) needs"),
                "\(out.text)")
        #expect(out.text.split(separator: "\n").filter { $0.hasPrefix("error:") }.count == 1, "\(out.text)")
        #expect(!out.text.contains("s3cret-pw"), "the password is shown: \(out.text)")
        #expect(d.session.workspace["o"] == nil)
        #expect(server.sawSSLRequest, "the client never asked for TLS")
    }
}

/// Accepts one connection on a free loopback port, reads the 8-byte SSLRequest and answers
/// `N` (no TLS here), then waits for the client to hang up.
private final class NoTLSListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var request: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    init?() {
        guard let (fd, port) = LoopbackSocket.listening(backlog: 1) else { return nil }
        self.fd = fd
        self.port = port
        Thread.detachNewThread { [self] in
            defer { done.signal() }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            defer { close(client) }
            var buffer = [UInt8](repeating: 0, count: 8)
            var got = 0
            while got < 8 {
                let n = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress! + got, 8 - got) }
                if n <= 0 { break }
                got += n
            }
            lock.lock(); request = Array(buffer.prefix(got)); lock.unlock()
            _ = [UInt8(ascii: "N")].withUnsafeBytes { write(client, $0.baseAddress, 1) }
            var rest = [UInt8](repeating: 0, count: 512)
            while rest.withUnsafeMutableBytes({ read(client, $0.baseAddress, 512) }) > 0 {}
        }
    }

    /// Whether the first 8 bytes were an SSLRequest (length 8, code 80877103).
    var sawSSLRequest: Bool {
        lock.lock(); defer { lock.unlock() }
        return request == [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F]
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        _ = done.wait(timeout: .now() + .seconds(2))
    }
}
