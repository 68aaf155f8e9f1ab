import Foundation

/// The process's peak resident memory, resettable (Linux `/proc/self`), so `set timer on`
/// can show what one statement needed on top of what was already in use. Elsewhere, or
/// when /proc cannot be read, nothing is shown.
enum PeakMemory {
    /// Starts a new peak at the current resident size; returns that size in KiB.
    static func reset() -> Int? {
        guard let h = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return nil }
        defer { try? h.close() }
        guard (try? h.write(contentsOf: Data("5".utf8))) != nil else { return nil }
        return field("VmRSS")
    }

    /// The peak resident size since the last reset, in KiB.
    static func peak() -> Int? { field("VmHWM") }

    private static func field(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return Int(line.dropFirst(name.count + 1).filter(\.isNumber))
        }
        return nil
    }
}
