#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Reads a whole script as UTF-8 text, from a file or from standard input.
enum ScriptText {
    /// Why a script could not be read, phrased for a one-line message.
    struct Failure: Error {
        let reason: String
    }

    /// The longest script read (a guard against an endless pipe).
    static let maxBytes = 64 << 20

    static func load(path: String) -> Result<String, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Failure(reason: currentErrno())) }
        defer { close(fd) }
        // A device such as `/dev/zero` never ends: only regular files, and pipes (for
        // `tally <(generate)`), are scripts.
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(Failure(reason: currentErrno())) }
        switch st.st_mode & S_IFMT {
        case S_IFREG, S_IFIFO: break
        case S_IFDIR: return .failure(Failure(reason: "is a directory, not a file"))
        default: return .failure(Failure(reason: "not a regular file"))
        }
        return load(fd: fd)
    }

    static func loadStandardInput() -> Result<String, Failure> {
        load(fd: STDIN_FILENO)
    }

    private static func load(fd: Int32) -> Result<String, Failure> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(reason: currentErrno()))
            }
            bytes += chunk[0..<n]
            if bytes.count > maxBytes {
                return .failure(Failure(reason: "longer than \(maxBytes >> 20) MiB, which is more than any script"))
            }
        }
        // Editors on Windows like to start UTF-8 files with a byte-order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(Failure(reason: "not UTF-8 text"))
        }
        if let nul = bytes.firstIndex(of: 0) {
            let line = bytes[..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            return .failure(Failure(reason: "line \(line) has a NUL byte: a binary file, not a script"))
        }
        return .success(text)
    }

    private static func currentErrno() -> String {
        String(cString: strerror(errno))
    }
}
