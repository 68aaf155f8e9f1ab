import Testing
@testable import TallyCore

/// The zone map of a date column against the days of each zone read one by one.
@Suite struct DayZonesTests {
    @Test(arguments: [0, 1, 1023, 1024, 1025, 5000])
    func eachZoneHoldsItsFirstAndLastDay(_ rows: Int) {
        let days = (0..<rows).map { Int32(19_000 + ($0 * 7919) % 300) }
        for validity in [nil, Bitmap((0..<rows).map { $0 % 5 != 1 }), Bitmap((0..<rows).map { $0 >= 1024 && $0 < 2048 ? false : true })] {
            let zones = DayZones(days: days, validity: validity)
            #expect(zones.low.count == (rows + 1023) / 1024)
            for z in 0..<zones.low.count {
                let held = (z * 1024 ..< min(rows, z * 1024 + 1024)).filter { validity?[$0] ?? true }.map { days[$0] }
                if let lo = held.min(), let hi = held.max() {
                    #expect(zones.low[z] == lo && zones.high[z] == hi)
                } else {
                    #expect(zones.low[z] > zones.high[z])
                }
            }
            let all = (0..<rows).filter { validity?[$0] ?? true }.map { days[$0] }
            #expect(zones.range == all.min().flatMap { lo in all.max().map { lo...$0 } })
        }
    }

    @Test func aColumnKeepsItsZonesAndADifferentColumnHasItsOwn() {
        let a = Column(values: [.date(TallyDate(days: 5)), .empty, .date(TallyDate(days: 9))])
        #expect(a.dayRange() == 5...9)
        #expect(a.dayZones()?.low == [5])
        #expect(Column(values: [.number(1, .plain)]).dayZones() == nil)
        #expect(Column(values: [.empty, .empty]).dayRange() == nil)
    }
}
