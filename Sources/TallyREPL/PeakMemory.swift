import Foundation

/// The process's peak resident memory, resettable (Linux `/proc/self`), so `set timer on`
/// can show what one statement needed on top of what was already in use. Elsewhere, or
/// when /proc cannot be read, nothing is shown.
enum PeakMemory {
    /// Starts a new peak at the current resident size; returns that size in KiB.
    static func reset() -> Int? {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let five: [UInt8] = [0x35]
        guard write(fd, five, 1) == 1 else { return nil }
        return field("VmRSS")
    }

    /// The peak resident size since the last reset, in KiB.
    static func peak() -> Int? { field("VmHWM") }

    /// A "Name:   1234 kB" line of /proc/self/status, read with plain system calls.
    private static func field(_ name: String) -> Int? {
        let fd = open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 16 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            guard n > 0 else { break }
            bytes += chunk[0..<n]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return Int(line.dropFirst(name.count + 1).filter(\.isNumber))
        }
        return nil
    }
}
