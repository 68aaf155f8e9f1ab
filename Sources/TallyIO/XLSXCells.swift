import TallyCore

/// Cell references (`B7`), Excel date serials and number-format codes: the small rules
/// of SpreadsheetML that both `XLSXReader` and `XLSXWriter` follow.
enum XLSXCells {
    /// The largest row and column number a worksheet can have (Excel 2007 and later).
    static let maxRow = 1_048_576
    static let maxColumn = 16_384
    /// The longest text a cell may hold, in UTF-16 units (Excel's limit).
    static let maxCellLength = 32_767
    /// The most shared strings read: Excel's rows times 32 (2^25), far over any real workbook.
    static let maxSharedStrings = 33_554_432

    // MARK: References

    /// `A`, `Z`, `AA`, `XFD` for 0-based column `index`.
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var letters: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(UInt8(65 + r))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// `B7` for 0-based column 1 and 1-based row 7.
    static func reference(column: Int, row: Int) -> String { columnName(column) + String(row) }

    /// Splits `B7` into 0-based column 1 and row 7; a reference without digits (`B`) gives
    /// row nil. Nil when the text is not a reference or lies outside the sheet's limits.
    static func parseReference(_ s: String) -> (column: Int, row: Int?)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for b in s.utf8 {
            if digits == 0, (b | 0x20) >= 0x61, (b | 0x20) <= 0x7A {
                column = column * 26 + Int((b | 0x20) - 0x60)
                letters += 1
                if letters > 3 { return nil }
            } else if b >= 0x30, b <= 0x39, letters > 0 {
                row = row * 10 + Int(b - 0x30)
                digits += 1
                if digits > 7 { return nil }
            } else if b == 0x24 {  // `$` of an absolute reference
                continue
            } else {
                return nil
            }
        }
        guard letters > 0, column <= maxColumn else { return nil }
        if digits == 0 { return (column - 1, nil) }
        guard row >= 1, row <= maxRow else { return nil }
        return (column - 1, row)
    }

    // MARK: Date serials

    /// Days from 1970-01-01 back to the day before 1900-01-01 (serial 0 in the 1900 system).
    private static let epoch1900 = 25_568
    /// Days from 1970-01-01 back to 1904-01-01 (serial 0 in the 1904 system).
    private static let epoch1904 = 24_107
    /// The serial of 9999-12-31 in the 1900 system, the last day Excel shows.
    private static let lastSerial = 2_958_465.0

    /// The day of an Excel date serial (its time of day dropped), or nil when the number
    /// is not one. In the 1900 system serial 1 is 1900-01-01 and serial 60 is Excel's
    /// 1900-02-29, a day that never was (Lotus 1-2-3 thought 1900 a leap year); it is read
    /// as 1900-02-28, and every later serial is one day less than its count suggests.
    static func days(fromSerial serial: Double, date1904: Bool) -> Int32? {
        guard serial.isFinite, serial >= 0, serial <= lastSerial else { return nil }
        let whole = Int(serial.rounded(.down))
        if date1904 { return Int32(exactly: whole - epoch1904) }
        if whole >= 61 { return Int32(whole - epoch1900 - 1) }
        if whole == 60 { return Int32(59 - epoch1900) }
        return Int32(whole - epoch1900)
    }

    /// The 1900-system serial of a day, or nil before 1900-01-01 or after 9999-12-31.
    static func serial(fromDays days: Int32) -> Int? {
        let d = Int(days)
        let serial = d + epoch1900 >= 60 ? d + epoch1900 + 1 : d + epoch1900
        guard serial >= 1, Double(serial) <= lastSerial else { return nil }
        return serial
    }

    // MARK: Number formats

    /// What a cell's number format says about its number.
    enum Display: Sendable, Equatable {
        /// A number, shown with this format.
        case number(NumberFormat)
        /// A date (perhaps with a time of day): the number is a date serial.
        case date
    }

    /// Reads a format: the built-in `id`s (0-163) by number, custom ones by their `code`.
    /// Time-of-day formats (`h:mm`) stay numbers: a table has no time type.
    static func display(id: Int, code: String?) -> Display {
        if let code { return display(code: code) }
        switch id {
        case 14...17, 22, 27...31, 36, 50...54, 57, 58: return .date
        case 9, 10: return .number(.percent)
        case 4...8, 42, 44: return .number(.money)
        case 1: return .number(.digits)
        default: return .number(.plain)
        }
    }

    /// Reads a custom format code such as `yyyy-mm-dd`, `0.0%` or `"¥"#,##0.00`. Only the
    /// first section (before `;`) counts. Quoted text, `\x` escapes, `_x` and `*x` padding
    /// are skipped when looking for date letters; `[h]` elapsed time and `AM/PM` are times.
    static func display(code: String) -> Display {
        let scalars = Array(code.unicodeScalars)
        var hasDateLetter = false
        var hasMonthOrMinute = false
        var hasTime = false
        var percent = false
        var currency = false
        var i = 0
        func isCurrency(_ c: Unicode.Scalar) -> Bool { "$¥€£￥₩₹".unicodeScalars.contains(c) }
        loop: while i < scalars.count {
            let c = scalars[i]
            switch c {
            case ";": break loop
            case "\"":
                i += 1
                while i < scalars.count, scalars[i] != "\"" {
                    if isCurrency(scalars[i]) { currency = true }
                    i += 1
                }
            case "\\", "_", "*":
                if c == "\\", i + 1 < scalars.count, isCurrency(scalars[i + 1]) { currency = true }
                i += 1
            case "[":
                var inner: [Unicode.Scalar] = []
                i += 1
                while i < scalars.count, scalars[i] != "]" { inner.append(scalars[i]); i += 1 }
                let text = String(String.UnicodeScalarView(inner)).lowercased()
                if text.hasPrefix("$") {
                    // `[$€-407]`: a currency sign before the locale; `[$-409]` has none.
                    if inner.count > 1, inner[1] != "-" { currency = true }
                } else if !text.isEmpty, text.allSatisfy({ $0 == "h" || $0 == "m" || $0 == "s" }) {
                    hasTime = true
                }
            case "%": percent = true
            default:
                if isCurrency(c) { currency = true }
                switch Character(c).lowercased() {
                case "y", "d": hasDateLetter = true
                case "m": hasMonthOrMinute = true
                case "h", "s": hasTime = true
                case "a":
                    // `AM/PM` or `A/P`: a clock.
                    let rest = String(String.UnicodeScalarView(scalars[i...].prefix(5))).uppercased()
                    if rest.hasPrefix("AM/PM") { hasTime = true; i += 4 } else if rest.hasPrefix("A/P") { hasTime = true; i += 2 }
                default: break
                }
            }
            i += 1
        }
        if hasDateLetter || (hasMonthOrMinute && !hasTime) { return .date }
        if percent { return .number(.percent) }
        if currency { return .number(.money) }
        let trimmed = String(code.unicodeScalars.filter { $0 != " " })
        if trimmed == "#,##0.00" { return .number(.money) }
        if trimmed == "0" { return .number(.digits) }
        return .number(.plain)
    }

    // MARK: Text

    /// Decodes `_x000D_`-style escapes, which SpreadsheetML uses for characters XML
    /// cannot hold (`_x005F_` stands for a literal `_`).
    static func unescape(_ s: String) -> String {
        guard s.utf8.contains(0x5F), s.contains("_x") else { return s }
        var out = ""
        var rest = Substring(s)
        while let r = rest.range(of: "_x") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            let hex = after.prefix(5)
            if hex.count == 5, hex.last == "_", let v = UInt32(hex.prefix(4), radix: 16), let u = Unicode.Scalar(v) {
                out.unicodeScalars.append(u)
                rest = after.dropFirst(5)
            } else {
                out += "_x"
                rest = after
            }
        }
        return out + rest
    }
}
