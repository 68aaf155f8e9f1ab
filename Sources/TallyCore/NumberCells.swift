/// The cells of a number column. Most columns keep 8-byte doubles; a column whose every
/// cell is a small whole number (RFM scores 1 to 5, a count of orders, days since a last
/// order) can keep them in one, two or four bytes, so a million customers' scores take
/// 1 MB instead of 8. Every reader sees doubles: `doubles` for a loop over the whole
/// column (free for a column of doubles, one copy for a narrow one) and `value(at:)` for
/// one cell (no copy).
///
/// Two columns with the same numbers are equal whatever width each keeps them in.
public struct NumberCells: Sendable, Equatable {
    /// How the cells are kept.
    enum Payload: Sendable {
        case doubles([Double])
        case bytes([UInt8])
        case halves([UInt16])
        case words([Int32])
    }

    let payload: Payload

    /// Cells kept as given.
    public init(_ xs: [Double]) { payload = .doubles(xs) }

    /// Whole numbers 0 to 255, one byte each.
    public init(bytes: [UInt8]) { payload = .bytes(bytes) }

    /// Whole numbers 0 to 65,535, two bytes each.
    public init(halves: [UInt16]) { payload = .halves(halves) }

    /// Whole numbers that fit in 32 bits, four bytes each.
    public init(words: [Int32]) { payload = .words(words) }

    /// The cells in the narrowest form that holds each exactly (`NumberCellsBuilder`'s).
    public static func narrowest<S: Sequence>(_ xs: S) -> NumberCells where S.Element: BinaryInteger {
        var b = NumberCellsBuilder()
        for x in xs { b.append(Double(x)) }
        return b.finish()
    }

    /// The cells in the narrowest form that holds each exactly: whole numbers (not -0)
    /// keep one, two or four bytes; anything else stays doubles.
    public static func narrowest(_ xs: [Double]) -> NumberCells {
        var b = NumberCellsBuilder()
        for x in xs { b.append(x) }
        return b.finish()
    }

    public var count: Int {
        switch payload {
        case .doubles(let a): return a.count
        case .bytes(let a): return a.count
        case .halves(let a): return a.count
        case .words(let a): return a.count
        }
    }

    /// True when the cells are kept in fewer than 8 bytes each.
    public var isNarrow: Bool {
        if case .doubles = payload { return false }
        return true
    }

    /// Bytes the cells take.
    public var byteCount: Int {
        switch payload {
        case .doubles(let a): return a.count * 8
        case .bytes(let a): return a.count
        case .halves(let a): return a.count * 2
        case .words(let a): return a.count * 4
        }
    }

    /// Every cell as a double: the kept array itself for a column of doubles, a new one
    /// for a narrow column. Read it once per statement, never once per cell.
    public var doubles: [Double] {
        switch payload {
        case .doubles(let a): return a
        case .bytes(let a): return a.map { Double($0) }
        case .halves(let a): return a.map { Double($0) }
        case .words(let a): return a.map { Double($0) }
        }
    }

    /// The kept array when the cells are kept as doubles (nil for a narrow column), for a
    /// kernel that reads them in place.
    public var stored: [Double]? {
        if case .doubles(let a) = payload { return a }
        return nil
    }

    /// One cell, without copying the column.
    @inlinable
    public func value(at i: Int) -> Double { cell(i) }

    @usableFromInline
    func cell(_ i: Int) -> Double {
        switch payload {
        case .doubles(let a): return a[i]
        case .bytes(let a): return Double(a[i])
        case .halves(let a): return Double(a[i])
        case .words(let a): return Double(a[i])
        }
    }

    /// The cells at `indices`, in that order, kept at the same width; a negative index
    /// (a row with no match) gives 0.
    public func gather(_ indices: [Int]) -> NumberCells {
        switch payload {
        case .doubles(let a): return NumberCells(indices.map { $0 < 0 ? 0 : a[$0] })
        case .bytes(let a): return NumberCells(bytes: indices.map { $0 < 0 ? 0 : a[$0] })
        case .halves(let a): return NumberCells(halves: indices.map { $0 < 0 ? 0 : a[$0] })
        case .words(let a): return NumberCells(words: indices.map { $0 < 0 ? 0 : a[$0] })
        }
    }

    public static func == (a: NumberCells, b: NumberCells) -> Bool {
        switch (a.payload, b.payload) {
        case (.doubles(let x), .doubles(let y)): return x == y
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.halves(let x), .halves(let y)): return x == y
        case (.words(let x), .words(let y)): return x == y
        default:
            guard a.count == b.count else { return false }
            return (0..<a.count).allSatisfy { a.cell($0) == b.cell($0) }
        }
    }
}

extension NumberCells: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Double...) { self.init(elements) }
}
