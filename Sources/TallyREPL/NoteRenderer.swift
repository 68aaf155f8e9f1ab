import Foundation
import TallyCore

/// Renders typed notes with the settings in force: the catalogue's words in the
/// interface language, numbers as cells of their format show them.
public struct NoteRenderer {
    public var settings: Settings

    public init(settings: Settings) { self.settings = settings }

    var values: ValueFormatter { ValueFormatter(settings: settings) }
    var lang: String { settings.lang }

    /// One note on one line, indented.
    public func render(_ note: Note) -> String {
        String(repeating: "  ", count: note.indent) + fill(note.key, note.args)
    }

    /// The template of `key` with `{i}` replaced by the rendered arguments.
    func fill(_ key: MessageKey, _ args: [NotePart]) -> String {
        let template = Catalogue.template(key, lang: lang)
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}"), let i = Int(after[..<close]) else {
                out.append("{")
                rest = after
                continue
            }
            out += args.indices.contains(i) ? part(args[i]) : ""
            rest = after[after.index(after: close)...]
        }
        return out + rest
    }

    /// One argument as text.
    func part(_ p: NotePart) -> String {
        switch p {
        case .text(let s): return s
        case .name(let s): return "`" + s + "`"
        case .number(let x, let f): return values.number(x, f)
        case .count(let n): return values.fixed(Double(n), 0)
        case .counted(let n, let noun):
            return values.fixed(Double(n), 0) + " " + Catalogue.noun(noun, count: n, lang: lang)
        case .threshold(let x, let f): return threshold(x, f)
        case .date(let d): return d.iso
        case .phrase(let key, let args): return fill(key, args)
        case .list(let parts): return parts.map(part).joined(separator: lang == "zh" ? "、" : ", ")
        case .joined(let parts, let separator): return parts.map(part).joined(separator: separator)
        }
    }

    /// A number a note compares with whole numbers: whole when it is whole (`80%`), else
    /// `set decimals` places, more while the rounded text would read as a whole number the
    /// value is not (2.9975 -> 2.998).
    func threshold(_ x: Double, _ f: NumberFormat) -> String {
        guard x.isFinite else { return values.number(x, f) }
        let shown = f == .percent ? x * 100 : x
        let suffix = f == .percent ? "%" : ""
        var d = max(settings.decimals, 0)
        if shown == shown.rounded() { return values.fixed(shown, 0) + suffix }
        while d < 12 {
            let scale = pow(10, Double(d))
            let rounded = (shown * scale).rounded(.toNearestOrAwayFromZero) / scale
            if rounded != rounded.rounded() { break }
            d += 1
        }
        return values.fixed(shown, d) + suffix
    }
}
