import TallyCore

/// A date layout given with the `dateFormat` option.
///
/// Two spellings are accepted:
/// - strftime style: `%Y` (4-digit year), `%y` (2-digit year), `%m` / `%-m` (month),
///   `%d` / `%-d` / `%e` (day), `%%` (a percent sign): `"%m/%d/%Y"`;
/// - token style: `YYYY`, `YY`, `M` or `MM`, `D` or `DD` (any letter case): `"M/D/YYYY"`,
///   `"DD.MM.YYYY"`.
/// Any other character must appear as written. Months and days take one or two digits
/// (exactly two when a number follows with no separator, as in `YYYYMMDD`); two-digit
/// years mean 1970-2069.
struct DatePattern: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case year4, year2, month, day
        case literal(UInt8)
    }

    let pieces: [Piece]

    /// The pattern, or why it cannot be used.
    static func parse(_ text: String) -> Result<DatePattern, PatternError> {
        let bytes = Array(text.utf8)
        var pieces: [Piece] = []
        var i = 0
        if bytes.contains(UInt8(ascii: "%")) {
            while i < bytes.count {
                let b = bytes[i]
                guard b == UInt8(ascii: "%") else { pieces.append(.literal(b)); i += 1; continue }
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard i < bytes.count else { return .failure(PatternError("ends with `%`")) }
                switch bytes[i] {
                case UInt8(ascii: "Y"): pieces.append(.year4)
                case UInt8(ascii: "y"): pieces.append(.year2)
                case UInt8(ascii: "m"): pieces.append(.month)
                case UInt8(ascii: "d"), UInt8(ascii: "e"): pieces.append(.day)
                case UInt8(ascii: "%"): pieces.append(.literal(UInt8(ascii: "%")))
                default:
                    let d = String(decoding: [bytes[i]], as: UTF8.self)
                    return .failure(PatternError("unknown directive `%\(d)` (use %Y %y %m %d)"))
                }
                i += 1
            }
        } else {
            while i < bytes.count {
                let b = bytes[i] | 0x20  // ASCII lower case
                guard b == UInt8(ascii: "y") || b == UInt8(ascii: "m") || b == UInt8(ascii: "d") else {
                    pieces.append(.literal(bytes[i])); i += 1; continue
                }
                var run = 0
                while i < bytes.count, bytes[i] | 0x20 == b { run += 1; i += 1 }
                switch (b, run) {
                case (UInt8(ascii: "y"), 4): pieces.append(.year4)
                case (UInt8(ascii: "y"), 2): pieces.append(.year2)
                case (UInt8(ascii: "m"), 1...2): pieces.append(.month)
                case (UInt8(ascii: "d"), 1...2): pieces.append(.day)
                default:
                    let letter = b == UInt8(ascii: "y") ? "Y" : b == UInt8(ascii: "m") ? "M" : "D"
                    return .failure(PatternError("`\(String(repeating: letter, count: run))` is not a date field (use YYYY, YY, M, MM, D, DD)"))
                }
            }
        }
        let years = pieces.filter { $0 == .year4 || $0 == .year2 }.count
        let months = pieces.filter { $0 == .month }.count
        let days = pieces.filter { $0 == .day }.count
        guard years == 1, months == 1, days == 1 else {
            return .failure(PatternError("needs one year, one month and one day field"))
        }
        return .success(DatePattern(pieces: pieces))
    }

    struct PatternError: Error, Sendable, Equatable {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// Days since 1970-01-01 of the date spelled by `p[0..<n]` in this layout.
    func match(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        var i = 0
        var year = 0, month = 0, day = 0
        for (k, piece) in pieces.enumerated() {
            switch piece {
            case .literal(let b):
                guard i < n, p[i] == b else { return nil }
                i += 1
            case .year4, .year2, .month, .day:
                let exact: Int
                switch piece {
                case .year4: exact = 4
                case .year2: exact = 2
                default:
                    let nextIsNumber = k + 1 < pieces.count && {
                        if case .literal = pieces[k + 1] { return false } else { return true }
                    }()
                    exact = nextIsNumber ? 2 : 0
                }
                var value = 0, digits = 0
                while i < n, p[i] &- 0x30 < 10, exact == 0 ? digits < 2 : digits < exact {
                    value = value * 10 + Int(p[i] &- 0x30); digits += 1; i += 1
                }
                guard digits > 0, exact == 0 || digits == exact else { return nil }
                switch piece {
                case .year4: year = value
                case .year2: year = value < 70 ? 2000 + value : 1900 + value
                case .month: month = value
                default: day = value
                }
            }
        }
        guard i == n else { return nil }
        return TallyDate(year: year, month: month, day: day)?.days
    }
}
