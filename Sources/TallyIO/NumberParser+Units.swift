/// The slow reading of a number cell, for the cells the ASCII parser refuses:
///
/// - Chinese units as a suffix: `万` 1e4, `亿` 1e8, `千万` 1e7, `百万` 1e6 (`1.2万` = 12,000,
///   `2.5千万` = 25,000,000); the scale is applied as a decimal exponent, so it is exact.
/// - `元` as a suffix and `¥` / `￥` as a prefix: money (`1,234.5万元`).
/// - full-width digits `０`-`９`, point `．`, minus `－` and the full-width comma `，` as a
///   thousands separator (always allowed, it is never a delimiter).
/// - accounting negatives: `(1,234)` is -1,234 (the parentheses take the place of a sign).
/// - `-`, `—` (and `－`) alone: a placeholder for no value, an empty cell (`.blank`).
extension NumberParser {
    /// True when the cell may have a slow reading: a non-ASCII byte, a parenthesis, or a lone `-`.
    static func needsExtended(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i < n {
            let b = p[i]
            if b >= 0x80 || b == 0x28 { return true }
            i &+= 1
        }
        var a = 0, z = n
        while a < z && p[a] == 0x20 { a &+= 1 }
        while z > a && p[z &- 1] == 0x20 { z &-= 1 }
        return z &- a == 1 && p[a] == 0x2D
    }

    static func extended(_ p: UnsafePointer<UInt8>, _ n: Int, allowThousands: Bool) -> Outcome {
        let text = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        var chars: [Character] = []
        var fullWidthComma = false
        for ch in text {
            guard let u = ch.unicodeScalars.first, ch.unicodeScalars.count == 1 else { return .invalid }
            switch u.value {
            case 0xFF10...0xFF19: chars.append(Character(Unicode.Scalar(u.value - 0xFF10 + 0x30)!))
            case 0xFF0C: chars.append(","); fullWidthComma = true
            case 0xFF0E: chars.append(".")
            case 0xFF0D: chars.append("-")
            case 0xFF08: chars.append("(")
            case 0xFF09: chars.append(")")
            case 0x3000: chars.append(" ")
            default: chars.append(ch)
            }
        }
        while chars.first == " " { chars.removeFirst() }
        while chars.last == " " { chars.removeLast() }
        if chars == ["-"] || chars == ["—"] { return .blank }
        var negative = false
        if chars.first == "(" {
            guard chars.count > 2, chars.last == ")" else { return .invalid }
            negative = true
            chars = Array(chars.dropFirst().dropLast())
            while chars.first == " " { chars.removeFirst() }
            while chars.last == " " { chars.removeLast() }
        }
        var money = false
        if chars.last == "元" { money = true; chars.removeLast() }
        var exponent = 0
        if chars.count >= 2 && chars[chars.count - 2] == "千" && chars.last == "万" {
            exponent = 7; chars.removeLast(2)
        } else if chars.count >= 2 && chars[chars.count - 2] == "百" && chars.last == "万" {
            exponent = 6; chars.removeLast(2)
        } else if chars.last == "万" {
            exponent = 4; chars.removeLast()
        } else if chars.last == "亿" {
            exponent = 8; chars.removeLast()
        }
        var core = String(chars)
        // The remaining text is ASCII (a `¥` / `￥` prefix is the general parser's).
        guard core.unicodeScalars.allSatisfy({ $0.isASCII || $0 == "¥" || $0 == "￥" }) else { return .invalid }
        if negative, core.first == "-" || core.first == "+" || core.last == "%" { return .invalid }
        if exponent > 0 {
            if core.contains(where: { $0 == "e" || $0 == "E" || $0 == "%" }) { return .invalid }
            core += "e\(exponent)"
        }
        if !negative && !money && exponent == 0 && !fullWidthComma && core == text { return .invalid }
        var bytes = Array(core.utf8)
        let outcome = bytes.withUnsafeMutableBufferPointer { b -> Outcome in
            guard let base = b.baseAddress, b.count > 0 else { return .invalid }
            return general(UnsafePointer(base), b.count, allowThousands: allowThousands || fullWidthComma)
        }
        switch outcome {
        case .number(let v, let sign):
            if money && sign == .percent { return .invalid }
            return .number(negative ? -v : v, money ? .money : sign)
        default:
            return outcome
        }
    }
}
