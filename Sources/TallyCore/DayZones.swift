/// The first and last day in each run of `DayZones.rows` rows of a date column: a zone
/// map, as DuckDB and Parquet keep per row group. Orders are stored in date order, so a
/// zone usually spans a day or two, and a per-day answer (`month(order_date) == 3`) is
/// often one value for the whole zone: it is then written without reading the zone's days.
public struct DayZones: Sendable {
    /// Rows per zone; the fused evaluator's chunks are zones.
    public static let rows = 1024

    /// Zone z's smallest and largest day among the cells holding one; `low > high` when
    /// it holds none.
    public let low: [Int32]
    public let high: [Int32]

    /// The first and last day of the whole column; nil when it holds none.
    public var range: ClosedRange<Int32>? {
        var lo = Int32.max, hi = Int32.min
        for z in 0..<low.count where low[z] <= high[z] {
            lo = min(lo, low[z])
            hi = max(hi, high[z])
        }
        return lo <= hi ? lo...hi : nil
    }

    /// The zones of `days`, counting only the cells `validity` marks (all when nil).
    public init(days: [Int32], validity: Bitmap?) {
        let zones = (days.count + Self.rows - 1) / Self.rows
        var low = [Int32](repeating: .max, count: zones), high = [Int32](repeating: .min, count: zones)
        days.withUnsafeBufferPointer { d in
            for z in 0..<zones {
                let start = z * Self.rows, end = min(days.count, start + Self.rows)
                var lo = Int32.max, hi = Int32.min
                if let validity, !Self.allSet(validity, start, end) {
                    for i in start..<end where validity[i] { lo = min(lo, d[i]); hi = max(hi, d[i]) }
                } else {
                    for i in start..<end { lo = min(lo, d[i]); hi = max(hi, d[i]) }
                }
                low[z] = lo
                high[z] = hi
            }
        }
        self.low = low
        self.high = high
    }

    /// Whether bits `start ..< end` are all set; zones start on a word (1024 = 16 × 64).
    private static func allSet(_ bits: Bitmap, _ start: Int, _ end: Int) -> Bool {
        var r = start
        while r + 64 <= end {
            if bits.words[r >> 6] != ~0 { return false }
            r += 64
        }
        while r < end {
            if !bits[r] { return false }
            r += 1
        }
        return true
    }
}
