import Testing
import PolicyFormat
@testable import Learning

@Suite("Running normaliser and random numbers")
struct NormalizerAndRandomTests {
    @Test func batchedUpdatesEqualTheStatisticsOfAllSamples() {
        var rng = Xoshiro256StarStar(seed: 9)
        let size = 3
        var all: [Float] = []
        var normalizer = RunningNormalizer(size: size)
        var other = RunningNormalizer(size: size)
        for (k, rows) in [1, 7, 100, 33, 2].enumerated() {
            let batch = (0..<rows * size).map { i in Float(rng.nextGaussian() * Double(i % size + 1) + 5) }
            all += batch
            if k % 2 == 0 { normalizer.update(batch, rows: rows) } else { other.update(batch, rows: rows) }
        }
        normalizer.merge(other)
        let n = all.count / size
        for i in 0..<size {
            let column = stride(from: i, to: all.count, by: size).map { Double(all[$0]) }
            let mean = column.reduce(0, +) / Double(n)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
            #expect(abs(normalizer.mean[i] - mean) < 1e-9)
            #expect(abs(normalizer.variance[i] - variance) < 1e-9 * max(1, variance))
        }
        #expect(normalizer.count == Double(n))
    }

    @Test func frozenNormaliserStandardisesAndClips() {
        var normalizer = RunningNormalizer(size: 1, clip: 2)
        normalizer.update([1, 3], rows: 2)   // mean 2, variance 1
        let frozen = normalizer.frozen()
        var out = [Float](repeating: 0, count: 3)
        let x: [Float] = [3, 2, 100]
        x.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { frozen.normalize(xp.baseAddress!, into: $0.baseAddress!, count: 3) } }
        #expect(abs(out[0] - 1) < 1e-6)
        #expect(out[1] == 0)
        #expect(out[2] == 2)
    }

    @Test func sameSeedSameSequenceAndGaussianMoments() {
        var a = Xoshiro256StarStar(seed: 123), b = Xoshiro256StarStar(seed: 123), c = Xoshiro256StarStar(seed: 124)
        let sa = (0..<100).map { _ in a.next() }
        #expect(sa == (0..<100).map { _ in b.next() })
        #expect(sa != (0..<100).map { _ in c.next() })
        var g = Xoshiro256StarStar(seed: 1)
        let n = 200_000
        var sum = 0.0, sumSquares = 0.0, sumFourth = 0.0
        for _ in 0..<n {
            let x = g.nextGaussian()
            sum += x; sumSquares += x * x; sumFourth += x * x * x * x
        }
        #expect(abs(sum / Double(n)) < 0.01)
        #expect(abs(sumSquares / Double(n) - 1) < 0.01)
        #expect(abs(sumFourth / Double(n) - 3) < 0.06)
    }

    @Test func xoshiroMatchesTheReferenceOutputForAKnownState() {
        // xoshiro256** from state (1, 2, 3, 4): first outputs 11520, 0, 1509978240, 1215971899390074240
        // (reference C implementation by Blackman & Vigna).
        var mix = SplitMix64(seed: 0)
        #expect(mix.next() == 0xE220_A839_7B1D_CDAF)   // SplitMix64 reference, seed 0
        var g = Xoshiro256StarStar(seed: 0)
        g.setStateForTesting(1, 2, 3, 4)
        #expect([g.next(), g.next(), g.next(), g.next()] == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }
}
