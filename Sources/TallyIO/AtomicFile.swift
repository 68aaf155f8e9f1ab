import TallyCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replacing a file so that readers never see half of it: the bytes go into a temporary
/// file in the same directory, which is synced and then renamed over the target. A
/// failure leaves the old file as it was; the new file keeps the old one's permissions.
///
/// The temporary file is `.NAME.tally-tmp-PID` beside `NAME`. A process killed while
/// writing (SIGKILL, a power cut) leaves it behind; the next write to the same target
/// removes every such file whose process is gone, and says so.
public enum AtomicFile {
    /// What a write has to tell the user (a leftover it removed), one note each.
    public typealias Notices = [Note]

    /// The marker between the target's name and the writer's process id.
    static let marker = ".tally-tmp-"

    /// Lets `body` write into the temporary file's descriptor (returning 0 or an errno),
    /// then puts the file in place of `path`.
    @discardableResult
    static func replace(_ path: String, _ body: (Int32) -> Int32) throws(WriteError) -> Notices {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let folder = directory.isEmpty ? "/" : directory
        let prefix = "." + base + marker
        let removed = removeLeftovers(in: folder, prefix: prefix)
        let temp = (directory.isEmpty ? "/" : directory + "/") + prefix + String(getpid())
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WriteError(path: path, message: SystemError.describe(errno)) }
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
        guard removed > 0 else { return [] }
        return [removed == 1 ? Note(.exportRemovedLeftover) : Note(.exportRemovedLeftovers, [.count(removed)])]
    }

    /// Deletes `prefix` + PID files in `folder` whose process no longer runs (or is this
    /// one: a file of ours from before can only be a leftover of a dead process with the
    /// same id). Only regular files are touched. Returns how many went.
    static func removeLeftovers(in folder: String, prefix: String) -> Int {
        guard let d = opendir(folder) else { return 0 }
        defer { closedir(d) }
        var removed = 0
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count)), pid > 0 else { continue }
            if pid != getpid() && (kill(pid, 0) == 0 || errno != ESRCH) { continue }
            let full = (folder == "/" ? "" : folder) + "/" + name
            var st = stat()
            guard lstat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            if unlink(full) == 0 { removed += 1 }
        }
        return removed
    }

    /// Writes `bytes` in place of `path`.
    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) -> Notices {
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
