/// Guesses the field separator from the first lines of a file.
enum DelimiterSniffer {
    /// In order of preference when the evidence ties.
    static let candidates: [UInt8] = [0x2C, 0x09, 0x3B, 0x7C]  // , tab ; |

    /// Looks at up to `maxLines` lines of `p[0..<n]`, counting each candidate outside
    /// quotes. Only candidates on the first (header) line count. A candidate that appears
    /// the same number of times on every line wins; among those the most frequent. With
    /// no consistent candidate, the one that matches its most common count on the most
    /// lines. When the first line has none, the file has one column: the result is a
    /// candidate that appears nowhere, so no line is split (comma if all appear).
    static func detect(_ p: UnsafePointer<UInt8>, _ n: Int, atEnd: Bool, maxLines: Int = 20) -> UInt8 {
        var lines: [[Int]] = []
        var counts = [Int](repeating: 0, count: candidates.count)
        var inQuotes = false
        var lineHasBytes = false
        var i = 0
        while i < n && lines.count < maxLines {
            let b = p[i]
            if b == RecordTokenizer.quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if b == RecordTokenizer.lf {
                    if lineHasBytes { lines.append(counts) }
                    counts = [Int](repeating: 0, count: candidates.count)
                    lineHasBytes = false
                    i &+= 1
                    continue
                }
                if let k = candidates.firstIndex(of: b) { counts[k] &+= 1 }
            }
            if b != RecordTokenizer.cr { lineHasBytes = true }
            i &+= 1
        }
        if atEnd && i >= n && lineHasBytes && lines.count < maxLines { lines.append(counts) }
        if lines.isEmpty && lineHasBytes { lines.append(counts) }

        guard let header = lines.first, header.contains(where: { $0 > 0 }) else {
            let absent = candidates.indices.first { k in lines.allSatisfy { $0[k] == 0 } }
            return candidates[absent ?? 0]
        }
        var best: (consistent: Bool, lines: Int, count: Int) = (false, 0, 0)
        var choice = candidates[0]
        for (k, c) in candidates.enumerated() where header[k] > 0 {
            let perLine = lines.map { $0[k] }
            var frequency: [Int: Int] = [:]
            for x in perLine where x > 0 { frequency[x, default: 0] += 1 }
            guard let mode = frequency.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }) else { continue }
            let score = (consistent: mode.value == perLine.count, lines: mode.value, count: mode.key)
            let better = score.consistent != best.consistent ? score.consistent
                : score.lines != best.lines ? score.lines > best.lines
                : score.count > best.count
            if better {
                best = score
                choice = c
            }
        }
        return choice
    }
}
