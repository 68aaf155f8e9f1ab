import TallyCore

/// Writes values and names back as source text that parses to the same thing: for the
/// journal, `save`, and the definitions `goalseek` and `scenario apply` make.
public enum Canonical {
    /// A name as written in a statement: plain, or in backticks when it needs them.
    public static func name(_ n: String) -> String {
        guard let first = n.unicodeScalars.first, Lexer.isNameStart(first),
              n.unicodeScalars.allSatisfy(Lexer.isNameContinue), Keyword(rawValue: n) == nil else {
            return "`" + n + "`"
        }
        return n
    }

    /// A text in double quotes with `\"`, `\\` and `\n` escaped.
    public static func text(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// A number that reads back as exactly the same double (shortest round trip).
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "0" : (x > 0 ? "1e308 * 10" : "-1e308 * 10") }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    /// A literal for a value: numbers keep their format (`0.03 as %`), tables become
    /// `table(col: [...], ...)`, an empty cell `coalesce()`.
    public static func literal(_ v: Value) -> String {
        switch v {
        case .number(let x, let f):
            let n = number(x)
            switch f {
            case .plain, .digits: return n
            case .percent: return "\(n) as %"
            case .money: return "\(n) as money"
            case .wan: return "\(n) as 万"
            case .yi: return "\(n) as 亿"
            }
        case .text(let s): return text(s)
        case .date(let d): return "date(\(text(d.iso)))"
        case .bool(let b): return b ? "true" : "false"
        case .empty: return "coalesce()"
        case .error(let e): return "coalesce(\(text(e.kind.rawValue)))"
        case .list(let xs): return "[" + xs.map(literal).joined(separator: ", ") + "]"
        case .record(let r): return "{" + r.fields.map { name($0.name) + ": " + literal($0.value) }.joined(separator: ", ") + "}"
        case .column(let c): return "[" + c.values.map(literal).joined(separator: ", ") + "]"
        case .table(let t):
            let cols = zip(t.names, t.columns).map { n, c in name(n) + ": " + columnLiteral(c) }
            return "table(" + cols.joined(separator: ", ") + ")"
        }
    }

    /// A column as a list, keeping a number column's format once for the whole list.
    private static func columnLiteral(_ c: Column) -> String {
        if case .number = c.storage, c.format == .percent || c.format == .money {
            let plain = c.values.map { v -> String in
                if case .number(let x, _) = v { return number(x) }
                return literal(v)
            }
            return "[" + plain.joined(separator: ", ") + "] as " + (c.format == .percent ? "%" : "money")
        }
        return "[" + c.values.map(literal).joined(separator: ", ") + "]"
    }
}
