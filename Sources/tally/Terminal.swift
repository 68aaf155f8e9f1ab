#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif
import Synchronization

/// Set by the SIGINT handler; a plain atomic store is async-signal-safe.
let sigintReceived = Atomic<Bool>(false)

/// What the executable needs to know about, and do to, the terminal it runs in.
enum Terminal {
    /// True when `fd` is a terminal.
    static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Adopts the user's character encoding so libedit decodes UTF-8 input.
    ///
    /// Neither Swift nor Foundation calls `setlocale`, and libedit silently drops every
    /// non-ASCII byte under a non-UTF-8 LC_CTYPE, so fall back to C.UTF-8 (always present in glibc).
    /// Only LC_CTYPE: a German LC_NUMERIC would make `strtod` (number parsing) read "3.5" as 3.
    static func adoptUTF8Locale() {
        setlocale(LC_CTYPE, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// Colour only on a terminal, never with `--no-color` or a non-empty `NO_COLOR` (no-color.org).
    static func wantsColor(noColorFlag: Bool) -> Bool {
        if noColorFlag { return false }
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return isTTY(STDOUT_FILENO)
    }

    /// The width of the terminal on standard output, or nil when it is not a terminal.
    static func width() -> Int? {
        guard isTTY(STDOUT_FILENO) else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// The height of the terminal on standard output, or nil when it is not a terminal.
    static func height() -> Int? {
        guard isTTY(STDOUT_FILENO) else { return nil }
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return Int(size.ws_row)
    }

    /// Makes Ctrl-C set `sigintReceived` instead of killing the process.
    ///
    /// No SA_RESTART: libedit's blocking `read()` then fails with EINTR and `readline()`
    /// returns NULL, which is how a Ctrl-C on a half-typed line is noticed.
    static func installSigintHandler() {
        _ = sigintReceived.load(ordering: .relaxed)   // initialise the global before any signal can arrive
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in sigintReceived.store(true, ordering: .relaxed) }
        #else
        action.__sigaction_u.__sa_handler = { _ in sigintReceived.store(true, ordering: .relaxed) }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// Writes a message for the user to standard error.
    static func printError(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
