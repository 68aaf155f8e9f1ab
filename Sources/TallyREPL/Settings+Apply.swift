import TallyCore
import TallyLang

extension Settings {
    /// The largest `set max_rows` (beyond it, one join could take the machine's memory).
    static let maxRowsLimit = 2_000_000_000

    static let names = ["output", "decimals", "width", "timer", "color", "lang", "currency", "undo_memory", "max_rows", "pg_timeout"]

    /// The values `set NAME` takes, for completion (empty for numbers).
    static func values(of name: String) -> [String] {
        switch name {
        case "output": return OutputMode.allCases.map(\.rawValue)
        case "timer", "color": return ["on", "off"]
        case "lang": return ["en", "zh"]
        case "currency": return ["\"¥\"", "\"$\"", "none"]
        case "width": return ["auto"]
        case "pg_timeout": return ["off"]
        default: return []
        }
    }

    /// `set key value`: changes one setting, or refuses with the values it takes.
    mutating func apply(key: NameRef, value: String, valueSpan: SourceSpan, session: Session) throws(TallyError) -> String {
        func bad(_ expected: String) -> TallyError {
            TallyError(.command("`\(value)` is not a valid value for `\(key.name)`"), span: valueSpan, hint: "expected \(expected)")
        }
        func onOff() -> Bool? { value == "on" ? true : (value == "off" ? false : nil) }
        switch key.name {
        case "output":
            guard let m = OutputMode(rawValue: value) else { throw bad("box, markdown, csv or plain") }
            output = m
        case "decimals":
            guard let n = Int(value), (0...12).contains(n) else { throw bad("a whole number from 0 to 12") }
            decimals = n
        case "width":
            if value == "auto" {
                widthFollowsTerminal = true
                width = terminalWidth ?? Settings.unlimitedWidth
                return terminalWidth.map { "width = auto (\($0))" } ?? "width = auto (not cut)"
            }
            guard let n = Int(value), (20...1000).contains(n) else { throw bad("a whole number from 20 to 1000, or auto") }
            width = n
            widthFollowsTerminal = false
        case "timer":
            guard let b = onOff() else { throw bad("on or off") }
            timer = b
        case "color":
            guard let b = onOff() else { throw bad("on or off") }
            color = b
        case "lang":
            guard value == "en" || value == "zh" else { throw bad("en or zh") }
            lang = value
        case "currency":
            // A sign of up to 3 characters (`¥`, `$`, `US$`); `none` or "" takes it away.
            let sign = value == "none" ? "" : value
            guard sign.count <= 3, !sign.contains(where: { $0.isNumber || $0.isWhitespace || $0 == "\"" }) else {
                throw bad("a currency sign in quotes such as \"¥\" or \"$\", or none")
            }
            currency = sign
            return sign.isEmpty ? "currency = none" : "currency = \"\(sign)\""
        case "undo_memory":
            guard let n = Int(value.replacing("MiB", with: "").replacing(" ", with: "")), (1...1_048_576).contains(n) else {
                throw bad("a size in MiB from 1 to 1048576, e.g. 512")
            }
            session.undoMemory = n << 20
            return "undo_memory = \(n) MiB"
        case "max_rows":
            // `1000000`, `1_000_000` or `1,000,000`.
            let digits = value.filter { $0 != "_" && $0 != "," }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int(digits), (1...Settings.maxRowsLimit).contains(n) else {
                throw bad("a whole number of rows from 1 to 2000000000, e.g. 50000000")
            }
            session.maxRows = n
            return "max_rows = \(n)"
        case "pg_timeout":
            // Whole seconds; `off` or 0: a query runs as long as the server lets it.
            if value == "off" || value == "0" {
                pgTimeout = 0
                return "pg_timeout = off"
            }
            guard let n = Int(value), (1...86_400).contains(n) else { throw bad("a whole number of seconds from 1 to 86400, or off") }
            pgTimeout = n
            return "pg_timeout = \(n) s"
        default:
            let hint = Suggestions.closest(to: key.name, among: Settings.names).map { "did you mean `\($0)`?" }
                ?? "settings: " + Settings.names.joined(separator: ", ")
            throw TallyError(.command("unknown setting `\(key.name)`"), span: key.span, hint: hint)
        }
        return "\(key.name) = \(value)"
    }
}
