/// Makes column names usable: trims spaces, names empty headers after their position
/// (`column3`) and numbers repeats (`amount_2`), with a notice for each change.
enum HeaderNames {
    static func clean(_ raw: [String]) -> (names: [String], notices: [String]) {
        var notices: [String] = []
        let trimmed = raw.map { trim($0) }
        var taken = Set(trimmed.filter { !$0.isEmpty })
        var seen = Set<String>()
        var names: [String] = []
        for (k, name) in trimmed.enumerated() {
            if name.isEmpty {
                var candidate = "column\(k + 1)"
                var suffix = 2
                while taken.contains(candidate) { candidate = "column\(k + 1)_\(suffix)"; suffix += 1 }
                taken.insert(candidate)
                notices.append("column \(k + 1) has no header; named it `\(candidate)`")
                names.append(candidate)
            } else if seen.contains(name) {
                var suffix = 2
                while taken.contains("\(name)_\(suffix)") { suffix += 1 }
                let candidate = "\(name)_\(suffix)"
                taken.insert(candidate)
                notices.append("header `\(name)` repeats in column \(k + 1); renamed it `\(candidate)`")
                names.append(candidate)
            } else {
                names.append(name)
            }
            seen.insert(name)
        }
        return (names, notices)
    }

    /// `column1`, `column2`... for files without a header row.
    static func generated(_ count: Int) -> [String] { (0..<count).map { "column\($0 + 1)" } }

    private static func trim(_ s: String) -> String {
        var scalars = Substring(s)
        while let f = scalars.first, f == " " || f == "\t" { scalars.removeFirst() }
        while let l = scalars.last, l == " " || l == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
