import Testing
@testable import TallyCore

/// The two-lane block sum against two scalar compensated sums, one over the even rows and
/// one over the odd rows: the same bits, whatever the values.
@Suite struct LanedSumTests {
    static func values(_ seed: UInt64, _ n: Int) -> [Double] {
        var state = seed
        let special: [Double] = [0, -0.0, 1e308, -1e308, 5e-324, 1e16, -1e16, 0.1, 1, -1, 3.75]
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = state >> 11
            if r % 7 == 0 { return special[Int(r % UInt64(special.count))] }
            return (Double(r % 2_000_000) - 1_000_000) / 100 * (r % 13 == 0 ? 1e12 : 1)
        }
    }

    @Test(arguments: [0, 1, 2, 3, 1024, 1025, 65_537])
    func twoLanesAreTwoScalarSums(_ n: Int) {
        for seed: UInt64 in [1, 2, 3] {
            let xs = Self.values(seed, n)
            var laned = LanedSum()
            xs.withUnsafeBufferPointer { p in if let b = p.baseAddress { laned.add(b, count: n) } }
            var even = CompensatedSum(), odd = CompensatedSum()
            for (i, x) in xs.enumerated() { if i % 2 == 0 { even.add(x) } else { odd.add(x) } }
            #expect(laned.even.sum.bitPattern == even.sum.bitPattern && laned.odd.sum.bitPattern == odd.sum.bitPattern)
            #expect(laned.even.compensation.bitPattern == even.compensation.bitPattern)
            #expect(laned.odd.compensation.bitPattern == odd.compensation.bitPattern)
            var byRow = LanedSum()
            for (i, x) in xs.enumerated() { byRow.add(x, row: i) }
            #expect(byRow.value.bitPattern == laned.value.bitPattern)
        }
    }

    /// Chunks of any even length give the bits of one pass.
    @Test func chunksGiveOnePass() {
        let xs = Self.values(9, 10_000)
        var whole = LanedSum(), chunked = LanedSum()
        xs.withUnsafeBufferPointer { p in
            guard let b = p.baseAddress else { return }
            whole.add(b, count: xs.count)
            var start = 0
            for size in [2, 1024, 6, 4000, 3000, 968] where start < xs.count {
                chunked.add(b + start, count: min(size, xs.count - start))
                start += size
            }
        }
        #expect(whole.value.bitPattern == chunked.value.bitPattern)
    }
}
