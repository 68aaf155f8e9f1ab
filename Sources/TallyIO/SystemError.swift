#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The words for an errno, as messages to users show them ("no such file or directory").
enum SystemError {
    static func describe(_ e: Int32) -> String {
        guard let s = strerror(e) else { return "error \(e)" }
        return String(cString: s).lowercased()
    }
}
