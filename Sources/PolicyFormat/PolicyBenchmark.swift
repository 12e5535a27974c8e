#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RandomNumbers

/// Timing of `FrozenPolicy.act` for `furuta bench policy` and the controller's start-up report.
public enum PolicyBenchmark {
    /// Result of one benchmark run.
    public struct Result: Sendable, CustomStringConvertible {
        /// Median over rounds of the mean time per inference, ns.
        public var medianNanoseconds: Double
        /// Fastest round's mean time per inference, ns.
        public var minimumNanoseconds: Double
        public var iterationsPerRound: Int
        public var rounds: Int
        /// Sum of all actions computed (printed so the work cannot be optimised away).
        public var checksum: Float

        public var description: String {
            let median = (medianNanoseconds * 10).rounded() / 10
            let minimum = (minimumNanoseconds * 10).rounded() / 10
            return "\(median) ns/inference median, \(minimum) ns best (\(rounds) rounds × \(iterationsPerRound))"
        }
    }

    /// Time `policy.act` on a fixed set of pseudo-random observations: `rounds` rounds of
    /// `iterations` calls each, after one warm-up round.
    public static func measure(_ policy: FrozenPolicy, iterations: Int = 100_000, rounds: Int = 9,
                               seed: UInt64 = 1) -> Result {
        let inputs = 64
        let observations = UnsafeMutableBufferPointer<Float>.allocate(capacity: inputs * policy.observationSize)
        let action = UnsafeMutableBufferPointer<Float>.allocate(capacity: policy.actionCount)
        defer { observations.deallocate(); action.deallocate() }
        var random = SplitMix64(seed: seed)
        for k in 0..<observations.count { observations[k] = uniform(&random) * 4 - 2 }
        action.initialize(repeating: 0)
        var checksum: Float = 0
        var perRound: [Double] = []
        for round in 0...rounds {
            let start = now()
            for i in 0..<iterations {
                let row = UnsafeBufferPointer(rebasing: observations[(i % inputs) * policy.observationSize ..< (i % inputs + 1) * policy.observationSize])
                policy.act(observation: row, action: action)
                checksum += action[0]
            }
            let elapsed = now() - start
            if round > 0 { perRound.append(elapsed / Double(iterations)) }
        }
        perRound.sort()
        return Result(medianNanoseconds: perRound[perRound.count / 2], minimumNanoseconds: perRound[0],
                      iterationsPerRound: iterations, rounds: rounds, checksum: checksum)
    }

    /// A policy with random weights (Glorot-uniform) and the given hidden widths, for
    /// benchmarks and tests.
    public static func randomPolicy(layout: ObservationLayout, hiddenWidths: [Int] = [64, 64],
                                    activation: Activation = .tanh, seed: UInt64 = 1) -> PolicyFile {
        var random = SplitMix64(seed: seed)
        var layers: [DenseLayer] = []
        var width = layout.size
        for (index, next) in (hiddenWidths + [layout.actionCount]).enumerated() {
            let bound = (6 / Float(width + next)).squareRoot()
            let weights = (0..<width * next).map { _ in (uniform(&random) * 2 - 1) * bound }
            let biases = (0..<next).map { _ in (uniform(&random) * 2 - 1) * 0.1 }
            let isLast = index == hiddenWidths.count
            layers.append(DenseLayer(inputCount: width, outputCount: next,
                                     activation: isLast ? .identity : activation, weights: weights, biases: biases))
            width = next
        }
        let mean = (0..<layout.size).map { _ in uniform(&random) - 0.5 }
        let variance = (0..<layout.size).map { _ in uniform(&random) + 0.5 }
        return PolicyFile(robotIdentity: 0x0123_4567_89AB_CDEF, robotName: "benchmark", controlRateHz: 200,
                          observationLayout: layout,
                          normalization: ObservationNormalization(mean: mean, variance: variance),
                          layers: layers, actionScaling: .unit(count: layout.actionCount))
    }

    /// Uniform in [0, 1) from the top 24 bits of a SplitMix64 draw.
    private static func uniform(_ random: inout SplitMix64) -> Float { Float(random.next() >> 40) * 0x1p-24 }

    private static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) * 1e9 + Double(t.tv_nsec)
    }
}
