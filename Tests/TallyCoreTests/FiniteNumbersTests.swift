import Testing
@testable import TallyCore

/// The conversions charts and kernels use instead of `Int(x)`, and the #NUM! rule on
/// values, columns and tables.
struct FiniteNumbersTests {
    static let limit: Int = 9_007_199_254_740_992
    static let saturatingCases: [(Double, Int)] = [
        (Double.nan, 0), (Double.infinity, limit), (-Double.infinity, -limit), (1e308, limit), (-1e308, -limit),
        (5e-324, 0), (2.9, 2), (-2.9, -2), (0, 0),
    ]

    @Test("Int(saturating:) never traps", arguments: saturatingCases)
    func saturating(_ x: Double, _ expected: Int) {
        #expect(Int(saturating: x) == expected)
    }

    static let fractionCases: [(Double, Double, Double, Double)] = [
        (0.0, -1e308, 1e308, 0.5), (1e308, -1e308, 1e308, 1.0), (-1.7e308, -1.7e308, 1.7e308, 0.0),
        (5e-324, 0.0, 5e-324, 1.0), (3.0, 1.0, 5.0, 0.5), (1.0, 1.0, 1.0, 0.0), (Double.nan, 0.0, 1.0, 0.0), (7.0, 0.0, Double.nan, 0.0),
    ]

    @Test("fractions of ranges that overflow", arguments: fractionCases)
    func fraction(_ x: Double, _ lo: Double, _ hi: Double, _ expected: Double) {
        #expect(x.fraction(from: lo, to: hi) == expected)
        #expect(x.clampedFraction(from: lo, to: hi) == min(1, max(0, expected)))
    }

    @Test func interpolateStaysBetweenItsEnds() {
        #expect(Double.interpolate(-1.7e308, 1.7e308, 0.5) == 0)
        #expect(Double.interpolate(.greatestFiniteMagnitude, .greatestFiniteMagnitude, 0.3) == .greatestFiniteMagnitude)
        #expect(Double.interpolate(0, 5e-324, 1) == 5e-324)
    }

    @Test func nonFiniteNumbersBecomeTheGivenError() throws {
        let e = ErrorValue(.number, "f: the result is not a finite number")
        #expect(Value.number(.infinity, .percent).replacingNonFinite(with: e) == .error(e))
        #expect(Value.number(3, .plain).replacingNonFinite(with: e) == .number(3, .plain))
        #expect(Value.list([.num(1), .num(.nan)]).replacingNonFinite(with: e) == .list([.num(1), .error(e)]))
        let c = Column(storage: .number([1, .infinity, .nan]), validity: Bitmap([true, true, false]))
        #expect(c.holdsNonFinite)
        #expect(c.replacingNonFinite(with: e).values == [.num(1), .error(e), .empty])
        #expect(!Column(storage: .number([1, .nan]), validity: Bitmap([true, false])).holdsNonFinite)
        var t = try #require(Table(names: ["a"], columns: [.numbers([1, 2])]))
        t.display.totals = ["a": .num(.infinity)]
        let fixed = t.replacingNonFinite(with: e)
        #expect(fixed.display.totals["a"] == .error(e) && fixed.columns == t.columns)
        #expect(!Value.table(fixed).holdsNonFinite)
    }
}
