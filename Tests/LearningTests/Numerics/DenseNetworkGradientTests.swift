import Testing
import PolicyFormat
@testable import Learning

/// The preallocated network's backward pass (with layer normalisation and dropout) against
/// central differences of L = Σ c ⊙ Y, masks held fixed; tanh keeps L smooth so differences
/// are exact to float precision.
@Suite("DenseNetwork forward and backward")
struct DenseNetworkGradientTests {
    @Test(arguments: [(false, Float(0)), (true, Float(0)), (false, Float(0.2)), (true, Float(0.2))])
    func gradientsEqualFiniteDifferences(layerNorm: Bool, dropout: Float) {
        check(activation: .tanh, layerNorm: layerNorm, dropout: dropout, tolerance: 5e-3)
    }

    /// ReLU: differences are wrong only where a unit sits within the step of zero; with a
    /// small step nearly every component must still agree.
    @Test func reluGradientsEqualFiniteDifferencesAwayFromKinks() {
        check(activation: .relu, layerNorm: true, dropout: 0.2, tolerance: 5e-3, allowedOutliers: 2, step: 1e-3)
    }

    func check(activation: Activation, layerNorm: Bool, dropout: Float, tolerance: Double,
               allowedOutliers: Int = 0, step: Float = 1e-2) {
        var rng = Xoshiro256StarStar(seed: 21)
        let network = DenseNetwork(widths: [4, 12, 16, 3], hiddenActivation: activation, layerNorm: layerNorm, dropout: dropout,
                                   outputGain: 0.8, maxBatch: 8, rng: &rng)
        // Non-trivial biases, gains and shifts.
        for l in network.layers {
            for o in 0..<l.outputCount { network.parameters[l.biasesOffset + o] = Float(rng.nextGaussian() * 0.3) }
            if l.layerNorm {
                for o in 0..<l.outputCount {
                    network.parameters[l.gainOffset + o] = Float(1 + 0.3 * rng.nextGaussian())
                    network.parameters[l.shiftOffset + o] = Float(0.3 * rng.nextGaussian())
                }
            }
        }
        let batch = 6
        let x = (0..<batch * 4).map { _ in Float(rng.nextGaussian()) }
        let c = (0..<batch * 3).map { _ in Float(rng.nextGaussian()) }
        let masks = Xoshiro256StarStar(seed: 5)
        let state = UnsafeMutablePointer<Xoshiro256StarStar>.allocate(capacity: 1)
        defer { state.deallocate() }
        var input = x
        func loss() -> Float {
            state.pointee = masks
            let y = input.withUnsafeBufferPointer { network.forward($0.baseAddress!, batch: batch, dropoutRNG: state) }
            return (0..<batch * 3).reduce(0) { $0 + c[$1] * y[$1] }
        }
        _ = loss()
        network.zeroGradients()
        c.withUnsafeBufferPointer { network.backward($0.baseAddress!, inputGradientNeeded: true) }
        let analytic = (0..<network.parameterCount).map { Double(network.gradients[$0]) }
        let numeric = (0..<network.parameterCount).map { centralDifference(network.parameters, $0, step: step, loss) }
        let scale = numeric.map(abs).max()!
        let outliers = zip(analytic, numeric).filter { abs($0 - $1) / scale >= tolerance }.count
        #expect(outliers <= allowedOutliers, "\(outliers) of \(analytic.count) components off")
        #expect(allowedOutliers > 0 || worstScaledError(analytic, numeric) < tolerance)
        let inputAnalytic = (0..<batch * 4).map { Double(network.inputGradient[$0]) }
        let inputNumeric = (0..<batch * 4).map { i in
            let saved = input[i]
            input[i] = saved + step; let plus = Double(loss())
            input[i] = saved - step; let minus = Double(loss())
            input[i] = saved
            return (plus - minus) / (2 * Double(step))
        }
        let inputScale = inputNumeric.map(abs).max()!
        #expect(zip(inputAnalytic, inputNumeric).filter { abs($0 - $1) / inputScale >= tolerance }.count <= allowedOutliers)
    }

    @Test func dropoutZeroesAboutTheRequestedFractionAndKeepsTheMean() {
        var rng = Xoshiro256StarStar(seed: 3)
        let mask = UnsafeMutablePointer<Float>.allocate(capacity: 100_000)
        defer { mask.deallocate() }
        withUnsafeMutablePointer(to: &rng) { Dropout.drawMask(mask, count: 100_000, probability: 0.05, rng: $0) }
        let zeros = (0..<100_000).filter { mask[$0] == 0 }.count
        let mean = (0..<100_000).reduce(0.0) { $0 + Double(mask[$1]) } / 100_000
        #expect(abs(Double(zeros) / 100_000 - 0.05) < 0.003)
        #expect(abs(mean - 1) < 0.005)
    }
}
