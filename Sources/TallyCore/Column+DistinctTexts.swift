extension Column {
    /// The number of different texts among the valid cells of the text columns in `columns`
    /// and the texts `extra`: a text that several columns or dictionary entries hold counts
    /// once. Only the used dictionary entries are hashed, never a text per row.
    public static func distinctTextCount(_ columns: [Column], extra: [String] = []) -> Int {
        var entries: [String] = []
        for c in columns {
            guard case .text(_, let dict) = c.storage else { continue }
            for (k, used) in c.usedCodes().enumerated() where used { entries.append(dict[k]) }
        }
        entries += extra
        return ASCIITextIndex.codes(entries)?.count ?? Set(entries).count
    }
}
