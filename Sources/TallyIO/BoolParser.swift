/// Parses one cell as a boolean: `true`/`false`, `yes`/`no` (any letter case) and `是`/`否`.
enum BoolParser {
    static func parse(_ p0: UnsafePointer<UInt8>, _ n0: Int) -> Bool? {
        var p = p0
        var n = n0
        while n > 0 && p[0] == 0x20 { p += 1; n &-= 1 }
        while n > 0 && p[n &- 1] == 0x20 { n &-= 1 }
        switch n {
        case 2:
            return lower(p, "no") ? false : nil
        case 3:
            if p[0] == 0xE6 && p[1] == 0x98 && p[2] == 0xAF { return true }   // 是
            if p[0] == 0xE5 && p[1] == 0x90 && p[2] == 0xA6 { return false }  // 否
            return lower(p, "yes") ? true : nil
        case 4:
            return lower(p, "true") ? true : nil
        case 5:
            return lower(p, "false") ? false : nil
        default:
            return nil
        }
    }

    /// ASCII case-insensitive comparison with a lower-case word of the same length.
    private static func lower(_ p: UnsafePointer<UInt8>, _ word: StaticString) -> Bool {
        let w = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount where p[k] | 0x20 != w[k] { return false }
        return true
    }
}
