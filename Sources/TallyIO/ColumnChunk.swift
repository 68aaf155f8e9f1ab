import TallyCore

/// The type a column has so far.
enum ColumnKind: UInt8, Sendable {
    /// Only empty cells so far.
    case undecided
    case number, date, bool, text

    init(_ t: ColumnType) {
        switch t {
        case .number: self = .number
        case .text: self = .text
        case .date: self = .date
        case .bool: self = .bool
        }
    }

    /// "a number", for error messages.
    var article: String {
        switch self {
        case .undecided: return "empty"
        case .number: return "a number"
        case .date: return "a date"
        case .bool: return "a boolean"
        case .text: return "text"
        }
    }

    /// "a number" as a catalogue phrase, for notes.
    var articleKey: MessageKey {
        switch self {
        case .undecided: return .kindEmpty
        case .number: return .kindANumber
        case .date: return .kindADate
        case .bool: return .kindABoolean
        case .text: return .kindAText
        }
    }
}

extension ColumnKind {
    /// Why a column stayed text: the cell at `place` (a line, a cell) holds `value`.
    static func stayedText(at place: NotePart, value: String, leadingZeros: Bool, expected kind: ColumnKind) -> Note {
        leadingZeros ? Note(.columnLeadingZeros, [place, .text(value)])
            : Note(.columnStayedText, [place, .text(value), .phrase(kind.articleKey)])
    }
}

/// Why a cell did not fit the column's type, for `LoadResult.columnNotes`.
struct TypeBreak: Sendable {
    /// Relative to the chunk's first line.
    var line: Int
    var value: String
    var leadingZeros: Bool

    /// "text: line 17 value `N/A` is not a number".
    func note(line absolute: Int, expected kind: ColumnKind) -> Note {
        ColumnKind.stayedText(at: .phrase(.placeLine, [.text(String(absolute))]), value: value,
                              leadingZeros: leadingZeros && kind == .number, expected: kind)
    }
}

/// One column of one chunk while it is parsed: typed values in malloc'd buffers (only the
/// buffer of the current kind is used), a validity bitmap made on the first empty cell,
/// and the chunk's own text dictionary.
struct ColumnChunk {
    var kind: ColumnKind
    /// The kind the first non-empty cell gave (the chunk's vote for the column type).
    var initialKind: ColumnKind = .undecided
    var count = 0
    var numbers: RawBuffer<Double>
    /// Dates (days) or text codes.
    var ints: RawBuffer<Int32>
    var bools: RawBuffer<Bool>
    var validity: RawBuffer<UInt64>
    var hasEmpty = false
    var interner: ByteInterner
    /// Which decorations the numbers carried (bit per `NumberParser.NumberSign`).
    var signs: UInt8 = 0
    /// The first non-empty cell (for notes when chunks disagree on the type).
    var firstValue: TypeBreak?
    /// The first cell that did not fit the kind the column had.
    var typeBreak: TypeBreak?
    /// Last date parsed, as its first 8 bytes + the last 2: sorted files repeat dates.
    var lastDateHead: UInt64 = 0
    var lastDateTail: UInt16 = 0
    var lastDays: Int32 = .min
    /// Folds the slot loads of `ChunkParser.internRows` so they are not optimised away.
    var touched: UInt64 = 0

    /// Expected rows in the chunk, to size buffers once.
    var rowsHint: Int

    init(kind: ColumnKind, rowsHint: Int, interner: ByteInterner) {
        self.kind = kind
        initialKind = kind
        let hint = max(rowsHint, 16)
        self.rowsHint = hint
        numbers = RawBuffer(capacity: kind == .number ? hint : 4)
        ints = RawBuffer(capacity: kind == .date || kind == .text ? hint : 4)
        bools = RawBuffer(capacity: kind == .bool ? hint : 4)
        validity = RawBuffer(capacity: 4)
        self.interner = interner
    }

    mutating func release() {
        numbers.release(); ints.release(); bools.release(); validity.release(); interner.release()
    }

    /// Empties it for another chunk, keeping its memory.
    mutating func reset(kind k: ColumnKind) {
        kind = k
        initialKind = k
        count = 0
        numbers.removeAll(); ints.removeAll(); bools.removeAll(); validity.removeAll()
        hasEmpty = false
        interner.removeAll()
        signs = 0
        firstValue = nil
        typeBreak = nil
        lastDateHead = 0; lastDateTail = 0; lastDays = .min
    }

    // MARK: validity

    @inline(__always)
    private mutating func markValid() {
        if hasEmpty { setBit(true) }
        count &+= 1
    }

    @inline(__always)
    private mutating func setBit(_ valid: Bool) {
        if count & 63 == 0 { validity.append(0) }
        if valid { validity[count >> 6] |= 1 &<< UInt64(count & 63) }
    }

    /// Appends an empty cell.
    mutating func appendEmpty() {
        if !hasEmpty {
            hasEmpty = true
            // Every earlier cell held a value.
            validity.append(repeating: ~0, count: count >> 6)
            if count & 63 != 0 { validity.append((1 &<< UInt64(count & 63)) &- 1) }
        }
        setBit(false)
        switch kind {
        case .undecided: break
        case .number: numbers.append(0)
        case .date, .text: ints.append(0)
        case .bool: bools.append(false)
        }
        count &+= 1
    }

    // MARK: typed appends

    @inline(__always)
    mutating func appendNumber(_ x: Double, _ sign: NumberParser.NumberSign) {
        numbers.append(x)
        signs |= 1 &<< sign.rawValue
        markValid()
    }

    @inline(__always)
    mutating func appendInt(_ x: Int32) {
        ints.append(x)
        markValid()
    }

    @inline(__always)
    mutating func appendBool(_ x: Bool) {
        bools.append(x)
        markValid()
    }

    /// Settles the kind at the first non-empty cell: earlier (empty) cells get zeros.
    mutating func decide(_ k: ColumnKind) {
        kind = k
        initialKind = k
        switch k {
        case .undecided: break
        case .number: numbers.grow(minimum: rowsHint); numbers.append(repeating: 0, count: count)
        case .date, .text: ints.grow(minimum: rowsHint); ints.append(repeating: 0, count: count)
        case .bool: bools.grow(minimum: rowsHint); bools.append(repeating: false, count: count)
        }
    }

    /// Replaces the typed values with text codes made by re-reading the chunk.
    mutating func becomeText(codes: RawBuffer<Int32>, interner newInterner: ByteInterner) {
        numbers.removeAll(); bools.removeAll()
        ints.release(); interner.release()
        ints = codes
        interner = newInterner
        kind = .text
    }

    /// The display format implied by the numbers' decorations (`signs` bits).
    static func format(signs: UInt8) -> NumberFormat {
        let money: UInt8 = 1 << NumberParser.NumberSign.money.rawValue
        let percent: UInt8 = 1 << NumberParser.NumberSign.percent.rawValue
        if signs & money != 0 && signs & percent == 0 { return .money }
        if signs & percent != 0 && signs & money == 0 { return .percent }
        return .plain
    }

    /// Whether cell `i` holds a value.
    @inline(__always)
    func isValid(_ i: Int) -> Bool {
        !hasEmpty || validity[i >> 6] & (1 &<< UInt64(i & 63)) != 0
    }
}
