/// Builds number cells one at a time at the narrowest width that holds every cell so far:
/// whole numbers start in one byte and move to two, four or eight bytes, once each, when a
/// cell does not fit. A fetched count of orders per customer never takes 8 bytes a row,
/// not even while it arrives.
public struct NumberCellsBuilder: Sendable {
    /// Widths in the order a column moves through them.
    private enum Width: Int, Sendable, Comparable {
        case bytes, halves, words, doubles
        static func < (a: Width, b: Width) -> Bool { a.rawValue < b.rawValue }

        /// The narrowest width that keeps `x` exactly (-0, fractions, NaN and huge
        /// numbers only as doubles).
        init(holding x: Double) {
            if x.sign == .plus, UInt8(exactly: x) != nil { self = .bytes }
            else if x.sign == .plus, UInt16(exactly: x) != nil { self = .halves }
            else if Int32(exactly: x) != nil, !(x == 0 && x.sign == .minus) { self = .words }
            else { self = .doubles }
        }
    }

    private var width = Width.bytes
    private var bytes: [UInt8] = []
    private var halves: [UInt16] = []
    private var words: [Int32] = []
    private var doubles: [Double] = []

    public init() {}

    public var count: Int {
        switch width {
        case .bytes: return bytes.count
        case .halves: return halves.count
        case .words: return words.count
        case .doubles: return doubles.count
        }
    }

    /// Adds one cell, kept exactly.
    @inline(__always)
    public mutating func append(_ x: Double) {
        if width == .doubles { doubles.append(x); return }
        let needs = Width(holding: x)
        if needs > width { widen(to: needs) }
        switch width {
        case .bytes: bytes.append(UInt8(x))
        case .halves: halves.append(UInt16(x))
        case .words: words.append(Int32(x))
        case .doubles: doubles.append(x)
        }
    }

    /// Moves the cells so far to `target`, which holds them all.
    private mutating func widen(to target: Width) {
        let so = finish().doubles
        bytes = []
        halves = []
        words = []
        doubles = []
        switch target {
        case .bytes: bytes = so.map { UInt8($0) }
        case .halves: halves = so.map { UInt16($0) }
        case .words: words = so.map { Int32($0) }
        case .doubles: doubles = so
        }
        width = target
    }

    /// The cells built.
    public func finish() -> NumberCells {
        switch width {
        case .bytes: return NumberCells(bytes: bytes)
        case .halves: return NumberCells(halves: halves)
        case .words: return NumberCells(words: words)
        case .doubles: return NumberCells(doubles)
        }
    }
}
