import Testing
@testable import PolicyFormat

@Suite("Frozen policy inference")
struct FrozenPolicyTests {
    /// The format's arithmetic, written out naively from docs/policy-format.md.
    static func referenceAction(_ file: PolicyFile, _ observation: [Float]) -> [Float] {
        let n = file.normalization
        var h = (0..<observation.count).map { i -> Float in
            let z = (observation[i] - n.mean[i]) * (1 / (n.variance[i] + n.epsilon).squareRoot())
            return min(max(z, -n.clip), n.clip)
        }
        for layer in file.layers {
            var y = layer.biases
            for i in 0..<layer.inputCount {
                for o in 0..<layer.outputCount { y[o] = y[o] + h[i] * layer.weights[i * layer.outputCount + o] }
            }
            h = y.map { layer.activation.apply($0) }
        }
        let s = file.actionScaling
        return (0..<s.count).map { s.offset[$0] + s.scale[$0] * s.squashed(h[$0]) }
    }

    @Test(arguments: Activation.allCases)
    func inferenceFollowsTheDocumentedArithmeticBitForBit(activation: Activation) throws {
        let file = Fixture.policy(activation: activation, squash: .tanh)
        let policy = try FrozenPolicy(decoding: try file.encoded())
        for observation in Fixture.observations(count: 2000, size: file.observationLayout.size, seed: 3) {
            let got = policy.action(for: observation), want = Self.referenceAction(file, observation)
            #expect(got.map(\.bitPattern) == want.map(\.bitPattern))
        }
    }

    @Test func actionsAreScaledAndBounded() throws {
        var file = Fixture.policy()
        file.actionScaling = ActionScaling(squash: .clip, scale: [2], offset: [0.5])
        file.layers[2].biases = [100]   // drive the raw output far past the clip
        let policy = try FrozenPolicy(file)
        let action = policy.action(for: Array(repeating: 0, count: policy.observationSize))
        #expect(action == [2.5])
    }

    @Test func rationalTanhIsWithin4e7OfTheTrueTanh() {
        var worst = 0.0
        var x: Float = -12
        while x <= 12 {
            worst = max(worst, abs(Double(Activation.tanh(x)) - _tanh(Double(x))))
            x = x.nextUp.nextUp.nextUp.nextUp + 1e-4
        }
        #expect(worst < 4e-7)
        #expect(Activation.tanh(0) == 0)
        #expect(Activation.tanh(100) <= 1 && Activation.tanh(-100) >= -1)
    }

    @Test func eluExponentialIsAccurate() {
        var worst = 0.0
        var x: Float = -30
        while x <= 0 {
            worst = max(worst, abs(Double(Activation.expMinusOne(x)) - _expm1(Double(x))))
            x += 1e-3
        }
        #expect(worst < 3e-7)
        #expect(Activation.expMinusOne(-200) == -1)
        #expect(Activation.expMinusOne(0) == 0)
    }

    @Test func benchmarkReportsAPositiveTime() throws {
        let policy = try FrozenPolicy(Fixture.policy())
        let result = PolicyBenchmark.measure(policy, iterations: 2000, rounds: 3)
        #expect(result.medianNanoseconds > 0)
        #expect(result.checksum.isFinite)
    }
}
