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
    private var numbers: [Double] = []
    private var days: [Int32] = []
    private var bools: [Bool] = []
    private var codes: [Int32] = []
    private var dictionary: [String] = []
    private var index: [String: Int32] = [:]
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
        switch type {
        case .number:
            switch dataType {
            case .numeric:
                let d = try cell.decode(Decimal.self)
                numbers.append(Double(d.description) ?? NSDecimalNumber(decimal: d).doubleValue)
            case .float4, .float8: numbers.append(try cell.decode(Double.self))
            default: numbers.append(Double(try cell.decode(Int.self)))
            }
        case .date:
            guard cell.format == .binary, let d = bytes.readInteger(as: Int32.self) else {
                throw PostgresFailure("column `\(name)`: a date in an unexpected form")
            }
            days.append(d &+ ColumnBuilder.epochOffset)
        case .boolean: bools.append(try cell.decode(Bool.self))
        case .text:
            let s = try cell.decode(String.self)
            if let c = index[s] { codes.append(c) } else {
                let c = Int32(dictionary.count)
                index[s] = c
                dictionary.append(s)
                codes.append(c)
            }
        }
    }

    /// The finished column.
    func column() -> Column {
        let validity = hasEmpty ? Bitmap(valid) : nil
        switch type {
        case .number: return Column(storage: .number(numbers), validity: validity)
        case .date: return Column(storage: .date(days), validity: validity)
        case .boolean: return Column(storage: .bool(bools), validity: validity)
        case .text: return Column(storage: .text(codes: codes, dictionary: dictionary), validity: validity)
        }
    }

    /// A column of no rows of `type`.
    static func empty(_ type: SQLType) -> Column {
        switch type {
        case .number: return Column(storage: .number([]))
        case .date: return Column(storage: .date([]))
        case .boolean: return Column(storage: .bool([]))
        case .text: return Column(storage: .text(codes: [], dictionary: []))
        }
    }
}
