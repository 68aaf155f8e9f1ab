import Foundation
import PostgresNIO
import TallyCore
import TallySQL

/// Collects one result column's cells into a typed Tally column. Numbers of type numeric
/// arrive as exact decimals and become the nearest Double once (a sum to the cent stays
/// the sum to the cent); empty cells (NULL) are empty.
struct ColumnBuilder: Sendable {
    let name: String
    let type: SQLType
    private let dataType: PostgresDataType
    /// Numbers at the narrowest width that holds them so far (counts and days in 1 to 4 bytes).
    private var numbers = NumberCellsBuilder()
    private var days: [Int32] = []
    private var bools: [Bool] = []
    private var codes: [Int32] = []
    private var dictionary: [String] = []
    /// Each text's code once the texts stop arriving in order; until then (a group's or a
    /// sort's first key: every distinct text is new) none is kept, and a repeat is the
    /// text just before, so 1M customer ids need no hash table beside their dictionary.
    private var index: TextIndex?
    private var valid: [Bool] = []
    private var hasEmpty = false

    /// Days from 1970-01-01 to PostgreSQL's epoch, 2000-01-01.
    static let epochOffset: Int32 = 10_957

    init(name: String, dataType: PostgresDataType) throws(PostgresFailure) {
        guard let type = ColumnBuilder.type(of: dataType) else {
            throw PostgresFailure("column `\(name)` has type \(ColumnBuilder.typeName(dataType)), which Tally cannot hold; "
                + "cast it in a query (\(name)::text, \(name)::date or \(name)::numeric)")
        }
        self.name = name
        self.type = type
        self.dataType = dataType
    }

    /// The Tally type of a PostgreSQL type, nil when there is none.
    static func type(of t: PostgresDataType) -> SQLType? {
        switch t {
        case .int2, .int4, .int8, .float4, .float8, .numeric, .oid: return .number
        case .text, .varchar, .bpchar, .name: return .text
        case .date: return .date
        case .bool: return .boolean
        default: return nil
        }
    }

    static func typeName(_ t: PostgresDataType) -> String {
        t.knownSQLName ?? "oid \(t.rawValue)"
    }

    mutating func append(_ cell: PostgresCell) throws {
        guard var bytes = cell.bytes else {
            hasEmpty = true
            valid.append(false)
            switch type {
            case .number: numbers.append(0)
            case .date: days.append(0)
            case .boolean: bools.append(false)
            case .text: codes.append(0)
            }
            return
        }
        valid.append(true)
        // Binary wire formats read directly: the generic decoders cost more than the network.
        guard cell.format == .binary else { return try appendText(cell) }
        switch dataType {
        case .int2: numbers.append(Double(try read(&bytes, Int16.self)))
        case .int4: numbers.append(Double(try read(&bytes, Int32.self)))
        case .int8: numbers.append(Double(try read(&bytes, Int64.self)))
        case .oid: numbers.append(Double(try read(&bytes, UInt32.self)))
        case .float4: numbers.append(Double(Float(bitPattern: try read(&bytes, UInt32.self))))
        case .float8: numbers.append(Double(bitPattern: try read(&bytes, UInt64.self)))
        case .numeric: numbers.append(try ColumnBuilder.numeric(&bytes, column: name))
        case .date: days.append(try read(&bytes, Int32.self) &+ ColumnBuilder.epochOffset)
        case .bool: bools.append(try read(&bytes, UInt8.self) != 0)
        default: bytes.withUnsafeReadableBytes { appendText($0) }
        }
    }

    private func read<I: FixedWidthInteger>(_ b: inout ByteBuffer, _: I.Type) throws(PostgresFailure) -> I {
        guard let x = b.readInteger(as: I.self) else { throw PostgresFailure("column `\(name)`: a value cut short") }
        return x
    }

    /// A text cell's UTF-8 bytes.
    private mutating func appendText(_ p: UnsafeRawBufferPointer) {
        if index == nil {
            // In order so far: equal to the last text, or after it in byte order (COLLATE
            // "C"), or the first one out of order, which ends this mode.
            if let last = dictionary.last {
                if TextIndex.same(last, p) { return codes.append(Int32(dictionary.count - 1)) }
                if last.utf8.lexicographicallyPrecedes(p), inOrder(p) { return }
            } else if inOrder(p) {
                return
            }
            var all = TextIndex(capacity: dictionary.count)
            for t in dictionary { all.add(hash: TextIndex.hash(t)) }
            index = all
        }
        let h = TextIndex.hash(p)
        if let c = index?.find(p, hash: h, in: dictionary) { return codes.append(c) }
        let s = String(decoding: p, as: UTF8.self)
        var stored = h
        if !TextIndex.same(s, p) {
            // Bytes that are not UTF-8 are read with U+FFFD in their place: that text may
            // be in the dictionary already.
            stored = TextIndex.hash(s)
            var copy = s
            if let c = copy.withUTF8({ index?.find(UnsafeRawBufferPointer($0), hash: stored, in: dictionary) }) {
                return codes.append(c)
            }
        }
        newText(s)
        index?.add(hash: stored)
    }

    /// A text after every one so far as the next code, in order mode; false when its bytes
    /// are not UTF-8 (read with U+FFFD it may equal an earlier text), and nothing is added.
    private mutating func inOrder(_ p: UnsafeRawBufferPointer) -> Bool {
        let s = String(decoding: p, as: UTF8.self)
        guard TextIndex.same(s, p) else { return false }
        newText(s)
        return true
    }

    private mutating func newText(_ s: String) {
        codes.append(Int32(dictionary.count))
        dictionary.append(s)
    }

    /// A cell the server sent as text (not expected; read by type all the same).
    private mutating func appendText(_ cell: PostgresCell) throws {
        let s = try cell.decode(String.self)
        switch type {
        case .text:
            var s = s
            s.withUTF8 { appendText(UnsafeRawBufferPointer($0)) }
        case .number:
            guard let x = Double(s) else { throw PostgresFailure("column `\(name)`: `\(s)` is not a number") }
            numbers.append(x)
        case .boolean: bools.append(s == "t" || s == "true")
        case .date:
            let parts = s.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, let d = TallyDate(year: parts[0], month: parts[1], day: parts[2]) else {
                throw PostgresFailure("column `\(name)`: `\(s)` is not a date Tally can hold")
            }
            days.append(d.days)
        }
    }

    /// A binary numeric (base-10000 digits, a weight, a sign, a display scale) written out
    /// as its exact decimal text and read once into the nearest Double.
    static func numeric(_ b: inout ByteBuffer, column: String) throws(PostgresFailure) -> Double {
        guard let ndigits = b.readInteger(as: Int16.self), let weight = b.readInteger(as: Int16.self),
              let sign = b.readInteger(as: UInt16.self), let scale = b.readInteger(as: Int16.self), ndigits >= 0, scale >= 0 else {
            throw PostgresFailure("column `\(column)`: a numeric cut short")
        }
        if sign == 0xC000 { return .nan }
        if sign == 0xD000 { return .infinity }
        if sign == 0xF000 { return -.infinity }
        var groups: [Int] = []
        for _ in 0..<Int(ndigits) {
            guard let g = b.readInteger(as: Int16.self) else { throw PostgresFailure("column `\(column)`: a numeric cut short") }
            groups.append(Int(g))
        }
        if groups.isEmpty { return 0 }
        let exponent = 4 * (Int(weight) - (groups.count - 1))
        // Clinger's fast path: digits below 2^53 and a power of ten up to 10^22 are both
        // exact doubles, so one multiplication or division rounds once, as strtod does.
        var digits: Int64 = 0, fits = true
        for g in groups {
            guard digits < (1 << 53) / 10_000 else { fits = false; break }
            digits = digits * 10_000 + Int64(g)
        }
        if fits, digits < 1 << 53, abs(exponent) <= 22 {
            let magnitude = exponent >= 0 ? Double(digits) * powersOfTen[exponent] : Double(digits) / powersOfTen[-exponent]
            return sign == 0x4000 ? -magnitude : magnitude
        }
        // Digit group i stands for groups[i] * 10000^(weight - i).
        var text = sign == 0x4000 ? "-" : ""
        for (i, g) in groups.enumerated() {
            let s = String(g)
            text += i == 0 ? s : String(repeating: "0", count: 4 - s.count) + s
        }
        return Double(text + "e" + String(exponent)) ?? 0
    }

    /// 10^0 ... 10^22, each exactly a double.
    private static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { a, _ in a * 10 } }

    /// The finished column.
    func column() -> Column {
        let validity = hasEmpty ? Bitmap(valid) : nil
        switch type {
        case .number: return Column(storage: .number(numbers.finish()), validity: validity)
        case .date: return Column(storage: .date(days), validity: validity)
        case .boolean: return Column(storage: .bool(bools), validity: validity)
        case .text: return Column(storage: .text(codes: codes, dictionary: dictionary), validity: validity)
        }
    }

    /// A column of no rows of `type`.
    static func empty(_ type: SQLType) -> Column {
        switch type {
        case .number: return Column(storage: .number(NumberCells([])))
        case .date: return Column(storage: .date([]))
        case .boolean: return Column(storage: .bool([]))
        case .text: return Column(storage: .text(codes: [], dictionary: []))
        }
    }
}
