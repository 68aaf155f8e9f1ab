import TallyCore

/// Makes column names usable: trims spaces, names empty headers after their position
/// (`column3`) and numbers repeats (`amount_2`), with a notice for each change.
enum HeaderNames {
    static func clean(_ raw: [String]) -> (names: [String], notices: [Note]) {
        var notices: [Note] = []
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
                notices.append(Note(.loadNoHeader, [.text(String(k + 1)), .name(candidate)]))
                names.append(candidate)
            } else if seen.contains(name) {
                var suffix = 2
                while taken.contains("\(name)_\(suffix)") { suffix += 1 }
                let candidate = "\(name)_\(suffix)"
                taken.insert(candidate)
                notices.append(Note(.loadHeaderRepeats, [.name(name), .text(String(k + 1)), .name(candidate)]))
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
