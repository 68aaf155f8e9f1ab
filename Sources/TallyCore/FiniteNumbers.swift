/// Conversions and ratios that cannot trap or overflow: `Int(x)` of a NaN or infinite
/// Double (or one beyond Int's range) kills the process, and `hi - lo` of two finite
/// numbers can be infinite (`1e308 - -1e308`). Everything that turns a Double into a
/// cell, pixel or bin count goes through these.
extension Int {
    /// The largest magnitude `Int(saturating:)` gives: 2^53, beyond which a Double holds
    /// no fractional part and sums of such counts still fit in an Int.
    public static let saturationLimit = 1 << 53

    /// `x` rounded toward zero, clamped to ±2^53; NaN gives 0. Never traps.
    public init(saturating x: Double) {
        if x.isNaN { self = 0; return }
        let limit = Double(Int.saturationLimit)
        if x >= limit { self = Int.saturationLimit; return }
        if x <= -limit { self = -Int.saturationLimit; return }
        self = Int(x)
    }
}

extension Double {
    /// Where `self` lies from `lo` (0) to `hi` (1), computed without overflow even when
    /// `hi - lo` exceeds the largest Double. Not clamped: a value outside the range gives
    /// a fraction outside 0...1 (possibly infinite). 0 when `hi <= lo` or a NaN is involved.
    public func fraction(from lo: Double, to hi: Double) -> Double {
        guard hi > lo else { return 0 }
        let span = hi - lo
        let f: Double
        if span.isFinite {
            f = (self - lo) / span
        } else {
            // Halves: each difference of halves of finite numbers is finite.
            f = (self / 2 - lo / 2) / (hi / 2 - lo / 2)
        }
        return f.isNaN ? 0 : f
    }

    /// `fraction(from:to:)` clamped to 0...1.
    public func clampedFraction(from lo: Double, to hi: Double) -> Double {
        Swift.min(1, Swift.max(0, fraction(from: lo, to: hi)))
    }

    /// The point `t` of the way from `a` to `b` (t in 0...1), without overflow, never
    /// outside `min(a, b)...max(a, b)`.
    public static func interpolate(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let x = a * (1 - t) + b * t
        return Swift.min(Swift.max(a, b), Swift.max(Swift.min(a, b), x))
    }
}
