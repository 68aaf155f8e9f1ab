#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// `show` on a terminal: long output through `less` (or `$PAGER`), like psql and git.
enum Pager {
    /// The pager command, or nil when none is installed.
    static func command() -> String? {
        if let p = getenv("PAGER"), p.pointee != 0 { return String(cString: p) }
        for dir in ["/usr/bin", "/bin", "/usr/local/bin"] where access(dir + "/less", X_OK) == 0 {
            // -S: no wrapping, -R: colours, -X: leave the text on screen, -F: quit if it fits.
            return dir + "/less -SRXF"
        }
        return nil
    }

    /// Pages `text`; falls back to printing it when no pager can be started.
    static func page(_ text: String) {
        guard let cmd = command(), let pipe = popen(cmd, "w") else {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            return
        }
        fputs(text, pipe)
        pclose(pipe)
    }
}
