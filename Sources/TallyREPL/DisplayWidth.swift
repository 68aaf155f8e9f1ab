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

    /// Labels cut to `width` columns that stay as distinct as they were: labels that would
    /// cut to the same text (`important value`, `important win-back` -> `impor…`) keep
    /// their ends instead, around a `…` in the middle (`imp…value`, `imp…-back`).
    public static func distinct(_ labels: [String], to width: Int) -> [String] {
        var out = labels.map { truncate($0, to: width) }
        let groups = Dictionary(grouping: out.indices, by: { out[$0] })
        for (_, members) in groups where members.count > 1 {
            let originals = Set(members.map { labels[$0] })
            guard originals.count > 1, width >= 3 else { continue }
            for tail in 1...(width - 2) {
                let tried = members.map { middle(labels[$0], to: width, tail: tail) }
                if Set(tried).count == originals.count {
                    for (k, i) in members.enumerated() { out[i] = tried[k] }
                    break
                }
            }
        }
        return out
    }

    /// `s` in `width` columns: its start, `…`, and its last `tail` columns.
    static func middle(_ s: String, to width: Int, tail: Int) -> String {
        guard of(s) > width else { return s }
        var end = "", w = 0
        for ch in s.reversed() {
            let cw = of(String(ch))
            if w + cw > tail { break }
            end.insert(ch, at: end.startIndex)
            w += cw
        }
        var start = "", used = 0
        for ch in s {
            let cw = of(String(ch))
            if used + cw > width - 1 - w { break }
            start.append(ch)
            used += cw
        }
        return start + "…" + end
    }
}
