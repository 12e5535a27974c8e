import Testing
@testable import Learning

@Suite("Coloured exploration noise")
struct ColoredNoiseTests {
    /// Variance and lag-1 autocorrelation over many sequences.
    func statistics(exponent: Float) -> (variance: Double, lagOne: Double) {
        var noise = ColoredNoise(length: 500, exponent: exponent)
        var rng = Xoshiro256StarStar(seed: 1)
        var x = [Float](repeating: 0, count: 500)
        var sumSquares = 0.0, sumProducts = 0.0, n = 0, pairs = 0
        for _ in 0..<200 {
            x.withUnsafeMutableBufferPointer { noise.draw(into: $0.baseAddress!, rng: &rng) }
            for t in 0..<500 { sumSquares += Double(x[t] * x[t]); n += 1 }
            for t in 1..<500 { sumProducts += Double(x[t] * x[t - 1]); pairs += 1 }
        }
        let variance = sumSquares / Double(n)
        return (variance, sumProducts / Double(pairs) / variance)
    }

    @Test func everyStepIsUnitVarianceAndPinkNoiseIsCorrelatedInTime() {
        let white = statistics(exponent: 0), pink = statistics(exponent: 1)
        #expect(abs(white.variance - 1) < 0.03 && abs(pink.variance - 1) < 0.05)
        #expect(abs(white.lagOne) < 0.03)
        #expect(pink.lagOne > 0.5, "pink noise lag-1 autocorrelation \(pink.lagOne)")
    }
}
