import TallyCore

/// Parses one cell as a date, straight from its bytes: `2026-07-01` (fast path),
/// `2026/7/1`, `2026-7-1`, `2026.7.1`, `2026年7月1日`, and the layout of the `dateFormat`
/// option when one is given. Spaces around the text are ignored.
enum DateParser {
    @inline(__always)
    private static func digit(_ b: UInt8) -> Int? { b &- 0x30 < 10 ? Int(b &- 0x30) : nil }

    static func parse(_ p0: UnsafePointer<UInt8>, _ n0: Int, pattern: DatePattern?) -> Int32? {
        var p = p0
        var n = n0
        while n > 0 && p[0] == 0x20 { p += 1; n &-= 1 }
        while n > 0 && p[n &- 1] == 0x20 { n &-= 1 }
        if n == 10 && p[4] == 0x2D && p[7] == 0x2D,
           let y0 = digit(p[0]), let y1 = digit(p[1]), let y2 = digit(p[2]), let y3 = digit(p[3]),
           let m0 = digit(p[5]), let m1 = digit(p[6]), let d0 = digit(p[8]), let d1 = digit(p[9]) {
            return TallyDate(year: y0 * 1000 + y1 * 100 + y2 * 10 + y3, month: m0 * 10 + m1, day: d0 * 10 + d1)?.days
        }
        if let d = yearFirst(p, n) { return d }
        if let pattern { return pattern.match(p, n) }
        return nil
    }

    /// `YYYY sep M sep D` with sep one of `-` `/` `.`, or `YYYY年M月D日`.
    private static func yearFirst(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        guard n >= 8 else { return nil }
        var year = 0
        for k in 0..<4 {
            guard let d = digit(p[k]) else { return nil }
            year = year * 10 + d
        }
        var i = 4
        let cjk = n >= 13 && p[4] == 0xE5 && p[5] == 0xB9 && p[6] == 0xB4  // 年
        let sep = p[4]
        if cjk { i = 7 } else {
            guard sep == 0x2D || sep == 0x2F || sep == 0x2E else { return nil }
            i = 5
        }
        func number() -> Int? {
            var v = 0, count = 0
            while i < n, count < 2, let d = digit(p[i]) { v = v * 10 + d; count += 1; i += 1 }
            return count == 0 ? nil : v
        }
        guard let month = number() else { return nil }
        if cjk {
            guard i + 3 <= n, p[i] == 0xE6, p[i + 1] == 0x9C, p[i + 2] == 0x88 else { return nil }  // 月
            i += 3
        } else {
            guard i < n, p[i] == sep else { return nil }
            i += 1
        }
        guard let day = number() else { return nil }
        if cjk {
            guard i + 3 <= n, p[i] == 0xE6, p[i + 1] == 0x97, p[i + 2] == 0xA5 else { return nil }  // 日
            i += 3
        }
        guard i == n else { return nil }
        return TallyDate(year: year, month: month, day: day)?.days
    }
}
