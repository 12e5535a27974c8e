import Testing
@testable import Plotting

@Suite struct SeedSpreadTests {
    @Test func interpolatesEachRunAndSpansTheRunsThatCoverAPoint() {
        let spread = SeedSpread(grid: [0, 1, 2, 3], runs: [(x: [0, 2], y: [0, 4]), (x: [0, 3], y: [2, 2])])
        #expect(spread.minimum == [0, 2, 2, 2])
        #expect(spread.maximum == [2, 2, 4, 2])
        #expect(spread.mean == [1, 2, 3, 2])
    }

    @Test func histogramCountsEveryValueOnce() {
        let h = Histogram(values: [0, 1, 1, 2, 10], bins: 5)
        #expect(h.counts.reduce(0, +) == 5)
        #expect(h.edges.count == 6)
        #expect(h.counts.first == 3)
        #expect(h.counts.last == 1)
    }

    @Test func decimationKeepsThePeaks() {
        var y = Array(repeating: 0.0, count: 10_000)
        y[4321] = 9
        y[777] = -5
        let kept = Decimation.minMax(Array(y.indices), y: y, buckets: 100)
        #expect(kept.count <= 200)
        #expect(kept.contains(4321) && kept.contains(777))
        #expect(kept == kept.sorted())
    }
}

@Suite struct AngleTests {
    @Test func uprightIsPiWhateverTheTurnCount() {
        #expect(abs(Angles.wrapped(-3 * .pi) - .pi) < 1e-12)
        #expect(abs(Angles.wrapped(2 * .pi + 0.5) - 0.5) < 1e-12)
    }

    @Test func aWrapBreaksTheLineInsteadOfCrossingTheAxis() {
        let drawn = Angles.wrappedForDrawing([6.0, 6.2, 6.4, 6.5])
        #expect(drawn[0] == 6.0 && drawn[1] == 6.2)
        #expect(drawn[2].isNaN)
        #expect(abs(drawn[3] - (6.5 - 2 * .pi)) < 1e-12)
    }
}
