#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// UTF-8 validation and GB18030 -> UTF-8 conversion (through the C library's `iconv`,
/// because Foundation on Linux may lack GB18030).
enum Transcoder {
    /// The offset of the first byte that does not start a valid UTF-8 sequence, or nil.
    /// With `allowTruncatedEnd`, a sequence cut off by the end of the buffer is accepted
    /// (the buffer is a prefix of the file).
    static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ n: Int, allowTruncatedEnd: Bool = false) -> Int? {
        var i = 0
        while i < n {
            // Skip ASCII eight bytes at a time.
            if i &+ 8 <= n,
               UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i &+= 8
                continue
            }
            let b0 = p[i]
            if b0 < 0x80 { i &+= 1; continue }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return i
            }
            if i &+ need >= n {
                // The sequence is cut off by the end of the buffer.
                if allowTruncatedEnd && validPrefix(p, from: i, to: n, lo: lo, hi: hi) { return nil }
                return i
            }
            let b1 = p[i &+ 1]
            if b1 < lo || b1 > hi { return i }
            var k = 2
            while k <= need {
                let b = p[i &+ k]
                if b < 0x80 || b > 0xBF { return i }
                k &+= 1
            }
            i &+= need &+ 1
        }
        return nil
    }

    private static func validPrefix(_ p: UnsafePointer<UInt8>, from i: Int, to n: Int, lo: UInt8, hi: UInt8) -> Bool {
        var k = i &+ 1
        while k < n {
            let b = p[k]
            if k == i &+ 1 { if b < lo || b > hi { return false } } else if b < 0x80 || b > 0xBF { return false }
            k &+= 1
        }
        return true
    }

    /// Whether any byte is outside ASCII.
    static func hasNonASCII(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i &+ 8 <= n {
            if UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return true }
            i &+= 8
        }
        while i < n { if p[i] >= 0x80 { return true }; i &+= 1 }
        return false
    }

    /// For a file that is not all UTF-8: the first line where it changes between UTF-8
    /// and something else (GB18030), when both are clearly there. UTF-8 before the first
    /// line that is not UTF-8 counts when it has a few multi-byte characters; UTF-8 after
    /// it only on a line with three or more characters of three bytes (Chinese), which
    /// GB18030 text forms by chance about once in a million lines.
    static func mixedEncodingLine(_ raw: [UInt8]) -> (line: Int, gb18030AfterUTF8: Bool)? {
        raw.withUnsafeBufferPointer { b -> (line: Int, gb18030AfterUTF8: Bool)? in
            guard let base = b.baseAddress else { return nil }
            var utf8Before = 0
            var sawOther = false
            var line = 1
            var start = 0
            while start < b.count {
                var end = start
                while end < b.count && base[end] != 0x0A { end &+= 1 }
                let p = base + start, n = end &- start
                if hasNonASCII(p, n) {
                    if firstInvalidUTF8(p, n) != nil {
                        if !sawOther && utf8Before >= 6 { return (line, true) }
                        sawOther = true
                    } else {
                        var long = 0, short = 0
                        for k in 0..<n where p[k] >= 0xC0 { if p[k] >= 0xE0 { long &+= 1 } else { short &+= 1 } }
                        if !sawOther { utf8Before &+= 2 &* long &+ short } else if long >= 3 { return (line, false) }
                    }
                }
                line &+= 1
                start = end &+ 1
            }
            return nil
        }
    }

    enum DecodeFailure: Error {
        /// Byte offset in the input of a sequence that is not GB18030.
        case invalid(offset: Int)
        case unavailable
    }

    /// Converts GB18030 (a superset of GBK and GB2312) to UTF-8.
    static func utf8(fromGB18030 input: [UInt8]) throws(DecodeFailure) -> [UInt8] {
        let cd = iconv_open("UTF-8", "GB18030")
        if cd == iconv_t(bitPattern: -1) { throw .unavailable }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: input.count &+ input.count / 2 &+ 64)
        var produced = 0
        var consumed = 0
        var failure: DecodeFailure?
        input.withUnsafeBufferPointer { inBuf in
            guard let inBase = inBuf.baseAddress else { return }
            while consumed < inBuf.count {
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: inBase + consumed)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count &- consumed
                let room = out.count &- produced
                var outLeft = room
                let rc = out.withUnsafeMutableBufferPointer { o -> Int in
                    guard let ob = o.baseAddress else { return -1 }
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ob + produced)
                        .assumingMemoryBound(to: CChar.self)
                    return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                }
                let err = errno
                consumed = inBuf.count &- inLeft
                produced &+= room &- outLeft
                if rc != -1 { break }
                if err == E2BIG {
                    out.append(contentsOf: repeatElement(0, count: max(out.count / 2, 64)))
                } else {
                    failure = .invalid(offset: consumed)
                    return
                }
            }
        }
        if let failure { throw failure }
        out.removeSubrange(produced...)
        return out
    }
}
