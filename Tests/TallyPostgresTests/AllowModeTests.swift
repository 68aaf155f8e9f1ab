import Foundation
import Testing
@testable import TallyPostgres
import TallyREPL
#if canImport(Glibc)
import Glibc
#endif

/// `sslmode=allow` as libpq: which refusals of a plain connection are tried again with TLS.
/// A listener on loopback plays a server without TLS that refuses each connection as
/// scripted, and counts the tries. No server needed.
@Suite struct AllowModeTests {
    /// What the server sends after the startup message, per try.
    enum Answer {
        /// An ErrorResponse before any authentication request (pg_hba.conf, a server starting up).
        case refuse(String, String)
        /// AuthenticationOk, then an ErrorResponse (a missing database).
        case acceptThenRefuse(String, String)
    }

    static let noEntry = "no pg_hba.conf entry for host \"127.0.0.1\", user \"ann\", database \"sales\", no encryption"

    /// The answers per try, the tries expected (whether each asked for TLS), and the error.
    static let cases: [(String, [Answer], [Bool], String)] = [
        ("allow", [.refuse("28000", noEntry), .refuse("28000", noEntry)], [false, true], noEntry),
        // As libpq: a wrong password over a plain connection is tried again with TLS too.
        ("allow", [.refuse("28P01", "password authentication failed for user \"ann\""),
                   .refuse("28P01", "password authentication failed for user \"ann\"")],
         [false, true], "password authentication failed for user \"ann\""),
        ("allow", [.refuse("28000", noEntry), .refuse("28P01", "password authentication failed for user \"ann\"")],
         [false, true], "without TLS: \(noEntry); with TLS (sslmode=allow tries again): password authentication failed for user \"ann\""),
        // The server cannot take connections now: TLS would not change that.
        ("allow", [.refuse("57P03", "the database system is starting up")], [false], "the database system is starting up"),
        // Refused after the authentication was accepted: no second try.
        ("allow", [.acceptThenRefuse("3D000", "database \"sales\" does not exist")], [false], "database \"sales\" does not exist"),
        ("disable", [.refuse("28000", noEntry)], [false], noEntry),
    ]

    @Test(arguments: cases.indices)
    func whichRefusalsAreTriedAgainWithTLS(_ i: Int) throws {
        let (mode, answers, tries, message) = Self.cases[i]
        let server = try #require(ScriptedServer(answers))
        let out = CapturedOutput()
        let d = Driver(settings: Settings(), output: out)
        let url = "postgresql://ann:s3cret-pw@127.0.0.1:\(server.port)/sales?sslmode=\(mode)"
        #expect(!d.execute("load postgres \"\(url)\" table \"orders\" as o", name: nil, line: 1))
        let tried = server.stop()
        #expect(tried == tries, "tries (whether each asked for TLS)")
        let lines = out.text.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(lines == ["error: postgres at postgresql://ann@127.0.0.1:\(server.port)/sales?sslmode=\(mode): \(message)"], "\(out.text)")
        #expect(!out.text.contains("s3cret-pw"), "the password is shown: \(out.text)")
        #expect(d.session.workspace["o"] == nil)
    }

    /// The watch finds AuthenticationOk however the bytes are cut, and only AuthenticationOk.
    static let streams: [([UInt8], Bool)] = [
        (message("R", [0, 0, 0, 0]), true),
        (message("R", [0, 0, 0, 10] + Array("SCRAM-SHA-256".utf8) + [0, 0]) + message("R", [0, 0, 0, 12, 1, 2]) + message("R", [0, 0, 0, 0]), true),
        (message("E", Array("SFATAL\0C28000\0Mno\0\0".utf8)), false),
        (message("R", [0, 0, 0, 5, 9, 9, 9, 9]), false),
        // An error whose body holds what looks like AuthenticationOk.
        (message("E", [UInt8(ascii: "R"), 0, 0, 0, 8, 0, 0, 0, 0]), false),
    ]

    @Test(arguments: streams.indices)
    func theWatchSeesAuthenticationOk(_ i: Int) {
        let (bytes, authenticated) = Self.streams[i]
        for cut in 1...max(1, bytes.count) {
            var watch = StartupWatch()
            var rest = bytes[...]
            while !rest.isEmpty {
                watch.read(rest.prefix(cut))
                rest = rest.dropFirst(cut)
            }
            #expect(watch.authenticated == authenticated, "in pieces of \(cut)")
        }
    }

    static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        let length = UInt32(body.count + 4)
        return [UInt8(ascii: type.unicodeScalars.first ?? "?")] + withUnsafeBytes(of: length.bigEndian) { Array($0) } + body
    }
}

/// Accepts connections on a free loopback port, one at a time, and answers each as the
/// script says: `N` to an SSLRequest (no TLS here), then after the startup message the
/// next answer. Records whether each connection asked for TLS.
private final class ScriptedServer: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var tries: [Bool] = []
    private let done = DispatchSemaphore(value: 0)

    init?(_ answers: [AllowModeTests.Answer]) {
        guard let (fd, port) = LoopbackSocket.listening(backlog: 4) else { return nil }
        self.fd = fd
        self.port = port
        Thread.detachNewThread { [self] in
            defer { done.signal() }
            // One more accept than answers: a try beyond the script is counted, then dropped.
            for answer in answers.map(Optional.some) + [nil] {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                serve(client, answer)
                close(client)
            }
        }
    }

    private func serve(_ client: Int32, _ answer: AllowModeTests.Answer?) {
        guard var first = readExactly(client, 8) else { return }
        let askedTLS = first == [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F]
        lock.lock(); tries.append(askedTLS); lock.unlock()
        guard let answer else { return }
        if askedTLS {
            send(client, [UInt8(ascii: "N")])
            guard let next = readExactly(client, 8) else { return }
            first = next
        }
        // The rest of the startup message, whose length leads it.
        let length = first.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        guard length >= 8, readExactly(client, length - 8) != nil else { return }
        switch answer {
        case .refuse(let state, let text):
            send(client, Self.error(state, text))
        case .acceptThenRefuse(let state, let text):
            send(client, AllowModeTests.message("R", [0, 0, 0, 0]) + Self.error(state, text))
        }
        // Wait for the client to hang up.
        var rest = [UInt8](repeating: 0, count: 512)
        while rest.withUnsafeMutableBytes({ read(client, $0.baseAddress, 512) }) > 0 {}
    }

    static func error(_ state: String, _ text: String) -> [UInt8] {
        var body: [UInt8] = []
        for (field, value) in [("S", "FATAL"), ("V", "FATAL"), ("C", state), ("M", text)] {
            body += Array(field.utf8) + Array(value.utf8) + [0]
        }
        return AllowModeTests.message("E", body + [0])
    }

    private func readExactly(_ client: Int32, _ n: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: n)
        var got = 0
        while got < n {
            let r = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress! + got, n - got) }
            if r <= 0 { return nil }
            got += r
        }
        return buffer
    }

    private func send(_ client: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(client, $0.baseAddress, bytes.count) }
    }

    /// Stops listening; the tries seen, whether each asked for TLS.
    func stop() -> [Bool] {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        _ = done.wait(timeout: .now() + .seconds(2))
        lock.lock(); defer { lock.unlock() }
        return tries
    }
}
