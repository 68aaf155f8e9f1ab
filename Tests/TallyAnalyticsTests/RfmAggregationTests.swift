import Testing
import TallyCore
@testable import TallyAnalytics

struct RfmAggregationTests {
    static let asof = Int32(TallyDate.daysFromCivil(2026, 7, 1))
    static func day(_ y: Int, _ m: Int, _ d: Int) -> Int32 { Int32(TallyDate.daysFromCivil(y, m, d)) }

    @Test func groupsByCodeAndSumsCents() throws {
        let agg = try RfmAggregation.aggregate(
            customerCodes: [0, 1, 0, 2, 0],
            customerDictionary: ["C1", "C2", "C3", "unused"],
            dates: [Self.day(2026, 6, 1), Self.day(2025, 1, 1), Self.day(2026, 6, 21), Self.day(2026, 7, 1), Self.day(2026, 1, 1)],
            amounts: [0.1, 200, 0.2, 99.994, 1000.004],
            asof: Self.asof)
        #expect(agg.customers == ["C1", "C2", "C3"])
        #expect(agg.customerCodes == [0, 1, 2])
        #expect(agg.recency == [10, 546, 0])
        #expect(agg.frequency == [3, 1, 1])
        // 10 + 20 + 100000 cents: each amount is rounded to whole cents before summing.
        #expect(agg.monetaryCents == [100_030, 20_000, 9_999])
        #expect(agg.monetary == [1000.30, 200, 99.99])
        #expect(agg.rowsUsed == 5 && agg.skippedRows == 0 && agg.rowsAfterAsof == 0)
    }

    @Test func emptyCellsAreSkippedAndCounted() throws {
        var customerOK = Bitmap(count: 6, value: true)
        customerOK[1] = false
        var amountOK = Bitmap(count: 6, value: true)
        amountOK[2] = false
        let agg = try RfmAggregation.aggregate(
            customerCodes: [0, 0, 0, 1, 7, 0],
            customerDictionary: ["A", ""],
            dates: [10, 11, 12, 13, 14, 30],
            amounts: [1, 2, 3, 4, 5, .nan],
            customerValidity: customerOK, amountValidity: amountOK,
            asof: 20)
        // Row 1: empty customer; row 2: empty amount; row 3: empty-string customer;
        // row 4: code outside the dictionary; row 5: NaN amount.
        #expect(agg.customers == ["A"])
        #expect(agg.frequency == [1])
        #expect(agg.monetaryCents == [100])
        #expect(agg.skippedEmptyRows == 4)
        #expect(agg.skippedBadAmountRows == 1)
        #expect(agg.skippedRows == 5)
        #expect(agg.rowsUsed == 1)
    }

    @Test func countsOrdersAfterAsof() throws {
        let agg = try RfmAggregation.aggregate(customerCodes: [0, 0], customerDictionary: ["A"], dates: [25, 5], amounts: [1, 1], asof: 20)
        #expect(agg.recency == [-5])
        #expect(agg.rowsAfterAsof == 1)
        let r = try Rfm.score(agg)
        #expect(r.warnings == [Note(.rfmFuture, [.counted(1, .nounCustomerHas)])])
    }

    @Test func refusesMismatchedInputs() {
        #expect(throws: RfmError.self) {
            try RfmAggregation.aggregate(customerCodes: [0, 0], customerDictionary: ["A"], dates: [1], amounts: [1, 2], asof: 0)
        }
        #expect(throws: RfmError.self) {
            try RfmAggregation.aggregate(customerCodes: [0], customerDictionary: ["A"], dates: [1], amounts: [1],
                                         dateValidity: Bitmap(count: 3, value: true), asof: 0)
        }
    }

    @Test func acceptsColumns() throws {
        let customer = Column(values: [.text("x"), .text("y"), .empty, .text("x")])
        let date = Column(values: [.date(TallyDate(days: 1)), .date(TallyDate(days: 4)), .date(TallyDate(days: 2)), .empty])
        let amount = Column.numbers([1.5, 2, 3, 4])
        let agg = try RfmAggregation.aggregate(customer: customer, date: date, amount: amount, asof: 10)
        #expect(agg.customers == ["x", "y"])
        #expect(agg.recency == [9, 6])
        #expect(agg.monetary == [1.5, 2])
        #expect(agg.skippedEmptyRows == 2)
        #expect(throws: RfmError.wrongColumnType(argument: "date", expected: "date", found: "number")) {
            try RfmAggregation.aggregate(customer: customer, date: amount, amount: amount, asof: 10)
        }
    }

    @Test("threads give identical results", arguments: [1, 2, 3, 7])
    func threadsAgree(_ threads: Int) throws {
        var rng = RfmRandom(seed: 42)
        let n = 50_000, groups = 700
        let codes = (0..<n).map { _ in Int32(rng.below(groups)) }
        let dates = (0..<n).map { _ in Int32(rng.below(900)) + 19_500 }
        let amounts = (0..<n).map { _ in Double(rng.below(1_000_000)) / 100 }
        var valid = Bitmap(count: n, value: true)
        for _ in 0..<500 { valid[rng.below(n)] = false }
        let dict = (0..<groups).map { "K\($0)" }
        let one = try RfmAggregation.aggregate(customerCodes: codes, customerDictionary: dict, dates: dates, amounts: amounts,
                                               amountValidity: valid, asof: 20_300, threads: 1)
        let many = try RfmAggregation.aggregate(customerCodes: codes, customerDictionary: dict, dates: dates, amounts: amounts,
                                                amountValidity: valid, asof: 20_300, threads: threads)
        #expect(one == many)
        #expect(one.rowsUsed + one.skippedRows == n)
        // Cross-check the sums against a plain loop.
        var cents = [Int64](repeating: 0, count: groups)
        for i in 0..<n where valid[i] { cents[Int(codes[i])] += Int64((amounts[i] * 100).rounded()) }
        #expect(one.monetaryCents == one.customerCodes.map { cents[Int($0)] })
    }

    @Test func abcAggregateReusesTheKernel() throws {
        let t = try Abc.aggregate(keyCodes: [1, 0, 1, 1], keyDictionary: ["a", "b"], values: [0.1, 5, 0.2, 0.3])
        #expect(t.keys == ["a", "b"])
        #expect(t.cents == [500, 60])
        #expect(t.values == [5, 0.6])
        #expect(t.rowsUsed == 4)
    }
}
