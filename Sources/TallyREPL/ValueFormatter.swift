import Foundation
import TallyCore
import TallyLang

/// Turns values into the text people read: thousands separators, whole numbers without
/// decimals, percentages, ISO dates.
public struct ValueFormatter: Sendable {
    public var decimals: Int
    /// The sign money shows (`¥`), empty for none.
    public var currency: String
    /// "zh" shows booleans as 是/否.
    public var lang: String

    public init(decimals: Int = 2, currency: String = "", lang: String = "en") {
        self.decimals = decimals
        self.currency = currency
        self.lang = lang
    }

    /// The formatter of the settings in force.
    public init(settings: Settings) { self.init(decimals: settings.decimals, currency: settings.currency, lang: settings.lang) }

    /// A number as shown in a cell or after `name =`.
    public func number(_ x: Double, _ format: NumberFormat) -> String {
        // Never a silent infinity: whatever slips through shows as the error it is.
        guard x.isFinite else { return ErrorValue.Kind.number.rawValue }
        switch format {
        case .percent: return fixed(x * 100, max(decimals, 0)) + "%"
        case .wan, .yi:
            // Like a percentage: always the decimals, in the unit (`1.50亿`, `3,200.00万`).
            let unit = format.chineseUnit ?? (1, "")
            return fixed(x / unit.scale, max(decimals, 0)) + unit.sign
        case .money:
            let s = fixed(x, 2)
            guard !currency.isEmpty else { return s }
            return s.hasPrefix("-") ? "-" + currency + s.dropFirst() : currency + s
        case .digits:
            if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
            return fixed(x, max(decimals, 0)).replacingOccurrences(of: ",", with: "")
        case .plain:
            if x == x.rounded(), abs(x) < 1e15 { return fixed(x, 0) }
            if abs(x) >= 1e15 { return String(format: "%.6g", x) }
            let d = max(decimals, 0)
            // Small fractions keep three significant digits instead of rounding to 0.00.
            if abs(x) < pow(10, -Double(d)) {
                let digits = min(12, max(d, Int(saturating: (-log10(abs(x))).rounded(.down)) + 3))
                return trimZeros(fixed(x, digits), keep: d)
            }
            return fixed(x, d)
        }
    }

    /// Fixed decimals with a thousands separator on the integer part.
    public func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return ErrorValue.Kind.number.rawValue }
        // Whole numbers (the common case) without going through printf.
        if digits == 0, abs(x) < 1e15 {
            let n = Int64(x.rounded(.toNearestOrAwayFromZero))
            let body = String(n.magnitude)
            var grouped = ""
            grouped.reserveCapacity(body.utf8.count + body.utf8.count / 3 + 1)
            for (i, ch) in body.enumerated() {
                if i > 0, (body.utf8.count - i) % 3 == 0 { grouped.append(",") }
                grouped.append(ch)
            }
            return (n < 0 ? "-" : "") + grouped
        }
        // Half away from zero, as Excel rounds for display (printf would round 0.125 to 0.12).
        let scale = pow(10, Double(digits))
        let scaled = (x * scale).rounded(.toNearestOrAwayFromZero)
        let s = String(format: "%.\(digits)f", abs(scaled) < 1e15 ? scaled / scale : x)
        let negative = s.hasPrefix("-")
        let body = negative ? String(s.dropFirst()) : s
        let parts = body.split(separator: ".", maxSplits: 1)
        let intPart = String(parts.first ?? "0")
        var grouped = ""
        for (i, ch) in intPart.enumerated() {
            if i > 0, (intPart.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(ch)
        }
        let isZero = !body.contains { $0 != "0" && $0 != "." }
        let sign = negative && !isZero ? "-" : ""
        return sign + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }

    private func trimZeros(_ s: String, keep: Int) -> String {
        guard let dot = s.firstIndex(of: ".") else { return s }
        var out = s
        while out.last == "0", out.distance(from: dot, to: out.endIndex) - 1 > keep { out.removeLast() }
        if out.last == "." { out.removeLast() }
        return out
    }

    /// A number with ten significant digits (what goal seek found), else as `inline`.
    public func precise(_ v: Value) -> String {
        guard case .number(let x, let f) = v, x.isFinite, f != .money else { return inline(v) }
        let y = f == .percent ? x * 100 : x
        if y == y.rounded(), abs(y) < 1e15 { return inline(v) }
        let intDigits = y == 0 ? 1 : max(1, Int(log10(abs(y)).rounded(.down)) + 1)
        let digits = min(12, max(decimals, 10 - intDigits))
        return trimZeros(fixed(y, digits), keep: decimals) + (f == .percent ? "%" : "")
    }

    /// A value inside a table cell or a list: text unquoted.
    public func cell(_ v: Value) -> String {
        switch v {
        case .text(let s): return s
        case .empty: return ""
        default: return inline(v)
        }
    }

    /// A cell of CSV output: like `cell`, without thousands separators.
    public func csvCell(_ v: Value) -> String {
        var plain = self
        plain.currency = ""
        plain.lang = "en"
        if case .number = v { return plain.element(v) }
        return plain.cell(v)
    }

    /// A list element: numbers without thousands separators, which would read as commas.
    func element(_ v: Value) -> String {
        guard case .number(let x, let f) = v, f != .percent else { return inline(v) }
        return number(x, f).replacingOccurrences(of: ",", with: "")
    }

    /// A value on one line, text quoted (after `name =` and inside lists).
    public func inline(_ v: Value) -> String {
        switch v {
        case .number(let x, let f): return number(x, f)
        case .text(let s): return "\"" + s.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
        case .date(let d): return d.iso
        case .bool(let b): return lang == "zh" ? (b ? "是" : "否") : (b ? "true" : "false")
        case .empty: return "empty"
        case .error(let e): return e.kind.rawValue
        case .list(let xs): return "[" + xs.map(element).joined(separator: ", ") + "]"
        case .record(let r): return "{" + r.fields.map { "\($0.name): \(inline($0.value))" }.joined(separator: ", ") + "}"
        case .column(let c):
            let shown = (0..<min(c.count, 5)).map { element(c[$0]) }
            return "column of \(fixed(Double(c.count), 0)) \(c.typeName) values [" + shown.joined(separator: ", ") + (c.count > 5 ? ", ..." : "") + "]"
        case .table(let t):
            var s = Settings()
            s.lang = lang
            if let r = RemoteSource(t) {
                return NoteRenderer(settings: s).fill(.remoteTableValue, [.text(r.server), .counted(t.columnCount, .nounColumn),
                                                                         .joined(t.names.map(NotePart.text), ", ")])
            }
            return NoteRenderer(settings: s).fill(.tableValue, [.counted(t.rowCount, .nounRow), .counted(t.columnCount, .nounColumn),
                                                               .joined(t.names.map(NotePart.text), ", ")])
        }
    }
}
