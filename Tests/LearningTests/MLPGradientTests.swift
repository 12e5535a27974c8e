#if canImport(Glibc)
import Glibc
#endif
import Testing
import PolicyFormat
@testable import Learning

/// A float64 reference of the same network, for finite differences.
struct ReferenceMLP {
    var layers: [MLP.Layer]
    var parameters: [Double]

    static func activation(_ a: Activation, _ z: Double) -> Double {
        switch a {
        case .identity: return z
        case .tanh: return tanh(z)
        case .relu: return max(z, 0)
        case .elu: return z > 0 ? z : expm1(z)
        }
    }

    func forward(_ input: [Double], batch: Int) -> [Double] {
        var h = input
        for l in layers {
            var z = [Double](repeating: 0, count: batch * l.outputCount)
            for r in 0..<batch {
                for o in 0..<l.outputCount {
                    var s = parameters[l.biasesOffset + o]
                    for i in 0..<l.inputCount { s += h[r * l.inputCount + i] * parameters[l.weightsOffset + i * l.outputCount + o] }
                    z[r * l.outputCount + o] = Self.activation(l.activation, s)
                }
            }
            h = z
        }
        return h
    }
}

/// max over components of |analytic − numeric| / max(|numeric|, 1e-2).
func worstRelativeError(_ analytic: [Float], _ numeric: [Double]) -> Double {
    zip(analytic, numeric).map { abs(Double($0) - $1) / max(abs($1), 1e-2) }.max() ?? 0
}

@Suite("MLP forward and backward")
struct MLPGradientTests {
    @Test(arguments: [Activation.tanh, .relu, .elu, .identity])
    func gradientsEqualFiniteDifferences(hidden: Activation) {
        for output in [Activation.identity, .tanh] {
            var rng = Xoshiro256StarStar(seed: 11)
            var mlp = MLP(widths: [5, 8, 7, 3], hiddenActivation: hidden, outputActivation: output,
                          hiddenGain: 1.2, outputGain: 0.8, rng: &rng)
            // Non-zero biases so that every parameter is exercised.
            for l in mlp.layers { for o in 0..<l.outputCount { mlp.parameters[l.biasesOffset + o] = Float(rng.nextGaussian() * 0.3) } }
            let batch = 6
            let x = (0..<batch * 5).map { _ in Float(rng.nextGaussian()) }
            let c = (0..<batch * 3).map { _ in Float(rng.nextGaussian()) }
            // L = Σ c ⊙ Y, so ∂L/∂Y = c.
            let y = mlp.forward(x, batch: batch)
            mlp.zeroGradients()
            let inputGradient = mlp.backward(c)

            let reference = ReferenceMLP(layers: mlp.layers, parameters: mlp.parameters.map(Double.init))
            let yRef = reference.forward(x.map(Double.init), batch: batch)
            #expect(zip(y, yRef).allSatisfy { abs(Double($0) - $1) < 1e-5 }, "forward differs from float64")
            func loss(_ ref: ReferenceMLP, _ input: [Double]) -> Double {
                zip(ref.forward(input, batch: batch), c).reduce(0) { $0 + $1.0 * Double($1.1) }
            }
            let h = 1e-6
            var numeric = [Double](repeating: 0, count: mlp.parameters.count)
            for p in numeric.indices {
                var plus = reference, minus = reference
                plus.parameters[p] += h
                minus.parameters[p] -= h
                numeric[p] = (loss(plus, x.map(Double.init)) - loss(minus, x.map(Double.init))) / (2 * h)
            }
            let parameterError = worstRelativeError(mlp.gradients, numeric)
            #expect(parameterError < 1e-3, "parameter gradient, hidden \(hidden), output \(output): \(parameterError)")
            var numericInput = [Double](repeating: 0, count: x.count)
            for i in x.indices {
                var plus = x.map(Double.init), minus = plus
                plus[i] += h
                minus[i] -= h
                numericInput[i] = (loss(reference, plus) - loss(reference, minus)) / (2 * h)
            }
            let inputError = worstRelativeError(inputGradient, numericInput)
            #expect(inputError < 1e-3, "input gradient, hidden \(hidden), output \(output): \(inputError)")
        }
    }

    @Test func gradientsAccumulateUntilZeroed() {
        var rng = Xoshiro256StarStar(seed: 2)
        var mlp = MLP(widths: [3, 4, 2], rng: &rng)
        let x: [Float] = [0.1, -0.2, 0.3], g: [Float] = [1, -1]
        _ = mlp.forward(x, batch: 1)
        mlp.backward(g)
        let once = mlp.gradients
        mlp.backward(g)
        #expect(zip(mlp.gradients, once).allSatisfy { abs($0 - 2 * $1) <= 1e-6 * max(1, abs($1)) })
        mlp.zeroGradients()
        #expect(mlp.gradients.allSatisfy { $0 == 0 })
    }

    @Test func batchedPredictAgreesWithTheSingleSampleKernel() {
        var rng = Xoshiro256StarStar(seed: 5)
        let mlp = MLP(widths: [9, 64, 64, 2], outputGain: 1, rng: &rng)
        let batch = 257
        let x = (0..<batch * 9).map { _ in Float(rng.nextGaussian()) }
        let batched = mlp.predict(x, batch: batch)
        var single = [Float](repeating: 0, count: 2)
        for r in 0..<batch {
            x.withUnsafeBufferPointer { p in single.withUnsafeMutableBufferPointer { mlp.predictSingle(p.baseAddress! + r * 9, into: $0.baseAddress!) } }
            for o in 0..<2 { #expect(abs(single[o] - batched[r * 2 + o]) < 1e-5) }
        }
    }

    @Test func orthogonalInitialisationHasOrthonormalColumnsTimesGain() {
        var rng = Xoshiro256StarStar(seed: 3)
        for (rows, cols) in [(16, 4), (4, 16), (8, 8)] {
            let w = Initialization.orthogonal(inputCount: rows, outputCount: cols, gain: 2, rng: &rng)
            let m = Matrix(rows: rows, columns: cols, values: w)
            // WᵀW = 4I when rows ≥ cols, WWᵀ = 4I otherwise.
            let gram = rows >= cols ? Matrix.product(m, m, transposeA: true) : Matrix.product(m, m, transposeB: true)
            for i in 0..<gram.rows { for j in 0..<gram.columns {
                #expect(abs(gram[i, j] - (i == j ? 4 : 0)) < 1e-4)
            } }
        }
    }
}
