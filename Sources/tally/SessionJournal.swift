#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Foundation
import TallyCore
import TallyIO
import TallyREPL

/// Starting an interactive session's journal: resuming an unfinished one when asked,
/// otherwise saying that one can be resumed.
enum SessionJournal {
    static func start(_ driver: Driver, resume: Bool) {
        guard let dir = Journal.directory(environment: ProcessInfo.processInfo.environment) else { return }
        let unfinished = Journal.unfinished(in: dir)
        let journal: Journal
        do throws(JournalError) {
            journal = try Journal.create(in: dir, now: Int(Date().timeIntervalSince1970 * 1000))
        } catch {
            Terminal.printError("tally: \(error.message); this session is not journaled\n")
            if resume { Terminal.printError("tally: cannot resume without a journal\n") }
            return
        }
        driver.journal = journal
        if resume {
            guard let last = unfinished.first else {
                driver.output(text: "No unsaved session to resume (journals are kept in \(dir)).\n")
                return
            }
            let failed = driver.replay(last.statements, from: last.path)
            Journal.remove(last.path)
            let n = last.statements.count
            driver.output(text: "Resumed \(n) \(Plural.noun(n, "statement")) from \(last.path)"
                          + (failed > 0 ? " (\(failed) refused now, shown above)" : "") + ".\n")
        } else if let last = unfinished.first {
            let when = Date(timeIntervalSince1970: TimeInterval(last.modified))
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd HH:mm"
            let n = last.statements.count
            driver.output(text: "An unsaved session from \(f.string(from: when)) (\(n) \(Plural.noun(n, "statement"))) can be restored: tally --resume\n")
        }
    }
}
