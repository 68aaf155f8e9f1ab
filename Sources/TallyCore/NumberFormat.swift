/// How a number is displayed. The format never changes the value.
public enum NumberFormat: String, Sendable, Hashable, CaseIterable {
    case plain
    case percent
    case money
    /// Whole numbers shown as bare digits, without thousands separators (years, ids).
    case digits
    /// Shown in units of 万 (10,000): `3,200.00万` (`x as 万`).
    case wan
    /// Shown in units of 亿 (100,000,000): `1.50亿` (`x as 亿`).
    case yi

    /// The unit a Chinese-unit format divides by, and its sign (nil for the others).
    public var chineseUnit: (scale: Double, sign: String)? {
        switch self {
        case .wan: return (1e4, "万")
        case .yi: return (1e8, "亿")
        default: return nil
        }
    }

    /// The format of the result of combining two formatted numbers:
    /// a format survives when only one side carries one, or both agree.
    public static func combine(_ a: NumberFormat, _ b: NumberFormat) -> NumberFormat {
        if a == b { return a }
        if a == .plain { return b }
        if b == .plain { return a }
        return .plain
    }
}
