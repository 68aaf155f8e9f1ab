import TallyCore

/// Three levels of one target (SEEDS.md 3): floor (保底, must reach), standard (标准, the
/// target itself) and stretch (挑战, earns the bonus): `levels(target, floor: 90%,
/// stretch: 120%)`.
public struct TargetLevels: Sendable, Equatable {
    /// `target × floorRatio`.
    public var floor: Double
    /// The target.
    public var standard: Double
    /// `target × stretchRatio`.
    public var stretch: Double
    public var floorRatio: Double
    public var stretchRatio: Double

    /// Why levels were refused.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The target (or a ratio) is NaN or infinite.
        case notANumber(String)
        /// The ratios must satisfy `0 <= floor <= 1 <= stretch`.
        case badRatios(floor: Double, stretch: Double)
        /// The rounding unit is not a positive decimal with at most 9 places, or the target
        /// is too large for it.
        case badUnit

        public var description: String {
            switch self {
            case .notANumber(let what): return "\(what) is not a number"
            case .badRatios(let f, let s): return "levels need 0 <= floor <= 100% <= stretch (got floor \(f), stretch \(s))"
            case .badUnit: return "unit must be a positive decimal with at most 9 decimal places"
            }
        }
    }

    /// How an actual figure compares with the levels.
    public enum Grade: String, Sendable, Equatable, CaseIterable {
        case belowFloor = "below floor"
        case floor
        case standard
        case stretch
    }

    /// The levels of `target`. Ratios must satisfy `0 <= floor <= 1 <= stretch` (defaults
    /// 90% and 120%). With `unit`, floor and stretch are rounded to the nearest multiple of
    /// it, halves away from zero (`unit: 10000` gives round 万 figures); the standard level
    /// is the target unchanged.
    public static func levels(target: Double, floor: Double = 0.9, stretch: Double = 1.2, unit: Double? = nil) throws(Failure) -> TargetLevels {
        guard target.isFinite else { throw .notANumber("target") }
        guard floor.isFinite else { throw .notANumber("floor") }
        guard stretch.isFinite else { throw .notANumber("stretch") }
        guard floor >= 0, floor <= 1, stretch >= 1 else { throw .badRatios(floor: floor, stretch: stretch) }
        var lo = target * floor, hi = target * stretch
        if let unit {
            lo = try round(lo, to: unit)
            hi = try round(hi, to: unit)
        }
        return TargetLevels(floor: lo, standard: target, stretch: hi, floorRatio: floor, stretchRatio: stretch)
    }

    /// The highest level `actual` reaches (`actual >= level`, checked from stretch down).
    /// Meant for targets of zero or more, whose levels ascend floor <= standard <= stretch;
    /// a negative target's levels descend and its grades mean little.
    public func grade(_ actual: Double) -> Grade {
        if actual >= stretch { return .stretch }
        if actual >= standard { return .standard }
        if actual >= floor { return .floor }
        return .belowFloor
    }

    private static func round(_ x: Double, to unit: Double) throws(Failure) -> Double {
        guard let u = try? AllocationUnit(unit) else { throw .badUnit }
        let scaled = x * Allocation.pow10[u.decimals] / Double(u.numerator)
        let n = scaled.rounded(.toNearestOrAwayFromZero)
        guard abs(n) * Double(u.numerator) <= Double(AllocationUnit.limit) else { throw .badUnit }
        return u.amount(units: Int64(n))
    }
}
