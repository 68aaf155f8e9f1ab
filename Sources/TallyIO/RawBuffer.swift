#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable array of plain values in malloc'd memory.
///
/// Why not `[T]`: the chunk parser appends to these in its innermost loop, and a Swift
/// array stored in a struct pays a uniqueness check and a bounds check per append. This
/// type pays one capacity compare, and big buffers come from `PageMemory`. It has no deinit: whoever owns it calls `release()`
/// exactly once (`ChunkResult` does so in its deinit).
struct RawBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        let cap = max(capacity, 4)
        self.capacity = cap
        base = RawBuffer.allocate(cap)
    }

    /// `count` copies of `value`.
    init(repeating value: Element, count: Int) {
        self.init(capacity: count)
        base.initialize(repeating: value, count: count)
        self.count = count
    }

    private static func allocate(_ n: Int) -> UnsafeMutablePointer<Element> {
        PageMemory.allocate(n &* MemoryLayout<Element>.stride).bindMemory(to: Element.self, capacity: n)
    }

    @inline(__always)
    mutating func append(_ x: Element) {
        if count == capacity { grow(minimum: count &+ 1) }
        base[count] = x
        count &+= 1
    }

    /// Appends `n` copies of `value`.
    mutating func append(repeating value: Element, count n: Int) {
        guard n > 0 else { return }
        if count &+ n > capacity { grow(minimum: count &+ n) }
        (base + count).initialize(repeating: value, count: n)
        count &+= n
    }

    /// Appends raw bytes (for byte buffers).
    mutating func append(contentsOf p: UnsafePointer<Element>, count n: Int) {
        guard n > 0 else { return }
        if count &+ n > capacity { grow(minimum: count &+ n) }
        (base + count).update(from: p, count: n)
        count &+= n
    }

    /// Makes room for `k` more elements without changing `count`.
    mutating func reserveSlack(_ k: Int) {
        if count &+ k > capacity { grow(minimum: count &+ k) }
    }

    mutating func removeAll() { count = 0 }

    mutating func truncate(to n: Int) { if n < count { count = max(n, 0) } }

    mutating func grow(minimum: Int) {
        var cap = capacity
        while cap < minimum { cap = cap &* 2 }
        let stride = MemoryLayout<Element>.stride
        let p = PageMemory.reallocate(UnsafeMutableRawPointer(base), oldBytes: capacity &* stride,
                                      newBytes: cap &* stride, used: count &* stride)
        base = p.bindMemory(to: Element.self, capacity: cap)
        capacity = cap
    }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    /// Frees the memory; the buffer must not be used afterwards.
    mutating func release() {
        PageMemory.free(UnsafeMutableRawPointer(base), bytes: capacity &* MemoryLayout<Element>.stride)
        count = 0
        capacity = 0
    }
}

/// Running out of memory is the one failure a loader cannot report as a value.
func fatalOutOfMemory(_ bytes: Int) -> Never {
    preconditionFailure("out of memory allocating \(bytes) bytes")
}
