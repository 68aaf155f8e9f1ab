import TallyCore
import TallyLang
import TallyPostgres

/// Remote tables: the driver hands `load postgres` and the operations over remote tables
/// to TallyPostgres, and prints what ran here instead of on the server.
extension Driver {
    public var remoteTables: RemoteTables? { postgres }

    /// `, of which 41.2 ms waiting for the server, 12.5 KiB received` for `set timer on`.
    func remoteTiming(_ ms: Double, bytes: Int) -> String {
        let f = ValueFormatter(decimals: 1)
        let size = bytes < 1024 ? "\(bytes) B" : bytes < 1 << 20 ? f.fixed(Double(bytes) / 1024, 1) + " KiB" : f.fixed(Double(bytes) / 1048576, 1) + " MiB"
        return ", of which \(f.fixed(ms, ms < 10 ? 3 : 1)) ms waiting for the server, \(size) received"
    }

    /// The progress line of a long fetch from a server: `fetching from the server: 1,200,000
    /// rows so far (Ctrl-C stops it)`.
    public func remoteProgressLine(rows: Int) -> String {
        NoteRenderer(settings: settings).render(Note(.remoteFetchProgress, [.counted(rows, .nounRow)]))
    }

    /// Notes of the statement just run: steps computed here on fetched rows.
    func writeRemoteNotes() {
        let notes = NoteRenderer(settings: settings)
        for n in postgres.takeNotes() { output.write("  " + notes.render(Note(.plainNote, [.phrase(n.key, n.args)])) + "\n") }
    }
}
