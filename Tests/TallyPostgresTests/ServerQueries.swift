import Foundation
import TallyCore
import TallyPostgres

/// What the test server is running, asked over a connection of its own.
enum ServerQueries {
    /// The active queries whose text contains `pattern` (other than the asking one), once
    /// none is left or after two seconds: a cancelled query stops within moments.
    static func stillRunning(like pattern: String, on url: String) throws -> Value {
        let client = PostgresClient(target: try PostgresTarget.parse(url).get())
        defer { client.close() }
        var running: Value = .empty
        for _ in 0..<20 {
            running = try client.fetch("""
                SELECT count(*)::int8 AS n FROM pg_stat_activity
                WHERE state = 'active' AND query LIKE '%\(pattern)%' AND pid <> pg_backend_pid()
                """).columns.first?[0] ?? .empty
            if running == .num(0) { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return running
    }
}
