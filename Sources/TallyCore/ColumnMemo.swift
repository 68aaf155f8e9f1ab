import Synchronization

/// Facts derived from a date column's cells that statements ask for again and again (its
/// zone map, whose range of days sizes every per-day table), computed at most once for
/// one column value: a 10M-row date column is otherwise read whole before each statement.
///
/// A column makes a new memo whenever its cells change, and compares equal whatever its
/// memo holds.
struct ColumnMemo: Sendable, Equatable {
    private final class Box: Sendable {
        let dayZones = Mutex<DayZones?>(nil)
    }

    private let box = Box()

    /// A memo for a date column; nil for other columns (they have nothing to keep).
    init?(for storage: ColumnStorage) {
        guard case .date = storage else { return nil }
    }

    /// The kept zone map, or `compute()`'s, kept for the next caller.
    func dayZones(_ compute: () -> DayZones) -> DayZones {
        if let known = box.dayZones.withLock({ $0 }) { return known }
        let zones = compute()
        box.dayZones.withLock { $0 = zones }
        return zones
    }

    static func == (a: ColumnMemo, b: ColumnMemo) -> Bool { true }
}
