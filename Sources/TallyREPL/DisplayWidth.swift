/// Terminal display width: East Asian wide and fullwidth characters take two columns,
/// combining marks none, so CJK text lines up in tables and under carets.
public enum DisplayWidth {
    public static func of(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars { w += of(u) }
        return w
    }

    public static func of(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        return isWide(v) ? 2 : 1
    }

    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Pads with spaces to `width` columns, on the right (left-aligned) or the left.
    public static func pad(_ s: String, to width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - of(s)))
        return right ? fill + s : s + fill
    }

    /// Cuts to at most `width` columns, ending with `…` when cut.
    public static func truncate(_ s: String, to width: Int) -> String {
        guard of(s) > width else { return s }
        var out = ""
        var w = 0
        for ch in s {
            let cw = of(String(ch))
            if w + cw > width - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }
}
