import Testing
import Foundation
@testable import Learning

@Suite("PPO loss and policy distribution")
struct PPOLossTests {
    struct Batch {
        var means: [Float], logStd: [Float], actions: [Float], oldLogP: [Float]
        var advantages: [Float], values: [Float], oldValues: [Float], returns: [Float]
    }

    static func batch(seed: UInt64) -> Batch {
        var g = Xoshiro256StarStar(seed: seed)
        let b = 16, a = 2
        func n(_ s: Double = 1) -> Float { Float(g.nextGaussian() * s) }
        let means = (0..<b * a).map { _ in n() }
        let logStd: [Float] = [-0.3, 0.2]
        let actions = means.enumerated().map { $0.element + n(0.8) }
        let policy = GaussianPolicy.logProbabilitiesForTest(actions: actions, means: means, logStd: logStd)
        // Old log-probs near the current ones: some ratios inside, some outside [0.8, 1.2].
        let oldLogP = policy.map { $0 + n(0.3) }
        let values = (0..<b).map { _ in n() }
        let oldValues = values.map { $0 + n(0.3) }
        return Batch(means: means, logStd: logStd, actions: actions, oldLogP: oldLogP,
                     advantages: (0..<b).map { _ in n() }, values: values, oldValues: oldValues,
                     returns: (0..<b).map { _ in n() })
    }

    /// The loss in float64, straight from the formulas.
    static func referenceLoss(_ x: Batch, means: [Double], logStd: [Double], values: [Double],
                              epsilon: Double, cv: Double, ce: Double, clipValue: Bool) -> Double {
        let a = logStd.count, b = values.count
        var policy = 0.0, value = 0.0
        for i in 0..<b {
            var logp = 0.0
            for j in 0..<a {
                let d = Double(x.actions[i * a + j]) - means[i * a + j]
                logp += -d * d / (2 * exp(2 * logStd[j])) - logStd[j] - 0.5 * log(2 * .pi)
            }
            let r = exp(logp - Double(x.oldLogP[i])), adv = Double(x.advantages[i])
            policy -= min(r * adv, min(max(r, 1 - epsilon), 1 + epsilon) * adv)
            let ret = Double(x.returns[i]), old = Double(x.oldValues[i])
            let unclipped = (values[i] - ret) * (values[i] - ret)
            let vc = old + min(max(values[i] - old, -epsilon), epsilon)
            value += 0.5 * (clipValue ? max(unclipped, (vc - ret) * (vc - ret)) : unclipped)
        }
        let entropy = logStd.reduce(0, +) + Double(a) * 0.5 * (1 + log(2 * .pi))
        return policy / Double(b) + cv * value / Double(b) - ce * entropy
    }

    @Test(arguments: [true, false])
    func lossGradientsEqualFiniteDifferences(clipValue: Bool) {
        let x = Self.batch(seed: 4)
        let epsilon: Float = 0.2, cv: Float = 0.7, ce: Float = 0.01
        let (terms, grads) = PPOLoss.evaluate(
            means: x.means, logStd: x.logStd, actions: x.actions, oldLogProbabilities: x.oldLogP,
            advantages: x.advantages, values: x.values, oldValues: x.oldValues, returns: x.returns,
            clipRange: epsilon, clipValueLoss: clipValue, valueCoefficient: cv, entropyCoefficient: ce)
        #expect(terms.clipFraction > 0 && terms.clipFraction < 1, "the example must exercise both branches")
        var means = x.means.map(Double.init), logStd = x.logStd.map(Double.init), values = x.values.map(Double.init)
        func loss() -> Double {
            Self.referenceLoss(x, means: means, logStd: logStd, values: values, epsilon: 0.2, cv: 0.7, ce: 0.01, clipValue: clipValue)
        }
        #expect(abs(Double(terms.total) - loss()) < 1e-5)
        let h = 1e-6
        func shift(_ which: Int, _ i: Int, _ delta: Double) {
            switch which {
            case 0: means[i] += delta
            case 1: logStd[i] += delta
            default: values[i] += delta
            }
        }
        func numeric(_ which: Int, _ i: Int) -> Double {
            shift(which, i, h); let plus = loss()
            shift(which, i, -2 * h); let minus = loss()
            shift(which, i, h)
            return (plus - minus) / (2 * h)
        }
        let dMeans = means.indices.map { numeric(0, $0) }
        let dLogStd = logStd.indices.map { numeric(1, $0) }
        let dValues = values.indices.map { numeric(2, $0) }
        #expect(worstRelativeError(grads.means, dMeans) < 1e-3)
        #expect(worstRelativeError(grads.logStd, dLogStd) < 1e-3)
        #expect(worstRelativeError(grads.values, dValues) < 1e-3)
    }

    @Test func logProbabilityAndEntropyMatchTheGaussianFormulas() {
        var rng = Xoshiro256StarStar(seed: 1)
        var policy = GaussianPolicy(observationSize: 3, actionSize: 2, hiddenWidths: [4], activation: .tanh,
                                    initialLogStd: 0, rng: &rng)
        policy.logStd = [log(0.5), log(2)]
        let logp = policy.logProbabilities(actions: [1, -1], means: [0, 1])
        // N(1; 0, 0.5²) · N(−1; 1, 2²): −(1/0.25)/2 − log 0.5 − ½log2π  +  −(4/4)/2 − log 2 − ½log2π
        let expected = (-2 - log(0.5) - 0.5 * log(2 * Double.pi)) + (-0.5 - log(2.0) - 0.5 * log(2 * Double.pi))
        #expect(abs(Double(logp[0]) - expected) < 1e-5)
        #expect(abs(Double(policy.entropy) - (log(0.5) + log(2.0) + 2 * 0.5 * (1 + log(2 * Double.pi)))) < 1e-5)
    }

    @Test func samplesHaveThePolicysStandardDeviation() {
        var rng = Xoshiro256StarStar(seed: 2)
        var policy = GaussianPolicy(observationSize: 1, actionSize: 1, hiddenWidths: [2], activation: .tanh,
                                    initialLogStd: Float(log(0.3)), rng: &rng)
        policy.logStd = [Float(log(0.3))]
        let u = policy.sample(means: Array(repeating: 1, count: 50_000), rng: &rng)
        let mean = u.reduce(0, +) / Float(u.count)
        let std = (u.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(u.count)).squareRoot()
        #expect(abs(mean - 1) < 0.01)
        #expect(abs(std - 0.3) < 0.01)
    }

    @Test func klIsZeroForEqualPoliciesAndMatchesTheClosedForm() {
        #expect(GaussianPolicy.meanKL(oldMeans: [1, 2], oldLogStd: [0.1], newMeans: [1, 2], newLogStd: [0.1]) == 0)
        // σo = 1, σn = 2, Δμ = 1: log 2 + (1 + 1)/8 − ½
        let kl = GaussianPolicy.meanKL(oldMeans: [0], oldLogStd: [0], newMeans: [1], newLogStd: [Float(log(2.0))])
        #expect(abs(Double(kl) - (log(2.0) + 0.25 - 0.5)) < 1e-6)
    }

    @Test func learningRateAdaptsToKL() {
        var lr = AdaptiveLearningRate(initial: 1e-3, targetKL: 0.01, minimum: 1e-4, maximum: 2e-3)
        lr.update(kl: 0.05)
        #expect(abs(lr.value - 1e-3 / 1.5) < 1e-9)
        lr.update(kl: 0.01)
        #expect(abs(lr.value - 1e-3 / 1.5) < 1e-9)
        lr.update(kl: 0.001); lr.update(kl: 0.001); lr.update(kl: 0.001)
        #expect(lr.value == 2e-3)
        var fixed = AdaptiveLearningRate(initial: 1e-3, targetKL: nil)
        fixed.update(kl: 10)
        #expect(fixed.value == 1e-3)
    }
}

extension GaussianPolicy {
    static func logProbabilitiesForTest(actions: [Float], means: [Float], logStd: [Float]) -> [Float] {
        var rng = Xoshiro256StarStar(seed: 0)
        var p = GaussianPolicy(observationSize: 1, actionSize: logStd.count, hiddenWidths: [1], activation: .tanh,
                               initialLogStd: 0, rng: &rng)
        p.logStd = logStd
        return p.logProbabilities(actions: actions, means: means)
    }
}
