#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replacing a file so that readers never see half of it: the bytes go into a temporary
/// file in the same directory, which is synced and then renamed over the target. A
/// failure leaves the old file as it was; the new file keeps the old one's permissions.
public enum AtomicFile {
    /// Lets `body` write into the temporary file's descriptor (returning 0 or an errno),
    /// then puts the file in place of `path`.
    static func replace(_ path: String, _ body: (Int32) -> Int32) throws(WriteError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array(((directory.isEmpty ? "/" : directory + "/") + ".\(base).tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { b in b.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw WriteError(path: path, message: SystemError.describe(errno)) }
        let temp = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var st = stat()
        let mode: mode_t = stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0o644
        fchmod(fd, mode)
        var failure = body(fd)
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure == 0 && rename(temp, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temp)
            throw WriteError(path: path, message: SystemError.describe(failure))
        }
    }

    /// Writes `bytes` in place of `path`.
    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
        try replace(path) { fd in bytes.withUnsafeBytes { writeAll(fd, $0) } }
    }

    /// Writes every byte, retrying after signals; 0 or the errno of the failure.
    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < raw.count, let base = raw.baseAddress {
            let k = systemWrite(fd, base + offset, raw.count - offset)
            if k < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += k
        }
        return 0
    }

    private static func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, p, n)
        #else
        return Darwin.write(fd, p, n)
        #endif
    }
}
