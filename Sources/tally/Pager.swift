#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// `show` on a terminal: long output through `less` (or `$PAGER`), like psql and git.
enum Pager {
    /// The pager command, or nil when none is installed. `wrap`: fold long lines (prose).
    static func command(wrap: Bool = false) -> String? {
        if let p = getenv("PAGER"), p.pointee != 0 { return String(cString: p) }
        for dir in ["/usr/bin", "/bin", "/usr/local/bin"] where access(dir + "/less", X_OK) == 0 {
            // -S: no wrapping, -R: colours, -X: leave the text on screen, -F: quit if it fits.
            return dir + (wrap ? "/less -RXF" : "/less -SRXF")
        }
        return nil
    }

    /// Pages the text `produce` emits in chunks; prints it when no pager can be started.
    /// A closed pager (`q` in less) makes `emit` return false, so production stops early.
    static func page(wrap: Bool = false, _ produce: (_ emit: (String) -> Bool) -> Void) {
        guard let cmd = command(wrap: wrap), let pipe = popen(cmd, "w") else {
            produce { text in
                let bytes = Array(text.utf8)
                return bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) } >= 0
            }
            return
        }
        // Writing to a pager that has quit must fail with EPIPE, not kill Tally.
        let previous = signal(SIGPIPE, SIG_IGN)
        produce { text in fputs(text, pipe) >= 0 && fflush(pipe) == 0 }
        pclose(pipe)
        signal(SIGPIPE, previous)
    }
}
