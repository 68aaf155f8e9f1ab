#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Allocation for the loader's big buffers (column values, input chunks).
///
/// Blocks of 1 MiB and more are mapped straight from the kernel, so freeing them returns
/// the memory at once. (malloc keeps freed heap blocks: on a 10M-row load that left every
/// chunk's columns resident next to the finished table, 790 MiB peak instead of 580.)
/// Huge pages were tried and dropped: fewer faults, but 170 MiB more resident.
enum PageMemory {
    static let mapThreshold = 1 << 20

    static func allocate(_ bytes: Int) -> UnsafeMutableRawPointer {
        if bytes >= mapThreshold {
            let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let p, p != UnsafeMutableRawPointer(bitPattern: -1) { return p }
        }
        guard let p = malloc(max(bytes, 1)) else { fatalOutOfMemory(bytes) }
        return p
    }

    static func free(_ p: UnsafeMutableRawPointer, bytes: Int) {
        if bytes >= mapThreshold { munmap(p, bytes) } else { Glibc.free(p) }
    }

    /// Moves `used` bytes of a block of `oldBytes` into a new block of `newBytes`.
    static func reallocate(_ p: UnsafeMutableRawPointer, oldBytes: Int, newBytes: Int, used: Int) -> UnsafeMutableRawPointer {
        if oldBytes < mapThreshold && newBytes < mapThreshold {
            guard let q = realloc(p, max(newBytes, 1)) else { fatalOutOfMemory(newBytes) }
            return q
        }
        let q = allocate(newBytes)
        if used > 0 { q.copyMemory(from: p, byteCount: min(used, newBytes)) }
        free(p, bytes: oldBytes)
        return q
    }
}
