import Testing
@testable import TallyLang

/// `Registry.halfAwayFromZero` against the standard library's rounding, bit for bit.
struct RoundingTests {
    static let edges: [Double] = [
        0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
        0.4, -0.4, 123.5, -123.5, 4_503_599_627_370_495.5, -4_503_599_627_370_495.5,
        4_503_599_627_370_496, 9_007_199_254_740_993, 1e15 + 0.5, 1e308, -1e308, 5e-324, -5e-324,
        .infinity, -.infinity, .greatestFiniteMagnitude, 0.1 * 3, 2.675 * 100,
    ]

    @Test(arguments: edges)
    func matchesTheStandardLibrary(_ x: Double) {
        let ours = Registry.halfAwayFromZero(x), theirs = x.rounded(.toNearestOrAwayFromZero)
        #expect(ours.bitPattern == theirs.bitPattern, "\(x): \(ours) vs \(theirs)")
    }

    @Test func nanStaysNaN() {
        #expect(Registry.halfAwayFromZero(.nan).isNaN)
    }

    @Test func randomValuesMatch() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var wrong: [Double] = []
        for _ in 0..<200_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Any bit pattern: every exponent, both signs, subnormals.
            let x = Double(bitPattern: state)
            guard !x.isNaN else { continue }
            let y = Double(Int64(truncatingIfNeeded: state >> 20)) / 1024
            for v in [x, y] where Registry.halfAwayFromZero(v).bitPattern != v.rounded(.toNearestOrAwayFromZero).bitPattern {
                wrong.append(v)
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }
}
