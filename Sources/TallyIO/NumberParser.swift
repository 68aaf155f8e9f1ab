#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses one cell as a number, straight from its bytes.
///
/// Accepts an optional sign and currency sign (`$`, `¥`, `￥`) in either order, digits
/// with an optional fraction and exponent, thousands separators (`1,234.50`) when the
/// caller allows them, and a `%` suffix (the value becomes a fraction). Spaces around
/// the text are ignored. A whole part with a leading zero (`00042`) is an identifier,
/// not a number. Cells that fail and hold a non-ASCII byte or a parenthesis get a second,
/// slower reading (`1.2万`, `(1,234)`, full-width digits): see NumberParser+Units.
enum NumberParser {
    enum Outcome: Equatable {
        case number(Double, NumberSign)
        case leadingZeros
        case invalid
        /// `-` or `—` alone: a placeholder for no value, loaded as an empty cell.
        case blank
    }

    /// What decorated the number, for the column's display format.
    enum NumberSign: UInt8 { case plain, money, percent }

    /// Exact powers of ten: `mantissa / 10^k` is then one correctly rounded division.
    private static let powersOfTen: [Double] = (0...22).map { k in
        var x = 1.0
        for _ in 0..<k { x *= 10 }
        return x
    }

    @inline(__always)
    private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    static func parse(_ p: UnsafePointer<UInt8>, _ count: Int, allowThousands: Bool) -> Outcome {
        if let v = plain(p, count) { return .number(v, .plain) }
        let outcome = general(p, count, allowThousands: allowThousands)
        // Chinese units, full-width digits, `(1,234)` and lone dashes: only for the cells that
        // fail and have a non-ASCII byte, a parenthesis or are a dash (see NumberParser+Units).
        if outcome == .invalid && needsExtended(p, count) { return extended(p, count, allowThousands: allowThousands) }
        return outcome
    }

    /// The common case in one tight loop: `123` or `123.45`, at most 15 digits, no sign,
    /// no leading zero. Nil sends the cell to the general parser.
    @inline(__always)
    private static func plain(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        guard n > 0, n <= 16, p[0] &- 0x31 < 9 || (n == 1 && p[0] == 0x30) || (n > 1 && p[0] == 0x30 && p[1] == 0x2E) else {
            return nil
        }
        var m: UInt64 = 0
        var i = 0
        while i < n, p[i] &- 0x30 < 10 {
            m = m &* 10 &+ UInt64(p[i] &- 0x30)
            i &+= 1
        }
        if i == n { return n <= 15 ? Double(m) : nil }
        guard p[i] == 0x2E, i &+ 1 < n else { return nil }
        let point = i
        i &+= 1
        while i < n, p[i] &- 0x30 < 10 {
            m = m &* 10 &+ UInt64(p[i] &- 0x30)
            i &+= 1
        }
        guard i == n, n &- 1 <= 15 else { return nil }
        return Double(m) / powersOfTen[n &- 1 &- point]
    }

    static func general(_ p: UnsafePointer<UInt8>, _ count: Int, allowThousands: Bool) -> Outcome {
        var i = 0
        var n = count
        while i < n && p[i] == 0x20 { i &+= 1 }
        while n > i && p[n &- 1] == 0x20 { n &-= 1 }
        if i >= n { return .invalid }

        var negative = false
        var signSeen = false
        var money = false
        // Prefix: sign and/or currency sign, at most one of each.
        while i < n {
            let b = p[i]
            if (b == 0x2D || b == 0x2B) && !signSeen {
                negative = b == 0x2D; signSeen = true; i &+= 1
            } else if b == 0x24 && !money {
                money = true; i &+= 1
            } else if b == 0xC2 && !money && i &+ 1 < n && p[i &+ 1] == 0xA5 {
                money = true; i &+= 2
            } else if b == 0xEF && !money && i &+ 2 < n && p[i &+ 1] == 0xBF && p[i &+ 2] == 0xA5 {
                money = true; i &+= 3
            } else {
                break
            }
        }
        var percent = false
        if n > i && p[n &- 1] == 0x25 { percent = true; n &-= 1 }
        if money && percent { return .invalid }
        if i >= n || !(isDigit(p[i]) || p[i] == 0x2E) { return .invalid }

        // Whole part.
        let wholeStart = i
        var mantissa: UInt64 = 0
        var digits = 0          // significant digits accumulated into mantissa
        var overflow = false
        var group = -1          // digits since the last thousands separator; -1 = none seen
        var wholeDigits = 0
        while i < n {
            let b = p[i]
            if isDigit(b) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(b &- 0x30)
                    if mantissa != 0 { digits &+= 1 }
                } else {
                    overflow = true
                }
                wholeDigits &+= 1
                if group >= 0 { group &+= 1; if group > 3 { return .invalid } }
                i &+= 1
            } else if b == 0x2C && allowThousands {
                // 1-3 digits before the first separator, exactly 3 between separators.
                if wholeDigits == 0 || (group < 0 ? wholeDigits > 3 : group != 3) { return .invalid }
                group = 0
                i &+= 1
            } else {
                break
            }
        }
        if group >= 0 && group != 3 { return .invalid }
        let leadingZero = wholeDigits > 1 && p[wholeStart] == 0x30

        // Fraction.
        var fractionDigits = 0
        var sawPoint = false
        if i < n && p[i] == 0x2E {
            sawPoint = true
            i &+= 1
            while i < n && isDigit(p[i]) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(p[i] &- 0x30)
                    if mantissa != 0 { digits &+= 1 }
                    fractionDigits &+= 1
                } else {
                    overflow = true
                }
                i &+= 1
            }
        }
        let afterPoint = sawPoint ? fractionDigits : 0
        if wholeDigits == 0 && fractionDigits == 0 { return .invalid }

        // Exponent.
        var hasExponent = false
        if i < n && (p[i] == 0x65 || p[i] == 0x45) {
            hasExponent = true
            i &+= 1
            if i < n && (p[i] == 0x2B || p[i] == 0x2D) { i &+= 1 }
            let expStart = i
            while i < n && isDigit(p[i]) { i &+= 1 }
            if i == expStart { return .invalid }
        }
        if i != n { return .invalid }
        if leadingZero { return .leadingZeros }

        let sign: NumberSign = money ? .money : percent ? .percent : .plain
        let scale = afterPoint &+ (percent ? 2 : 0)
        if !overflow && !hasExponent && mantissa <= 1 << 53 && scale <= 22 {
            var v = Double(mantissa)
            if scale > 0 { v /= powersOfTen[scale] }
            return .number(negative ? -v : v, sign)
        }
        guard let v = slowParse(p, from: wholeStart, to: n, percent: percent) else { return .invalid }
        return .number(negative ? -v : v, sign)
    }

    /// strtod on the digits without separators, for long mantissas and exponents.
    private static func slowParse(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int, percent: Bool) -> Double? {
        var text: [CChar] = []
        text.reserveCapacity(end &- start &+ 8)
        var hasExponent = false
        for k in start..<end where p[k] != 0x2C {
            if p[k] == 0x65 || p[k] == 0x45 { hasExponent = true }
            text.append(CChar(bitPattern: p[k]))
        }
        if percent && !hasExponent { text.append(contentsOf: [0x65, 0x2D, 0x32].map { CChar($0) }) }
        text.append(0)
        var v = text.withUnsafeBufferPointer { b in b.baseAddress.map { strtod($0, nil) } ?? .nan }
        if percent && hasExponent { v /= 100 }
        return v.isFinite ? v : nil
    }
}
