/// One-dimensional root finding for goal seek: bracket outward from a starting point,
/// then Brent's method (inverse quadratic interpolation, secant and bisection, always
/// kept inside a bracket) to the last bits of a double. Works on step functions too:
/// there it converges on the step and reports the first input that reaches the value.
public enum RootFinder {
    public struct Solution: Sendable, Equatable {
        /// The input found.
        public var x: Double
        /// g(x): the formula's value minus the goal at `x`.
        public var residual: Double
        /// How many times g was evaluated.
        public var evaluations: Int
        /// True when g jumps across zero at `x` (a step) instead of passing through it.
        public var atStep: Bool
    }

    public struct Failure: Error, Sendable, Equatable {
        /// The inputs searched.
        public var low: Double
        public var high: Double
        /// The input whose residual was smallest, and that residual.
        public var closest: Double?
        public var closestResidual: Double?
        public var evaluations: Int
    }

    /// Finds x with g(x) = 0 near `start` (within `range` when given). g returns nil where
    /// the formula has no number (an error value); `stop` ends the search early (Ctrl-C).
    public static func solve(start: Double, range: ClosedRange<Double>? = nil, maxEvaluations: Int = 2_000,
                             stop: () -> Bool = { false }, _ g: (Double) -> Double?) -> Result<Solution, Failure> {
        var evaluations = 0
        var best: (x: Double, r: Double)?
        var low = start, high = start
        func eval(_ x: Double) -> Double? {
            evaluations += 1
            low = min(low, x)
            high = max(high, x)
            guard let y = g(x), y.isFinite else { return nil }
            if best == nil || abs(y) < abs(best?.r ?? .infinity) { best = (x, y) }
            return y
        }
        func failure() -> Failure {
            Failure(low: low, high: high, closest: best?.x, closestResidual: best?.r, evaluations: evaluations)
        }
        let x0 = range.map { min(max(start, $0.lowerBound), $0.upperBound) } ?? start
        low = x0
        high = x0
        guard let g0 = eval(x0) else { return .failure(failure()) }
        if g0 == 0 { return .success(Solution(x: x0, residual: 0, evaluations: evaluations, atStep: false)) }
        guard let bracket = range == nil ? expand(x0, g0, eval, stop) : scan(range!, x0, g0, eval, stop) else {
            return .failure(failure())
        }
        return refine(bracket, eval, stop, maxEvaluations: maxEvaluations, evaluations: { evaluations }, failure)
    }

    typealias Point = (x: Double, g: Double)

    /// Steps outward on both sides, doubling the step, until g changes sign.
    private static func expand(_ x0: Double, _ g0: Double, _ eval: (Double) -> Double?, _ stop: () -> Bool) -> (Point, Point)? {
        let h0 = x0 == 0 ? 0.01 : abs(x0) * 0.1
        var right: Point = (x0, g0), left: Point = (x0, g0)
        var h = h0
        for _ in 0..<120 {
            if stop() { return nil }
            for side in [1.0, -1.0] {
                let x = x0 + side * h
                guard x.isFinite, let y = eval(x) else { continue }
                let prev: Point = side > 0 ? right : left
                let here: Point = (x: x, g: y)
                if y == 0 || (y > 0) != (prev.g > 0) { return side > 0 ? (prev, here) : (here, prev) }
                if side > 0 { right = here } else { left = here }
            }
            h *= 2
            // Far beyond any plan's scale: give up rather than wander to 1e300.
            if h > 1e12 * max(1, abs(x0)) { break }
        }
        return nil
    }

    /// Within a range: the sign change nearest the start among evenly spaced points.
    private static func scan(_ r: ClosedRange<Double>, _ x0: Double, _ g0: Double, _ eval: (Double) -> Double?,
                             _ stop: () -> Bool) -> (Point, Point)? {
        let n = 64
        var points: [Point] = [(x0, g0)]
        for i in 0...n {
            if stop() { return nil }
            let x = r.lowerBound + (r.upperBound - r.lowerBound) * Double(i) / Double(n)
            if x == x0 { continue }
            if let y = eval(x) { points.append((x, y)) }
        }
        points.sort { $0.x < $1.x }
        var found: (Point, Point)?
        var distance = Double.infinity
        for (a, b) in zip(points, points.dropFirst()) where a.g == 0 || b.g == 0 || (a.g > 0) != (b.g > 0) {
            let d = min(abs(a.x - x0), abs(b.x - x0))
            if d < distance { distance = d; found = (a, b) }
        }
        return found
    }

    /// Brent's method inside a bracket, then the first input of a plateau of exact zeros.
    private static func refine(_ bracket: (Point, Point), _ eval: (Double) -> Double?, _ stop: () -> Bool, maxEvaluations: Int,
                               evaluations: () -> Int, _ failure: () -> Failure) -> Result<Solution, Failure> {
        var (a, fa) = bracket.0
        var (b, fb) = bracket.1
        if fa == 0 { return .success(Solution(x: a, residual: 0, evaluations: evaluations(), atStep: false)) }
        if fb == 0 { return firstZero(left: (a, fa), zero: b, eval, evaluations) }
        let outerLeft: Point = (min(a, b), a < b ? fa : fb)
        var c = a, fc = fa
        var d = b - a, e = d
        while evaluations() < maxEvaluations {
            if stop() { return .failure(failure()) }
            if (fb > 0) == (fc > 0) { c = a; fc = fa; d = b - a; e = d }
            if abs(fc) < abs(fb) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa }
            let tol = 2 * Double.ulpOfOne * abs(b) + Double.leastNormalMagnitude
            let xm = 0.5 * (c - b)
            if fb == 0 {
                return firstZero(left: outerLeft, zero: b, eval, evaluations)
            }
            if abs(xm) <= tol {
                // The bracket cannot shrink further: g jumps across zero here (a step).
                let reach: Point = fb > 0 ? (b, fb) : (c, fc)
                return .success(Solution(x: reach.x, residual: reach.g, evaluations: evaluations(), atStep: true))
            }
            if abs(e) >= tol && abs(fa) > abs(fb) {
                let s = fb / fa
                var p: Double, q: Double
                if a == c {
                    p = 2 * xm * s
                    q = 1 - s
                } else {
                    let qa = fa / fc, r = fb / fc
                    p = s * (2 * xm * qa * (qa - r) - (b - a) * (r - 1))
                    q = (qa - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q }
                p = abs(p)
                if 2 * p < min(3 * xm * q - abs(tol * q), abs(e * q)) {
                    e = d
                    d = p / q
                } else {
                    d = xm
                    e = d
                }
            } else {
                d = xm
                e = d
            }
            a = b
            fa = fb
            b += abs(d) > tol ? d : (xm >= 0 ? tol : -tol)
            guard let y = eval(b) ?? eval(0.5 * (a + c)) else { return .failure(failure()) }
            fb = y
        }
        return .failure(failure())
    }

    /// Bisects between a point where g is not zero and one where it is, for the edge of
    /// the zeros: on a step function, the first input that gives exactly the value.
    private static func firstZero(left: Point, zero: Double, _ eval: (Double) -> Double?, _ evaluations: () -> Int) -> Result<Solution, Failure> {
        guard left.x < zero, left.g != 0 else {
            return .success(Solution(x: zero, residual: 0, evaluations: evaluations(), atStep: false))
        }
        var lo = left.x, hi = zero
        for _ in 0..<200 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if eval(mid) == 0 { hi = mid } else { lo = mid }
        }
        return .success(Solution(x: hi, residual: 0, evaluations: evaluations(), atStep: hi != zero))
    }
}
