import Controller
import Testing

struct TelemetryRingTests {
    @Test func recordsComeOutInOrderAndAFullRingDropsAndCounts() {
        let ring = TelemetryRing(capacity: 4)
        for k in 0..<6 {
            var record = TickRecord()
            record.tick = Int64(k)
            ring.push(record)
        }
        #expect(ring.dropped == 2)
        var ticks: [Int64] = []
        ring.drain { ticks.append($0.tick) }
        #expect(ticks == [0, 1, 2, 3])
    }

    @Test func histogramPercentilesAreExactToOneBin() {
        let histogram = LatencyHistogram()
        for us in 1...1000 { histogram.record(Int64(us) * 1000 - 500) }
        #expect(histogram.quantile(0.5) == 500_000)
        #expect(histogram.quantile(0.99) == 990_000)
        #expect(histogram.maximum == 999_500)
    }
}
