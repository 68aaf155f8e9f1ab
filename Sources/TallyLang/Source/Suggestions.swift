/// "Did you mean" by edit distance over the names in scope.
public enum Suggestions {
    /// The closest candidate within a distance that grows with the word's length, if any.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let w = Array(word.lowercased())
        let limit = max(1, min(3, w.count / 3 + 1))
        var best: (String, Int)?
        for c in candidates where c != word {
            let d = distance(w, Array(c.lowercased()))
            guard d <= limit else { continue }
            if let b = best, d > b.1 || (d == b.1 && c >= b.0) { continue }
            best = (c, d)
        }
        return best?.0
    }

    /// Damerau-Levenshtein (optimal string alignment) distance: a swap counts once.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
