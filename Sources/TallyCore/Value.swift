/// Every value a formula can hold.
public enum Value: Sendable, Equatable {
    /// A 64-bit float with its display format.
    case number(Double, NumberFormat)
    case text(String)
    case date(TallyDate)
    case bool(Bool)
    /// A missing cell.
    case empty
    case error(ErrorValue)
    case list([Value])
    case record(Record)
    /// A typed column, as `t.col` gives it.
    case column(Column)
    case table(Table)

    /// A plain number.
    public static func num(_ x: Double) -> Value { .number(x, .plain) }

    /// The word used in messages: "a number", "a text".
    public var typeName: String {
        switch self {
        case .number: return "number"
        case .text: return "text"
        case .date: return "date"
        case .bool: return "boolean"
        case .empty: return "empty"
        case .error: return "error"
        case .list: return "list"
        case .record: return "record"
        case .column: return "column"
        case .table: return "table"
        }
    }

    public var isError: Bool { if case .error = self { return true } else { return false } }
    public var isEmpty: Bool { if case .empty = self { return true } else { return false } }

    public var numberValue: Double? { if case .number(let x, _) = self { return x } else { return nil } }

    /// True for values that hold many elements (broadcast over by operators).
    public var isCollection: Bool {
        switch self {
        case .list, .column: return true
        default: return false
        }
    }

    /// The elements of a list or column; nil for anything else.
    public var elements: [Value]? {
        switch self {
        case .list(let xs): return xs
        case .column(let c): return c.values
        default: return nil
        }
    }
}
