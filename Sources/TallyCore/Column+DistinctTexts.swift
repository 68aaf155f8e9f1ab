extension Column {
    /// The number of different texts among the valid cells of the text columns in `columns`
    /// and the texts `extra`: a text that several columns or dictionary entries hold counts
    /// once. Only the used dictionary entries are hashed, never a text per row.
    public static func distinctTextCount(_ columns: [Column], extra: [String] = []) -> Int {
        distinctTextCount(columns, extra: extra, check: { () throws(Never) in })
    }

    /// `distinctTextCount(_:extra:)`, calling `check` between columns and every 65,536
    /// texts (hundreds of thousands take a few hundred ms in a debug build), so that a
    /// caller can stop it (Ctrl-C) by throwing from it.
    public static func distinctTextCount<E: Error>(_ columns: [Column], extra: [String] = [],
                                                   check: () throws(E) -> Void) throws(E) -> Int {
        var entries: [String] = []
        for c in columns {
            guard case .text(_, let dict) = c.storage else { continue }
            try check()
            for (k, used) in c.usedCodes().enumerated() where used {
                if k & 0xFFFF == 0xFFFF { try check() }
                entries.append(dict[k])
            }
        }
        entries += extra
        try check()
        if let ascii = try ASCIITextIndex.codes(entries, check: check) { return ascii.count }
        try check()
        return Set(entries).count
    }
}
