import CMalloc
import Foundation
import Synchronization

/// The most heap one statement had in use above what was in use before it (its transient
/// memory), for `set timer on`: a background thread reads the allocator's in-use count
/// every half millisecond while the statement runs. Nil where the allocator gives no count.
final class HeapSampler: Sendable {
    private struct State {
        var peak = 0
        var running = true
    }

    private let state = Mutex(State())
    private let start: Int

    /// Starts sampling; nil when the allocator reports nothing.
    init?() {
        start = tally_heap_in_use()
        guard start > 0 else { return nil }
        state.withLock { $0.peak = start }
        Thread.detachNewThread { [self] in
            while true {
                let now = tally_heap_in_use()
                let running = state.withLock { s in
                    s.peak = max(s.peak, now)
                    return s.running
                }
                guard running else { return }
                usleep(500)
            }
        }
    }

    /// Stops sampling; the peak above the start, in MiB.
    func stop() -> Int {
        let now = tally_heap_in_use()
        let peak = state.withLock { s in
            s.running = false
            return max(s.peak, now)
        }
        return max(0, peak - start) >> 20
    }
}
