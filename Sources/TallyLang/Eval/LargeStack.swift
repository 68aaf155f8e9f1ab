import Foundation

/// Runs deeply nested work (parsing or evaluating an expression up to
/// `Parser.nestingLimit` levels) on a thread with a large stack, so the depth an input may
/// reach does not depend on the caller's stack (a test runner's or embedder's thread may
/// have far less than the 8 MB of the main thread, and debug builds use large frames).
enum LargeStack {
    /// Address space only: pages are committed as the recursion touches them.
    static let size = 512 << 20
    private static let key = "TallyLang.LargeStack"

    /// True on a thread started by `run`.
    static var isCurrent: Bool { Thread.current.threadDictionary[key] != nil }

    private final class Job<T>: @unchecked Sendable {
        var body: (() throws(TallyError) -> T)?
        var result: Result<T, TallyError>?
        let done = DispatchSemaphore(value: 0)
    }

    /// Runs `body` on a large stack and waits for it; on such a stack already, runs it here.
    static func run<T>(_ body: () throws(TallyError) -> T) throws(TallyError) -> T {
        if isCurrent { return try body() }
        let job = Job<T>()
        withoutActuallyEscaping(body) { escapable in
            job.body = escapable
            let thread = Thread {
                Thread.current.threadDictionary[key] = true
                if let body = job.body {
                    do throws(TallyError) { job.result = .success(try body()) } catch { job.result = .failure(error) }
                }
                job.done.signal()
            }
            thread.stackSize = size
            thread.start()
            job.done.wait()
            job.body = nil
        }
        guard let result = job.result else { throw TallyError(.interrupted, span: nil) }
        return try result.get()
    }
}
