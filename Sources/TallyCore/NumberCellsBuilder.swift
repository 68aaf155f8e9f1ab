/// Builds number cells one at a time at the narrowest width that holds every cell so far:
/// whole numbers start in one byte and move to two, four or eight bytes, once each, when a
/// cell does not fit. A fetched count of orders per customer never takes 8 bytes a row,
/// not even while it arrives.
public struct NumberCellsBuilder: Sendable {
    private enum Width: Sendable { case bytes, halves, words, doubles }

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

    /// Adds one cell (kept exactly: -0, fractions, NaN and huge numbers move to doubles).
    @inline(__always)
    public mutating func append(_ x: Double) {
        switch width {
        case .bytes:
            if let v = UInt8(exactly: x), x.sign == .plus { bytes.append(v); return }
        case .halves:
            if let v = UInt16(exactly: x), x.sign == .plus { halves.append(v); return }
        case .words:
            if let v = Int32(exactly: x), !(x == 0 && x.sign == .minus) { words.append(v); return }
        case .doubles:
            doubles.append(x)
            return
        }
        widen(toHold: x)
        append(x)
    }

    /// Moves the cells so far to the narrowest wider form that also holds `x`.
    private mutating func widen(toHold x: Double) {
        let so = finish().doubles
        let whole = x == x.rounded(.towardZero) && x.magnitude < 2_147_483_648 && !(x == 0 && x.sign == .minus)
        let target: Width = whole && x >= 0 && x <= 65_535 && width == .bytes ? .halves : whole && width != .words ? .words : .doubles
        bytes = []
        halves = []
        words = []
        doubles = []
        switch target {
        case .halves: halves = so.map { UInt16($0) }
        case .words: words = so.map { Int32($0) }
        case .bytes, .doubles: doubles = so
        }
        width = target == .bytes ? .doubles : target
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

    public mutating func reserveCapacity(_ n: Int) {
        switch width {
        case .bytes: bytes.reserveCapacity(n)
        case .halves: halves.reserveCapacity(n)
        case .words: words.reserveCapacity(n)
        case .doubles: doubles.reserveCapacity(n)
        }
    }
}
