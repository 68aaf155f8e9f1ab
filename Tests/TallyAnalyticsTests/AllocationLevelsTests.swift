import Testing
@testable import TallyAnalytics

/// `levels(target, floor: 90%, stretch: 120%)`: floor, standard, stretch (SEEDS.md 3).
struct AllocationLevelsTests {
    @Test("levels", arguments: [
        (1_000_000.0, 0.9, 1.2, 900_000.0, 1_200_000.0),
        (120_000_000, 0.8, 1.5, 96_000_000, 180_000_000),
        (0, 0.9, 1.2, 0, 0),
        (5000, 1, 1, 5000, 5000),
    ])
    func levels(_ target: Double, _ floor: Double, _ stretch: Double, _ lo: Double, _ hi: Double) throws {
        let l = try TargetLevels.levels(target: target, floor: floor, stretch: stretch)
        #expect(l.floor == lo)
        #expect(l.standard == target)
        #expect(l.stretch == hi)
    }

    @Test("rounding to a unit, halves away from zero")
    func rounded() throws {
        let l = try TargetLevels.levels(target: 1_234_567, unit: 10000)
        #expect(l.floor == 1_110_000)  // 1,111,110.3
        #expect(l.stretch == 1_480_000)  // 1,481,480.4
        #expect(l.standard == 1_234_567)
        let cents = try TargetLevels.levels(target: 10.05, floor: 0.5, stretch: 1.1, unit: 0.01)
        #expect(cents.floor == 5.03)  // 5.025 -> away from zero
        #expect(cents.stretch == 11.06)  // 11.055
    }

    @Test("grades", arguments: [(850.0, TargetLevels.Grade.belowFloor), (900, .floor), (999, .floor), (1000, .standard), (1200, .stretch), (5000, .stretch)])
    func grade(_ actual: Double, _ grade: TargetLevels.Grade) throws {
        #expect(try TargetLevels.levels(target: 1000).grade(actual) == grade)
    }

    @Test("refusals")
    func refusals() {
        #expect(throws: TargetLevels.Failure.badRatios(floor: 1.1, stretch: 1.2)) { try TargetLevels.levels(target: 1, floor: 1.1) }
        #expect(throws: TargetLevels.Failure.badRatios(floor: 0.9, stretch: 0.95)) { try TargetLevels.levels(target: 1, stretch: 0.95) }
        #expect(throws: TargetLevels.Failure.notANumber("target")) { try TargetLevels.levels(target: .nan) }
        #expect(throws: TargetLevels.Failure.badUnit) { try TargetLevels.levels(target: 1, unit: 0) }
    }
}
