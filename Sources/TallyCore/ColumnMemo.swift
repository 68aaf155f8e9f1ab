import Synchronization

/// Facts derived from a date column's cells that statements ask for again and again (the
/// range of its days sizes every per-day table), computed at most once for one column
/// value: a 10M-row date column is otherwise read whole before each such statement.
///
/// A column makes a new memo whenever its cells change, and compares equal whatever its
/// memo holds.
struct ColumnMemo: Sendable, Equatable {
    private final class Box: Sendable {
        let dayRange = Mutex<ClosedRange<Int32>??>(nil)
    }

    private let box = Box()

    /// A memo for a date column; nil for other columns (they have nothing to keep).
    init?(for storage: ColumnStorage) {
        guard case .date = storage else { return nil }
    }

    /// The kept day range, or `compute()`'s, kept for the next caller.
    func dayRange(_ compute: () -> ClosedRange<Int32>?) -> ClosedRange<Int32>? {
        if let known = box.dayRange.withLock({ $0 }) { return known }
        let range = compute()
        box.dayRange.withLock { $0 = .some(range) }
        return range
    }

    static func == (a: ColumnMemo, b: ColumnMemo) -> Bool { true }
}
