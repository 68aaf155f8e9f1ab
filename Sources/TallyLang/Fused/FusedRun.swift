import TallyCore

/// Drives a fused expression over all its rows, chunk by chunk, into what its consumer
/// wants: the whole column, a sum, or a count of the rows where it is true. Only the
/// result is allocated; no inner step is ever a column.
struct FusedRun {
    let root: FusedNode
    let rows: Int
    /// Polled every 64 chunks; throws to stop (Ctrl-C).
    let check: () throws(TallyError) -> Void

    private func chunks(_ body: (_ start: Int, _ n: Int) throws(FusedBail) -> Void) throws(FusedError) {
        var start = 0, k = 0
        while start < rows {
            if k & 63 == 63 {
                do { try check() } catch { throw .interrupted(error) }
            }
            let n = min(FusedNode.chunk, rows - start)
            do {
                try root.fill(start, n)
                try body(start, n)
            } catch { throw .bail }
            start += n
            k += 1
        }
    }

    /// The expression's column.
    func column() throws(FusedError) -> Column {
        var invalid: [Int] = []
        let storage: ColumnStorage
        switch root.kind {
        case .number:
            var out = [Double](repeating: 0, count: rows)
            try out.withUnsafeMutableBufferPointer { (p: inout UnsafeMutableBufferPointer<Double>) throws(FusedError) in
                guard let base = p.baseAddress else { return }
                try chunks { start, n in
                    (base + start).update(from: root.numbers, count: n)
                    if !root.dense { for i in 0..<n where !root.valid[i] { invalid.append(start + i) } }
                }
            }
            storage = .number(out)
        case .bool:
            var out = [Bool](repeating: false, count: rows)
            try out.withUnsafeMutableBufferPointer { (p: inout UnsafeMutableBufferPointer<Bool>) throws(FusedError) in
                guard let base = p.baseAddress else { return }
                try chunks { start, n in
                    (base + start).update(from: root.flags, count: n)
                    if !root.dense { for i in 0..<n where !root.valid[i] { invalid.append(start + i) } }
                }
            }
            storage = .bool(out)
        case .date:
            throw .bail
        }
        var validity: Bitmap?
        if !invalid.isEmpty {
            var v = Bitmap(count: rows, value: true)
            for i in invalid { v[i] = false }
            validity = v
        }
        return Column(storage: storage, validity: validity, format: root.kind == .number ? root.format() : .plain)
    }

    /// The compensated sum of the rows holding a number, in row order (as `sum` over the
    /// column would add them), and how many there are.
    func sum() throws(FusedError) -> (sum: CompensatedSum, count: Int) {
        var s = CompensatedSum(), count = 0
        let xs = root.numbers, valid = root.valid
        try chunks { _, n in
            if root.dense {
                for i in 0..<n { s.add(xs[i]) }
                count += n
            } else {
                for i in 0..<n where valid[i] { s.add(xs[i]); count += 1 }
            }
        }
        return (s, count)
    }

    /// The number of rows holding a value; for a condition, of those where it is true.
    func count(trueOnly: Bool) throws(FusedError) -> Int {
        var count = 0
        // Booleans read as bytes (0 or 1) and added: no branch per row.
        let flags = UnsafeRawPointer(root.flags).assumingMemoryBound(to: UInt8.self)
        let valid = UnsafeRawPointer(root.valid).assumingMemoryBound(to: UInt8.self)
        try chunks { _, n in
            var k = 0
            switch (trueOnly, root.dense) {
            case (false, true): k = n
            case (false, false): for i in 0..<n { k &+= Int(valid[i]) }
            case (true, true): for i in 0..<n { k &+= Int(flags[i]) }
            case (true, false): for i in 0..<n { k &+= Int(valid[i] & flags[i]) }
            }
            count += k
        }
        return count
    }
}

/// How a fused run ended without a result.
enum FusedError: Error {
    /// A row only the general path decides: evaluate the general way.
    case bail
    /// Ctrl-C.
    case interrupted(TallyError)
}
