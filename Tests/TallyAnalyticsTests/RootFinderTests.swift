import Testing
@testable import TallyAnalytics

struct RootFinderTests {
    @Test("known roots to 1e-10", arguments: [
        (2.0, 16.0, 4.0),      // x^2 = 16 from 2
        (-1.0, 16.0, -4.0),    // from the other side, the nearer root
        (0.0, 2.0, 2.0.squareRoot()),
        (1e6, 4e12, 2e6),
    ])
    func square(_ start: Double, _ goal: Double, _ root: Double) throws {
        let r = RootFinder.solve(start: start) { $0 * $0 - goal }
        guard case .success(let s) = r else { Issue.record("no solution"); return }
        #expect(abs(s.x - root) <= 1e-10 * max(1, abs(root)))
        #expect(abs(s.residual) <= 1e-9 * goal)
    }

    @Test func linearIsExact() throws {
        let r = RootFinder.solve(start: 12000) { $0 * 14.586 - 2_000_000 }
        guard case .success(let s) = r else { Issue.record("no solution"); return }
        #expect(abs(s.x * 14.586 - 2_000_000) < 1e-6)
    }

    @Test("no solution: reports the range searched and the closest point")
    func noSolution() {
        let r = RootFinder.solve(start: 2) { $0 * $0 + 1 }
        guard case .failure(let f) = r else { Issue.record("found a root of x^2 + 1"); return }
        #expect(f.low < -1e6 && f.high > 1e6)
        #expect(f.closest.map { abs($0) < 0.5 } == true)
        #expect(f.closestResidual.map { abs($0 - 1) < 0.25 } == true)
    }

    @Test("a range bounds the search")
    func rangeBounds() throws {
        let r = RootFinder.solve(start: 2, range: -10...0) { $0 * $0 - 9 }
        guard case .success(let s) = r else { Issue.record("no solution"); return }
        #expect(abs(s.x + 3) < 1e-10)
        let none = RootFinder.solve(start: 2, range: 5...10) { $0 * $0 - 9 }
        guard case .failure = none else { Issue.record("a root outside the range"); return }
    }

    @Test("a step function: the smallest input that reaches the value")
    func step() throws {
        // round(x / 1000) * 1000 reaches 5000 first at x = 4500.
        let r = RootFinder.solve(start: 100) { ($0 / 1000).rounded(.toNearestOrAwayFromZero) * 1000 - 5000 }
        guard case .success(let s) = r else { Issue.record("no solution"); return }
        #expect(abs(s.x - 4500) < 1e-9)
        #expect(s.residual == 0)
    }

    @Test("a jump across the value stops at the first input past it")
    func jump() throws {
        let r = RootFinder.solve(start: 0.5) { $0 < 3 ? -1 : 1 }
        guard case .success(let s) = r else { Issue.record("no solution"); return }
        #expect(s.atStep)
        #expect(abs(s.x - 3) < 1e-12 && s.residual == 1)
    }
}
