import Testing
import TallyCore
@testable import TallyAnalytics

struct FunnelTests {
    static let stages = ["potential customer", "qualified lead", "proposal", "negotiation", "closed"]

    @Test func seedsFunnel() throws {
        let f = try Funnel.compute(stages: Self.stages, counts: [1000, 400, 200, 80, 20])
        #expect(f.stages.map(\.name) == Self.stages)
        #expect(f.stages.map(\.count) == [1000, 400, 200, 80, 20])
        #expect(f.stages.map(\.fromPrevious) == [nil, .value(0.4), .value(0.5), .value(0.4), .value(0.25)])
        #expect(f.stages.map(\.fromFirst) == [.value(1), .value(0.4), .value(0.2), .value(0.08), .value(0.02)])
        #expect(f.stages.map(\.dropOff) == [nil, 600, 200, 120, 60])
        #expect(f.overall == .value(0.02))
        #expect(f.warnings.isEmpty)
    }

    @Test func largerStageIsWarned() throws {
        let f = try Funnel.compute(stages: ["visits", "carts", "orders"], counts: [100, 120, 30])
        #expect(f.stages[1].fromPrevious == .value(1.2))
        #expect(f.warnings == [Note(.funnelLarger, [.text("carts"), .number(120, .plain), .text("visits"), .number(100, .plain)])])
    }

    @Test func zeroStageGivesDivisionByZero() throws {
        let f = try Funnel.compute(stages: ["a", "b", "c"], counts: [0, 0, 0])
        #expect(f.stages.map(\.fromFirst) == [.divisionByZero, .divisionByZero, .divisionByZero])
        #expect(f.stages[2].fromPrevious == .divisionByZero)
    }

    @Test("refused funnels", arguments: [
        (["a", "b"], [1.0], FunnelError.lengthMismatch(stages: 2, counts: 1)),
        ([], [], FunnelError.empty),
        (["a", "b"], [5, -1], FunnelError.negativeCount(stage: "b")),
        (["a"], [Double.nan], FunnelError.notANumber(stage: "a")),
    ])
    func errors(_ stages: [String], _ counts: [Double], _ error: FunnelError) {
        #expect(throws: error) { try Funnel.compute(stages: stages, counts: counts) }
    }
}
