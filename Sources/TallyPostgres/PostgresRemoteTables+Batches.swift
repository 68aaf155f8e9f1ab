import Foundation
import TallyCore
import TallyLang
import TallySQL

/// `export` of a remote table: its rows read through a cursor a batch at a time and written
/// as they come, so ten million orders go to a CSV file without ever being held here.
extension PostgresRemoteTables {
    /// Rows fetched per round trip: some megabytes of columns.
    static let batchRows = 65_536

    public func batches(_ e: Expr, evaluator ev: Evaluator) throws(TallyError) -> RemoteBatches? {
        guard let plan = try compiler(ev).plan(e), case .table = plan.result else { return nil }
        return RemoteBatches(names: plan.query.columns.map(\.name)) { [self] (body: (Table) throws(TallyError) -> Void) throws(TallyError) -> Int in
            try read(plan, span: e.span, body)
        }
    }

    /// The rows of `plan` in batches of `batchRows`, inside one read-only transaction (a
    /// cursor lives in one); an error or Ctrl-C ends the transaction, leaving nothing open.
    private func read(_ plan: RemotePlan, span: SourceSpan, _ body: (Table) throws(TallyError) -> Void) throws(TallyError) -> Int {
        try withClient(plan.source.server, span: span) { (client) throws(TallyError) -> Int in
            try read(plan, client: client, span: span, body)
        }
    }

    private func read(_ plan: RemotePlan, client: PostgresClient, span: SourceSpan,
                      _ body: (Table) throws(TallyError) -> Void) throws(TallyError) -> Int {
        let server = plan.source.server
        let cursor = "tally_export"
        let start = DispatchTime.now().uptimeNanoseconds
        var rows = 0, shown = false
        defer { if shown { progress?(nil) } }
        func sql(_ text: String) throws(TallyError) {
            do { try client.execute(text, isInterrupted: isInterrupted) } catch {
                throw TallyError(.command("postgres at \(server): \(error.message)"), span: span)
            }
        }
        try sql("BEGIN READ ONLY")
        do throws(TallyError) {
            try sql("DECLARE \(cursor) NO SCROLL CURSOR FOR \(plan.query.text)")
            while true {
                let batch: Table
                do {
                    batch = try client.fetch("FETCH FORWARD \(Self.batchRows) FROM \(cursor)", expected: plan.query.columns,
                                             isInterrupted: isInterrupted, progress: nil)
                } catch {
                    throw TallyError(.command("postgres at \(server): \(error.message)"), span: span)
                }
                if batch.rowCount > 0 { try body(batch) }
                rows += batch.rowCount
                if batch.rowCount < Self.batchRows { break }
                if let progress, DispatchTime.now().uptimeNanoseconds - start > 1_000_000_000 {
                    progress(rows)
                    shown = true
                }
            }
            try sql("COMMIT")
        } catch {
            if client.isOpen { try? client.execute("ROLLBACK") }
            throw error
        }
        notes.append(Note(.remoteStreamed, [.counted(rows, .nounRow), .count(Self.batchRows)]))
        return rows
    }
}
