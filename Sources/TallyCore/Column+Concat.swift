extension Column {
    /// The longest text `&` makes, in UTF-8 bytes (the scalar operator's limit).
    public static let maxConcatenatedBytes = 16 << 20

    /// The element-wise text concatenation `a & b` of two columns of equal length, built on
    /// codes: each distinct pair of cells is joined once, not each row. A cell reads as the
    /// scalar `&` shows it (numbers in shortest form, dates ISO, booleans true/false, an
    /// empty cell as ""), so the result is a text column without empties.
    ///
    /// Returns nil when a column is mixed, the lengths differ, or a text would be longer
    /// than `maxConcatenatedBytes`: the caller then concatenates cell by cell. Nil too when
    /// `cancelled` (polled every 65,536 rows) turns true: the caller's own check then stops.
    public static func concatenated(_ a: Column, _ b: Column, cancelled: () -> Bool = { false }) -> Column? {
        guard a.count == b.count, let x = a.textPieces(), let y = b.textPieces() else { return nil }
        let n = a.count
        let width = Int64(max(y.texts.count, 1))
        let span = Int64(x.texts.count) * width
        var texts: [String] = []
        var codes = [Int32](repeating: 0, count: n)
        // A pair's text is made the first time the pair is seen.
        func text(_ p: Int32, _ q: Int32) -> String? {
            let s = x.texts[Int(p)], t = y.texts[Int(q)]
            guard s.utf8.count + t.utf8.count <= maxConcatenatedBytes else { return nil }
            return s + t
        }
        if span <= Int64(max(2 * n, 1 << 16)) {
            var pairCode = [Int32](repeating: -1, count: Int(span))
            for i in 0..<n {
                if i & 0xFFFF == 0xFFFF, cancelled() { return nil }
                let p = Int(Int64(x.codes[i]) * width + Int64(y.codes[i]))
                if pairCode[p] < 0 {
                    guard let s = text(x.codes[i], y.codes[i]) else { return nil }
                    pairCode[p] = Int32(texts.count)
                    texts.append(s)
                }
                codes[i] = pairCode[p]
            }
        } else {
            var pairCode = KeyIndex(capacity: n)
            for i in 0..<n {
                if i & 0xFFFF == 0xFFFF, cancelled() { return nil }
                let p = UInt64(bitPattern: Int64(x.codes[i]) * width + Int64(y.codes[i]))
                let c = pairCode.insert(p)
                if Int(c) == texts.count {
                    guard let s = text(x.codes[i], y.codes[i]) else { return nil }
                    texts.append(s)
                }
                codes[i] = c
            }
        }
        if pairsReadDistinct(x.texts, y.texts) { return Column(storage: .text(codes: codes, dictionary: texts)) }
        return deduplicated(codes, texts)
    }

    /// True when different pairs of these texts always join into different texts, so the
    /// pair texts need no deduplication: both sides without repeats, and one side ASCII
    /// texts of one length (its part of a pair text is then known).
    private static func pairsReadDistinct(_ x: [String], _ y: [String]) -> Bool {
        func oneWidthASCII(_ t: [String]) -> Bool { oneWidth(t) && t.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } }
        func withoutRepeats(_ t: [String]) -> Bool { (ASCIITextIndex.codes(t)?.count ?? Set(t).count) == t.count }
        return (oneWidthASCII(x) || oneWidthASCII(y)) && withoutRepeats(x) && withoutRepeats(y)
    }

    /// `a & scalar` (or `scalar & a` when `scalarFirst`): only the distinct cells are
    /// joined to the scalar. Nil as for two columns.
    public static func concatenated(_ a: Column, scalar: String, scalarFirst: Bool) -> Column? {
        guard let x = a.textPieces() else { return nil }
        let extra = scalar.utf8.count
        var texts: [String] = []
        texts.reserveCapacity(x.texts.count)
        for s in x.texts {
            guard s.utf8.count + extra <= maxConcatenatedBytes else { return nil }
            texts.append(scalarFirst ? scalar + s : s + scalar)
        }
        return deduplicated(x.codes, texts)
    }

    /// A text column over `texts`, one code per different text (two pairs can read alike:
    /// "a" & "bc" and "ab" & "c").
    private static func deduplicated(_ codes: [Int32], _ texts: [String]) -> Column {
        let (remap, count) = ASCIITextIndex.codes(texts) ?? dictionaryCodes(texts)
        guard count < texts.count else { return Column(storage: .text(codes: codes, dictionary: texts)) }
        var unique = [String](repeating: "", count: count)
        for (k, c) in remap.enumerated().reversed() { unique[Int(c)] = texts[k] }
        return Column(storage: .text(codes: codes.map { remap[Int($0)] }, dictionary: unique))
    }

    /// Each text's code, equal texts sharing one, numbered in order of first appearance.
    private static func dictionaryCodes(_ texts: [String]) -> (codes: [Int32], count: Int) {
        var index: [String: Int32] = [:]
        index.reserveCapacity(texts.count)
        var out = [Int32](repeating: 0, count: texts.count)
        for (k, s) in texts.enumerated() {
            if let c = index[s] { out[k] = c } else {
                let c = Int32(index.count)
                index[s] = c
                out[k] = c
            }
        }
        return (out, index.count)
    }

    /// Each cell as a code into the texts `&` shows for the column's distinct values; an
    /// empty cell reads "". Nil for mixed cells.
    func textPieces() -> (codes: [Int32], texts: [String])? {
        let n = count
        switch storage {
        case .text(let codes, let dict):
            // Empties take one extra entry "" at the end.
            guard let v = validity else { return (codes, dict) }
            let blank = Int32(dict.count)
            var out = codes
            for i in 0..<n where !v[i] { out[i] = blank }
            return (out, dict + [""])
        case .number(let cells):
            let xs = cells.doubles
            return Column.distinctPieces(n, validity, key: { xs[$0].bitPattern }, text: { Column.plainNumber(xs[$0]) })
        case .date(let ds):
            return Column.distinctPieces(n, validity, key: { UInt64(UInt32(bitPattern: ds[$0])) },
                                         text: { TallyDate(days: ds[$0]).iso })
        case .bool(let bs):
            return Column.distinctPieces(n, validity, key: { bs[$0] ? 1 : 0 }, text: { bs[$0] ? "true" : "false" })
        case .mixed:
            return nil
        }
    }

    /// Codes of the distinct `key`s among the valid rows, each text made once; empty rows
    /// share one code reading "".
    private static func distinctPieces(_ n: Int, _ validity: Bitmap?, key: (Int) -> UInt64,
                                       text: (Int) -> String) -> (codes: [Int32], texts: [String]) {
        // Keys are numbered by the index; the empty text takes the code after them.
        var index = KeyIndex(capacity: n)
        var texts: [String] = []
        var codes = [Int32](repeating: -1, count: n)
        var anyEmpty = false
        for i in 0..<n {
            guard validity.map({ $0[i] }) ?? true else { anyEmpty = true; continue }
            let c = index.insert(key(i))
            if Int(c) == texts.count { texts.append(text(i)) }
            codes[i] = c
        }
        if anyEmpty {
            let blank = Int32(texts.count)
            texts.append("")
            for i in 0..<n where codes[i] < 0 { codes[i] = blank }
        }
        return (codes, texts)
    }

    /// A number as `&` shows it: whole numbers below 1e15 as digits, others in Swift's
    /// shortest form, a non-finite number as #NUM! (the rule of `Operators.plainNumber`).
    static func plainNumber(_ x: Double) -> String {
        guard x.isFinite else { return ErrorValue.Kind.number.rawValue }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
