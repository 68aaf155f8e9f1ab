import TallyCore

/// One part of a child period lying inside one parent period: the whole child, or the days
/// of a child that straddles two parents (an ISO week across a month end) on one side.
public struct PeriodPiece: Sendable, Equatable {
    /// Index of the child period.
    public var child: Int
    /// Index of the parent period holding these days.
    public var parent: Int
    public var start: TallyDate
    public var end: TallyDate
    /// Calendar days of the piece.
    public var days: Int
    /// Working days of the piece under the calendar given.
    public var workdays: Int
    /// True when the piece is only part of its child.
    public var isCut: Bool
}

/// Children placed in parents: the pieces (parent by parent, each parent's in date order),
/// the days of children outside every parent, and the days of parents no child covers.
public struct PeriodNesting: Sendable, Equatable {
    public var pieces: [PeriodPiece]
    /// (child, first day, last day) of each stretch of a child outside every parent.
    public var outside: [(child: Int, start: TallyDate, end: TallyDate)]
    /// Per parent: its calendar days and working days no child covers.
    public var uncovered: [(days: Int, workdays: Int)]

    public static func == (a: PeriodNesting, b: PeriodNesting) -> Bool {
        a.pieces == b.pieces && a.outside.elementsEqual(b.outside) { $0.child == $1.child && $0.start == $1.start && $0.end == $1.end }
            && a.uncovered.elementsEqual(b.uncovered) { $0.days == $1.days && $0.workdays == $1.workdays }
    }
}

extension Periods {
    /// Why periods could not be nested.
    public enum NestingFailure: Error, Equatable, Sendable, CustomStringConvertible {
        /// Two periods of the same table share days (labels of both).
        case overlap(String, String, parents: Bool)

        public var description: String {
            switch self {
            case .overlap(let a, let b, let parents):
                return "\(a) and \(b) overlap: the \(parents ? "periods to split" : "periods to split into") must not share days"
            }
        }
    }

    /// Places each child period in the parent periods it overlaps. A child inside one parent
    /// is one piece; a child straddling parents is cut at their bounds, each part counted
    /// afresh (days, and working days under `calendar`). Days of a child outside every parent
    /// are reported in `outside`; days of a parent no child covers in `uncovered`. Parents
    /// must not overlap one another, nor children one another.
    public static func nest(children: [Period], in parents: [Period], calendar: WorkCalendar = .weekdays) throws(NestingFailure) -> PeriodNesting {
        let parentOrder = parents.indices.sorted { parents[$0].start < parents[$1].start }
        for (a, b) in zip(parentOrder, parentOrder.dropFirst()) where parents[b].start <= parents[a].end {
            throw .overlap(parents[a].label, parents[b].label, parents: true)
        }
        let childOrder = children.indices.sorted { children[$0].start < children[$1].start }
        for (a, b) in zip(childOrder, childOrder.dropFirst()) where children[b].start <= children[a].end {
            throw .overlap(children[a].label, children[b].label, parents: false)
        }
        let starts = parentOrder.map { parents[$0].start }
        var byParent = [[PeriodPiece]](repeating: [], count: parents.count)
        var outside: [(child: Int, start: TallyDate, end: TallyDate)] = []
        var covered = [(days: Int, workdays: Int)](repeating: (0, 0), count: parents.count)
        for c in childOrder {
            let child = children[c]
            // The last parent starting on or before the child's first day, then onwards.
            var k = max(0, upperBound(starts, child.start) - 1)
            var cursor = child.start
            while cursor <= child.end {
                guard k < parentOrder.count else {
                    outside.append((c, cursor, child.end))
                    break
                }
                let p = parents[parentOrder[k]]
                if p.end < cursor { k += 1; continue }
                if p.start > cursor {
                    let gapEnd = min(child.end, TallyDate(days: p.start.days - 1))
                    outside.append((c, cursor, gapEnd))
                    cursor = TallyDate(days: gapEnd.days + 1)
                    continue
                }
                let end = min(child.end, p.end)
                let whole = cursor == child.start && end == child.end
                let days = Int(end.days) - Int(cursor.days) + 1
                let work = whole ? child.workdays : calendar.workdays(from: cursor, to: end)
                byParent[parentOrder[k]].append(PeriodPiece(child: c, parent: parentOrder[k], start: cursor, end: end,
                                                            days: whole ? child.days : days, workdays: work, isCut: !whole))
                covered[parentOrder[k]].days += days
                covered[parentOrder[k]].workdays += calendar.workdays(from: cursor, to: end)
                if end == child.end { break }
                cursor = TallyDate(days: end.days + 1)
                k += 1
            }
        }
        let uncovered = parents.indices.map { i in
            (days: max(0, parents[i].days - covered[i].days),
             workdays: max(0, calendar.workdays(from: parents[i].start, to: parents[i].end) - covered[i].workdays))
        }
        return PeriodNesting(pieces: byParent.flatMap { $0 }, outside: outside, uncovered: uncovered)
    }

    /// The number of `xs` (sorted) that are `<= x`.
    private static func upperBound(_ xs: [TallyDate], _ x: TallyDate) -> Int {
        var lo = 0, hi = xs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if xs[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The names a period may be called by in a record of weights, besides its label:
    /// `Q1` for `2026-Q1`; `Jan`, `January`, `M1` and `M01` for `2026-01`; `W9` and `W09`
    /// for `2026-W09`. Days and years have only their label. Compared ignoring case.
    public static func aliases(of label: String) -> [String] {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts[0].count == 4, Int(parts[0]) != nil else { return [label] }
        let rest = parts[1]
        if rest.hasPrefix("Q"), let q = Int(rest.dropFirst()) { return [label, "Q\(q)"] }
        if rest.hasPrefix("W"), let w = Int(rest.dropFirst()) { return [label, "W\(w)", "W" + (w < 10 ? "0" : "") + String(w)] }
        if rest.count == 2, let m = Int(rest), (1...12).contains(m) {
            return [label, monthNames[m - 1].prefix(3).description, monthNames[m - 1], "M\(m)", "M" + rest]
        }
        return [label]
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    /// The kind of period a label names: "year", "quarter", "month", "week", "day", or nil.
    public static func kind(of label: String) -> String? {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, first.count == 4, Int(first) != nil else { return nil }
        switch parts.count {
        case 1: return "year"
        case 2:
            if parts[1].hasPrefix("Q") { return "quarter" }
            if parts[1].hasPrefix("W") { return "week" }
            return parts[1].count == 2 && Int(parts[1]) != nil ? "month" : nil
        case 3: return "day"
        default: return nil
        }
    }
}
