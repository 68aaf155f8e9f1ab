/// How the REPL shows things; `set NAME VALUE` changes them.
public struct Settings: Sendable {
    public enum OutputMode: String, Sendable, CaseIterable { case box, markdown, csv, plain }

    /// ANSI colour (only on a terminal, never with NO_COLOR).
    public var color = false
    /// Width to fit tables to, in terminal columns (`unlimited` when output is not a terminal).
    public var width = 100
    /// The width of the terminal, nil when output is not one.
    public var terminalWidth: Int?
    /// True until `set width N`: `width` follows the terminal (`set width auto` comes back).
    public var widthFollowsTerminal = true
    /// The width of output that is not cut (a pipe, a file).
    public static let unlimitedWidth = 100_000
    /// Print each statement after the prompt before its output (transcripts).
    public var echo = false
    public var output = OutputMode.box
    /// Decimals shown for numbers that are not whole.
    public var decimals = 2
    /// Print the elapsed time after each statement.
    public var timer = false
    /// The interface language: "en" or "zh" (notes, messages, generated headers, segment names).
    public var lang = "en"
    /// The sign money shows (`set currency "¥"`), empty for none.
    public var currency = ""
    /// Print the banner when the interactive loop starts.
    public var banner = true
    /// Started with `--demo`.
    public var demo = false
    /// Longest list of changed formulas printed after a redefinition.
    public var maxChanges = 20
    /// Rows of a long table shown before eliding the middle.
    public var maxRows = 20
    /// `set pg_timeout N`: the seconds a database server may spend on one query (0: no limit).
    public var pgTimeout = 0

    public init() {}

    /// The interface language the locale asks for, as POSIX reads it: `LC_ALL`, then
    /// `LC_MESSAGES`, then `LANG`; "zh" for any Chinese locale (`zh_CN.UTF-8`, `zh_TW`), else "en".
    public static func language(environment env: [String: String]) -> String {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { env[$0] }.first { !$0.isEmpty } ?? ""
        return locale.lowercased().hasPrefix("zh") ? "zh" : "en"
    }
}
