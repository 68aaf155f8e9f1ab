import Testing
import TallyCore
@testable import TallyAnalytics

struct KpiTests {
    @Test("formulas of SEEDS.md section 5", arguments: [
        ("conversion", Kpi.conversion(25, 1000), KpiResult.value(0.025)),
        ("aov", Kpi.aov(10_000, 40), .value(250)),
        ("margin", Kpi.margin(300, 1200), .value(0.25)),
        ("roi", Kpi.roi(50, 200), .value(0.25)),
        ("roas", Kpi.roas(5000, 1000), .value(5)),
        ("cac", Kpi.cac(9000, 30), .value(300)),
        ("collection", Kpi.collectionRate(8000, 10_000), .value(0.8)),
        ("churn", Kpi.churnRate(15, 300), .value(0.05)),
        ("completion", Kpi.completion(95, 100), .value(0.95)),
        ("growth", Kpi.growth(120, 100), .value(0.2)),
        ("growth from a loss", Kpi.growth(50, -100), .value(1.5)),
        ("decline", Kpi.growth(75, 100), .value(-0.25)),
        ("ltv", Kpi.ltv(aov: 200, frequency: 4, lifespan: 3, margin: 0.25), .value(600)),
        ("ltv revenue", Kpi.ltv(aov: 200, frequency: 4, lifespan: 3), .value(2400)),
        ("ltv churn", Kpi.ltvChurn(arpu: 100, margin: 0.3, churn: 0.05), .value(600)),
        ("repeat", Kpi.repeatRate([1, 2, 3, 0, 1] as [Double]), .value(0.5)),
        ("repeat counts", Kpi.repeatRate([1, 2, 3, 0, 1] as [Int]), .value(0.5)),
    ])
    func formulas(_ name: String, _ got: KpiResult, _ expected: KpiResult) {
        guard case .value(let g) = got, case .value(let e) = expected else {
            Issue.record("\(name): \(got)")
            return
        }
        #expect(abs(g - e) <= 1e-12 * max(1, abs(e)), "\(name)")
    }

    @Test("zero denominators give #DIV/0!", arguments: [
        Kpi.conversion(5, 0), Kpi.aov(0, 0), Kpi.margin(1, 0), Kpi.roi(1, 0), Kpi.roas(1, 0), Kpi.cac(1, 0),
        Kpi.collectionRate(1, 0), Kpi.churnRate(0, 0), Kpi.completion(10, 0), Kpi.growth(10, 0),
        Kpi.ltvChurn(arpu: 100, margin: 0.3, churn: 0), Kpi.repeatRate([Double]()), Kpi.repeatRate([0, 0] as [Int]),
    ])
    func divisionByZero(_ r: KpiResult) {
        #expect(r == .divisionByZero)
        #expect(r.errorValue?.kind == .divisionByZero)
        #expect(r.errorValue?.kind.rawValue == "#DIV/0!")
        #expect(r.value == nil)
    }

    @Test func invalidInputs() {
        #expect(Kpi.ratio(.nan, 1) == .invalid("not a finite number"))
        #expect(Kpi.growth(.infinity, 1) == .invalid("not a finite number"))
        #expect(Kpi.ltv(aov: .infinity, frequency: 1, lifespan: 1) == .invalid("not a finite number"))
        #expect(Kpi.repeatRate([1, -1]) == .invalid("order counts must be non-negative numbers"))
        #expect(Kpi.repeatRate([1, -1]).errorValue?.kind == .number)
        #expect(Kpi.conversion(1, 4).errorValue == nil)
    }

    @Test func repeatRateFromAnOrdersColumn() {
        // Customers 0: 3 orders, 1: 1 order, 2: 2 orders (one more on an empty row), 3: none.
        var valid = Bitmap(count: 8, value: true)
        valid[7] = false
        let r = Kpi.repeatRate(customerCodes: [0, 1, 0, 2, 0, 2, 9, 1], dictionarySize: 4, validity: valid)
        #expect(r == .value(2.0 / 3))
        #expect(Kpi.repeatRate(customerCodes: [], dictionarySize: 0) == .divisionByZero)
    }
}
