/// How a number is displayed. The format never changes the value.
public enum NumberFormat: String, Sendable, Hashable, CaseIterable {
    case plain
    case percent
    case money
    /// Whole numbers shown as bare digits, without thousands separators (years, ids).
    case digits

    /// The format of the result of combining two formatted numbers:
    /// a format survives when only one side carries one, or both agree.
    public static func combine(_ a: NumberFormat, _ b: NumberFormat) -> NumberFormat {
        if a == b { return a }
        if a == .plain { return b }
        if b == .plain { return a }
        return .plain
    }
}
