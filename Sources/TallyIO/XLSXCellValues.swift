import TallyCore

/// A cell's value once its style and text are understood.
enum XLSXValue: Equatable {
    case empty
    case number(Double, NumberFormat)
    case date(Int32)
    case bool(Bool)
    /// Text that is not a number, date or boolean: an index into the sheet's strings.
    case text(Int32)
    /// `#N/A`, `#DIV/0!`...: an index into the sheet's strings. Loads as an empty cell.
    case error(Int32)

    /// The kind of column this value asks for; nil for empties and errors.
    var kind: ColumnKind? {
        switch self {
        case .empty, .error: return nil
        case .number: return .number
        case .date: return .date
        case .bool: return .bool
        case .text: return .text
        }
    }
}

/// Turns raw cells into values: number cells through their style (a date format makes
/// a date serial a date), text cells through the same parsers as CSV fields (`1,234.50`,
/// `¥12`, `35%`, `2026-07-01`, `2026年7月1日`, `yes`). Each distinct text is parsed once.
struct XLSXValueReader {
    /// What a distinct text parses as.
    private enum TextClass {
        case empty
        case number(Double, NumberFormat)
        case date(Int32)
        case bool(Bool)
        case text
        /// `00042`: digits kept as text for their leading zeros.
        case leadingZeros
    }

    let strings: [String]
    let styles: [XLSXCells.Display]
    let date1904: Bool
    let datePattern: DatePattern?
    private var classes: [TextClass?]

    init(strings: [String], styles: [XLSXCells.Display], date1904: Bool, datePattern: DatePattern?) {
        self.strings = strings
        self.styles = styles
        self.date1904 = date1904
        self.datePattern = datePattern
        classes = Array(repeating: nil, count: strings.count)
    }

    private func display(_ c: XLSXRawCell) -> XLSXCells.Display {
        let s = Int(c.style)
        return s >= 0 && s < styles.count ? styles[s] : .number(.plain)
    }

    /// The value of a cell, as type inference sees it.
    mutating func value(_ c: XLSXRawCell) -> XLSXValue {
        switch c.kind {
        case .number:
            switch display(c) {
            case .date:
                if let d = XLSXCells.days(fromSerial: c.number, date1904: date1904) { return .date(d) }
                return .number(c.number, .plain)
            case .number(let f):
                return .number(c.number, f)
            }
        case .bool:
            return .bool(c.number != 0)
        case .error:
            return .error(c.string)
        case .isoDate:
            let s = strings[Int(c.string)]
            let day = s.split(separator: "T", maxSplits: 1).first.map(String.init) ?? s
            if let d = parseDate(day, pattern: nil) { return .date(d) }
            return .text(c.string)
        case .text:
            switch textClass(c.string) {
            case .empty: return .empty
            case .number(let x, let f): return .number(x, f)
            case .date(let d): return .date(d)
            case .bool(let b): return .bool(b)
            case .text, .leadingZeros: return .text(c.string)
            }
        }
    }

    /// Whether a text cell is digits kept as text for their leading zeros.
    mutating func hasLeadingZeros(_ c: XLSXRawCell) -> Bool {
        guard c.kind == .text, case .leadingZeros = textClass(c.string) else { return false }
        return true
    }

    /// The cell as text: text as written, numbers in their shortest exact form, dates as
    /// ISO, booleans as `true`/`false`; empty for empties and errors.
    mutating func text(_ c: XLSXRawCell) -> String {
        if c.kind == .text { return strings[Int(c.string)] }
        return text(of: value(c))
    }

    func text(of v: XLSXValue) -> String {
        switch v {
        case .empty, .error: return ""
        case .number(let x, _): return CellText.number(x)
        case .date(let d): return TallyDate(days: d).iso
        case .bool(let b): return b ? "true" : "false"
        case .text(let i): return strings[Int(i)]
        }
    }

    /// A cell's value read as the forced type `kind`; nil when it cannot be. Number
    /// cells give their serial as a number and their date as a date whatever the style
    /// says, since files often format dates as numbers and numbers as dates.
    mutating func forced(_ c: XLSXRawCell, as kind: ColumnKind) -> XLSXValue? {
        let v = value(c)
        if v == .empty { return .empty }
        if case .error = v { return .empty }
        switch kind {
        case .number:
            if c.kind == .number {
                if case .number(let f) = display(c) { return .number(c.number, f) }
                return .number(c.number, .plain)
            }
            if case .number = v { return v }
            return nil
        case .date:
            if case .date = v { return v }
            if c.kind == .number { return XLSXCells.days(fromSerial: c.number, date1904: date1904).map { .date($0) } }
            return nil
        case .bool:
            if case .bool = v { return v }
            if c.kind == .number, c.number == 0 || c.number == 1 { return .bool(c.number == 1) }
            return nil
        case .text, .undecided:
            return v
        }
    }

    private mutating func textClass(_ index: Int32) -> TextClass {
        let i = Int(index)
        if let c = classes[i] { return c }
        let c = classify(strings[i])
        classes[i] = c
        return c
    }

    private func classify(_ s: String) -> TextClass {
        if s.utf8.allSatisfy({ $0 == 0x20 }) { return .empty }
        var copy = s
        return copy.withUTF8 { u -> TextClass in
            guard let p = u.baseAddress else { return .empty }
            switch NumberParser.parse(p, u.count, allowThousands: true) {
            case .number(let x, let sign):
                return .number(x, sign == .money ? .money : sign == .percent ? .percent : .plain)
            case .leadingZeros:
                return .leadingZeros
            case .blank:
                return .empty
            case .invalid:
                if let d = DateParser.parse(p, u.count, pattern: datePattern) { return .date(d) }
                if let b = BoolParser.parse(p, u.count) { return .bool(b) }
                return .text
            }
        }
    }

    private func parseDate(_ s: String, pattern: DatePattern?) -> Int32? {
        var copy = s
        return copy.withUTF8 { u in u.baseAddress.flatMap { DateParser.parse($0, u.count, pattern: pattern) } }
    }
}
