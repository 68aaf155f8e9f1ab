import TallyCore

extension Registry {
    /// sparkline: a tiny chart of a list or column as one line of block characters.
    static let sparklineFunctions: [Builtin] = [
        Builtin("sparkline", category: .aggregate,
                parameters: [.required("values", .numbers), .optional("min", nil, .number), .optional("max", nil, .number)],
                summary: "A one-line chart of a list or column: one of ▁▂▃▄▅▆▇█ per value.",
                details: "The lowest value draws ▁ and the highest █, linearly between; an empty cell is a space. "
                    + "All values equal draw ▄. `min:` and `max:` fix the scale (values beyond it are clipped), "
                    + "so sparklines of several rows compare: inside group(...) it draws one per group, "
                    + "e.g. group(orders, region, trend: sparkline(amount, min: 0)).",
                example: "sparkline([1, 3, 2, 8, 5, 4])") { a in
            let v = try a.value("values")
            guard let xs = v.elements else {
                throw ErrorValue(.value, "sparkline takes a list or column of numbers, got \(a.article(v.typeName))")
            }
            let lo = try a["min"].map { _ in try a.number("min") }
            let hi = try a["max"].map { _ in try a.number("max") }
            var numbers: [Double?] = []
            numbers.reserveCapacity(xs.count)
            for x in xs {
                switch x {
                case .number(let n, _): numbers.append(n.isFinite ? n : nil)
                case .empty: numbers.append(nil)
                case .error: return x
                default: throw ErrorValue(.value, "sparkline draws numbers, got \(a.article(x.typeName))")
                }
            }
            return .text(Sparkline.draw(numbers, min: lo, max: hi))
        },
    ]
}

/// The drawing behind `sparkline`: shared with the REPL's charts.
public enum Sparkline {
    /// The eight levels, lowest first.
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One character per value: nil is a space; `min`/`max` default to the values' range.
    public static func draw(_ values: [Double?], min lo: Double? = nil, max hi: Double? = nil) -> String {
        let present = values.compactMap { $0 }.filter(\.isFinite)
        let low = lo ?? present.min() ?? 0
        let high = hi ?? present.max() ?? 0
        var out = ""
        out.reserveCapacity(values.count)
        for v in values {
            guard let x = v, x.isFinite else { out.append(" "); continue }
            guard high > low else { out.append(levels[3]); continue }
            // A fraction of the range that cannot overflow (1e308 and -1e308).
            let t = x.clampedFraction(from: low, to: high)
            out.append(levels[Swift.min(7, Swift.max(0, Int(saturating: (t * 7).rounded())))])
        }
        return out
    }
}
