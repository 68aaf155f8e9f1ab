/// A grid of braille cells, each 2 dots wide and 4 high, on which lines are drawn dot by
/// dot: a terminal line chart with four times the vertical resolution of block rows.
struct BrailleCanvas {
    let columns: Int
    let rows: Int
    /// Dot bits per cell, row-major.
    private var cells: [UInt8]

    init(columns: Int, rows: Int) {
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        cells = Array(repeating: 0, count: self.columns * self.rows)
    }

    /// Dots across and down.
    var dotWidth: Int { columns * 2 }
    var dotHeight: Int { rows * 4 }

    /// The bit of dot (dx, dy) inside a cell: the braille numbering 1-2-3-7 down the left
    /// column and 4-5-6-8 down the right.
    private static let bits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at (x, y), y counted from the top; dots outside are ignored.
    mutating func set(_ x: Int, _ y: Int) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        cells[(y / 4) * columns + x / 2] |= BrailleCanvas.bits[x % 2][y % 4]
    }

    /// Draws a straight line of dots (Bresenham).
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        while true {
            set(x, y)
            if x == x1 && y == y1 { return }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// True when the cell holds at least one dot.
    func isSet(column: Int, row: Int) -> Bool { cells[row * columns + column] != 0 }

    /// The cell's braille character, or nil when it is blank.
    func character(column: Int, row: Int) -> Character? {
        let b = cells[row * columns + column]
        guard b != 0, let u = Unicode.Scalar(0x2800 + UInt32(b)) else { return nil }
        return Character(u)
    }
}
