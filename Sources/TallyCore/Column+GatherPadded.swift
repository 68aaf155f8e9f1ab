extension Column {
    /// The rows at `indices`, an index below 0 giving an empty cell: the column
    /// `Column(values:)` makes of those cells (same type, format, dictionary order and
    /// empties), built from the typed arrays instead of one boxed value per row.
    public func gatherPadded(_ indices: [Int]) -> Column {
        let n = indices.count
        var valid = [Bool](repeating: false, count: n)
        var any = false, all = true
        for (k, i) in indices.enumerated() {
            let ok = i >= 0 && isValid(i)
            valid[k] = ok
            any = any || ok
            all = all && ok
        }
        guard any else {
            return Column(storage: .number(NumberCells(bytes: [UInt8](repeating: 0, count: n))), validity: Bitmap(count: n, value: false))
        }
        let validity: Bitmap? = all ? nil : Bitmap(valid)
        switch storage {
        case .number(let xs):
            return Column(storage: .number(xs.gather((0..<n).map { valid[$0] ? indices[$0] : -1 })), validity: validity, format: format)
        case .date(let ds):
            return Column(storage: .date((0..<n).map { valid[$0] ? ds[indices[$0]] : 0 }), validity: validity)
        case .bool(let bs):
            return Column(storage: .bool((0..<n).map { valid[$0] ? bs[indices[$0]] : false }), validity: validity)
        case .text(let codes, let dict):
            // A new dictionary in order of first use, a repeated text given one code.
            var newCode = [Int32](repeating: -1, count: dict.count)
            var index: [String: Int32] = [:]
            var out: [String] = []
            var result = [Int32](repeating: 0, count: n)
            for k in 0..<n where valid[k] {
                let old = Int(codes[indices[k]])
                if newCode[old] < 0 {
                    let s = dict[old]
                    if let c = index[s] { newCode[old] = c } else {
                        let c = Int32(out.count)
                        out.append(s)
                        index[s] = c
                        newCode[old] = c
                    }
                }
                result[k] = newCode[old]
            }
            return Column(storage: .text(codes: result, dictionary: out), validity: validity)
        case .mixed:
            return Column(values: indices.map { $0 < 0 ? .empty : self[$0] })
        }
    }
}
