import Foundation
import TallyLang

/// Where and as whom to connect: from the URL first, then the usual `PGHOST`, `PGPORT`,
/// `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`, then `~/.pgpass` for
/// the password.
/// The password is kept here only, never in what is shown or saved (`display`).
public struct PostgresTarget: Sendable, Equatable {
    public enum SSLMode: String, Sendable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca", verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var password: String?
    public var sslMode: SSLMode
    /// The CA certificates (a PEM file) a server's certificate must chain to, as libpq's
    /// `sslrootcert`: from the URL, `PGSSLROOTCERT`, else `~/.postgresql/root.crt` when it
    /// exists; `system` (or nil) means the system's trusted roots.
    public var rootCertificate: String?
    /// The URL as typed, without its password: how the server is named in messages and plans.
    public var display: String

    /// Reads a `postgresql://` (or `postgres://`) URL; an empty URL takes everything from
    /// the environment. A failure says why the URL cannot be read.
    public static func parse(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                             pgpass: String? = nil) -> Result<PostgresTarget, PostgresFailure> {
        var host: String?, port: Int?, user: String?, password: String?, database: String?
        var params: [String: String] = [:]
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty {
            guard let schemeEnd = trimmed.range(of: "://"),
                  ["postgresql", "postgres"].contains(trimmed[..<schemeEnd.lowerBound].lowercased()) else {
                return .failure(PostgresFailure("the URL must start with postgresql://, as in postgresql://user@host:5432/db"))
            }
            var rest = Substring(trimmed[schemeEnd.upperBound...])
            if let q = rest.firstIndex(of: "?") {
                for pair in rest[rest.index(after: q)...].split(separator: "&") {
                    let kv = pair.split(separator: "=", maxSplits: 1).map { decode(String($0)) }
                    if kv.count == 2 { params[kv[0]] = kv[1] }
                }
                rest = rest[..<q]
            }
            if let slash = rest.firstIndex(of: "/") {
                let db = decode(String(rest[rest.index(after: slash)...]))
                if !db.isEmpty { database = db }
                rest = rest[..<slash]
            }
            if let at = rest.lastIndex(of: "@") {
                let credentials = rest[..<at]
                if let colon = credentials.firstIndex(of: ":") {
                    user = decode(String(credentials[..<colon]))
                    password = decode(String(credentials[credentials.index(after: colon)...]))
                } else if !credentials.isEmpty {
                    user = decode(String(credentials))
                }
                rest = rest[rest.index(after: at)...]
            }
            var hostPart = String(rest)
            if hostPart.hasPrefix("["), let close = hostPart.firstIndex(of: "]") {
                host = String(hostPart[hostPart.index(after: hostPart.startIndex)..<close])
                hostPart = String(hostPart[hostPart.index(after: close)...])
                if hostPart.hasPrefix(":") {
                    hostPart.removeFirst()
                    guard let p = Int(hostPart), (1...65535).contains(p) else {
                        return .failure(PostgresFailure("the port `\(hostPart)` is not a port number"))
                    }
                    port = p
                }
            } else if let colon = hostPart.lastIndex(of: ":") {
                let p = String(hostPart[hostPart.index(after: colon)...])
                guard let n = Int(p), (1...65535).contains(n) else { return .failure(PostgresFailure("the port `\(p)` is not a port number")) }
                port = n
                host = String(hostPart[..<colon])
            } else if !hostPart.isEmpty {
                host = hostPart
            }
            if host?.isEmpty == true { host = nil }
        }
        if let h = params["host"] { host = h }
        if let p = params["port"] { port = Int(p) }
        if let u = params["user"] { user = u }
        if let p = params["password"] { password = p }
        if let d = params["dbname"] { database = d }
        let modeText = params["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        guard let mode = SSLMode(rawValue: modeText) else {
            return .failure(PostgresFailure("sslmode `\(modeText)` is not one of disable, allow, prefer, require, verify-ca, verify-full"))
        }
        var root = params["sslrootcert"] ?? environment["PGSSLROOTCERT"]
        if root?.isEmpty == true { root = nil }
        if root == nil, let home = environment["HOME"], FileManager.default.fileExists(atPath: home + "/.postgresql/root.crt") {
            root = home + "/.postgresql/root.crt"
        }
        let finalHost = host ?? environment["PGHOST"] ?? "localhost"
        let finalPort = port ?? environment["PGPORT"].flatMap { Int($0) } ?? 5432
        let finalUser = user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let finalDatabase = database ?? environment["PGDATABASE"] ?? finalUser
        var finalPassword = password ?? environment["PGPASSWORD"]
        if finalPassword == nil {
            let file = pgpass ?? environment["PGPASSFILE"] ?? (environment["HOME"].map { $0 + "/.pgpass" } ?? "")
            if let text = try? String(contentsOfFile: file, encoding: .utf8) {
                finalPassword = passwordFromPgpass(text, host: finalHost, port: finalPort, database: finalDatabase, user: finalUser)
            }
        }
        let shown = trimmed.isEmpty ? "postgresql://\(finalUser)@\(finalHost):\(finalPort)/\(finalDatabase)" : RemoteSource.redacting(trimmed)
        return .success(PostgresTarget(host: finalHost, port: finalPort, user: finalUser, database: finalDatabase,
                                       password: finalPassword, sslMode: mode, rootCertificate: root, display: shown))
    }

    /// The password of the first `~/.pgpass` line matching (`host:port:database:user:password`, `*` matches anything).
    static func passwordFromPgpass(_ text: String, host: String, port: Int, database: String, user: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [], cur = "", escaped = false
            for ch in line {
                if escaped { cur.append(ch); escaped = false } else if ch == "\\" { escaped = true } else if ch == ":" { fields.append(cur); cur = "" } else { cur.append(ch) }
            }
            fields.append(cur)
            guard fields.count >= 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4...].joined(separator: ":") }
        }
        return nil
    }

    private static func decode(_ s: String) -> String { s.removingPercentEncoding ?? s }
}

/// A problem talking to the server, as one line (never holding the password).
public struct PostgresFailure: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
