#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A session's crash-safe log of accepted statements: one line per statement, appended
/// and synced to disk before the statement's result is shown, so a killed terminal or a
/// power cut loses nothing that was accepted. Each running Tally holds an exclusive lock
/// on its own file; a journal nobody holds belongs to a session that ended without
/// saving, and `tally --resume` replays it.
public final class Journal {
    public let path: String
    private var fd: Int32
    /// Statements appended so far.
    public private(set) var count = 0
    /// While true, appends are not synced one by one (replaying a journal that is already
    /// on disk); `sync()` ends it.
    public var batching = false

    /// `$XDG_STATE_HOME/tally`, or `~/.local/state/tally`.
    public static func directory(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/tally" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/tally"
    }

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Creates a new journal in `directory` (made if missing, private to the user) and
    /// locks it for this process.
    public static func create(in directory: String, now: Int) throws(JournalError) -> Journal {
        try makeDirectory(directory)
        let name = "session-\(now)-\(getpid()).journal"
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError(message: "cannot create \(path): \(SystemError.describe(errno))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw JournalError(message: "cannot lock \(path): \(SystemError.describe(errno))")
        }
        let j = Journal(path: path, fd: fd)
        try j.write("# tally journal 1\n")
        return j
    }

    /// Appends one statement and waits until it is on disk.
    public func append(_ statement: String) throws(JournalError) {
        try write(Journal.encode(statement) + "\n")
        count += 1
    }

    /// Waits until everything appended is on disk, and ends batching.
    public func sync() throws(JournalError) {
        batching = false
        guard fsync(fd) == 0 else { throw JournalError(message: "cannot write the journal \(path): \(SystemError.describe(errno))") }
    }

    private func write(_ line: String) throws(JournalError) {
        let bytes = Array(line.utf8)
        let failure = bytes.withUnsafeBytes { AtomicFile.writeAll(fd, $0) }
        guard failure == 0, batching || fsync(fd) == 0 else {
            throw JournalError(message: "cannot write the journal \(path): \(SystemError.describe(failure == 0 ? errno : failure))")
        }
    }

    /// Ends the journal: removes the file (everything was saved, or nothing happened).
    public func discard() {
        unlink(path)
        close(fd)
        fd = -1
    }

    /// Lets the file stay for `--resume` and releases the lock.
    public func keep() {
        close(fd)
        fd = -1
    }

    /// Journals in `directory` that no running Tally holds, newest first, with their
    /// statement counts (empty ones are removed).
    public static func unfinished(in directory: String) -> [(path: String, statements: [String], modified: Int)] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var out: [(path: String, statements: [String], modified: Int)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix("session-"), name.hasSuffix(".journal") else { continue }
            let path = directory + "/" + name
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            // A journal whose lock can be taken belongs to no running session.
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            var st = stat()
            guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let statements = read(fd: fd, size: Int(st.st_size))
            if statements.isEmpty {
                unlink(path)
                continue
            }
            out.append((path, statements, Int(st.st_mtim.tv_sec)))
        }
        return out.sorted { ($0.modified, $0.path) > ($1.modified, $1.path) }
    }

    /// The statements of a journal; a last line cut short by a crash is left out.
    static func read(fd: Int32, size: Int) -> [String] {
        guard size > 0, size < 1 << 30 else { return [] }
        var bytes = [UInt8](repeating: 0, count: size)
        var got = 0
        while got < size {
            let k = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                #if canImport(Glibc)
                return Glibc.read(fd, base + got, size - got)
                #else
                return Darwin.read(fd, base + got, size - got)
                #endif
            }
            if k < 0, errno == EINTR { continue }
            if k <= 0 { break }
            got += k
        }
        let text = String(decoding: bytes[..<got], as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if !text.hasSuffix("\n") { lines.removeLast() }
        return lines.filter { !$0.isEmpty && !$0.hasPrefix("#") }.map(decode)
    }

    /// Removes a journal that has been resumed into a new one.
    public static func remove(_ path: String) { unlink(path) }

    static func encode(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func decode(_ s: String) -> String {
        var out = ""
        var escaped = false
        for c in s.unicodeScalars {
            if escaped {
                switch c {
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.unicodeScalars.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private static func makeDirectory(_ path: String) throws(JournalError) {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw JournalError(message: "cannot create \(prefix): \(SystemError.describe(errno))")
            }
        }
    }
}

/// A journal could not be made or written.
public struct JournalError: Error, Sendable {
    public var message: String
}
