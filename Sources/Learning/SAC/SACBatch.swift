import PolicyFormat

/// The buffers of one SAC gradient step, allocated once for `batchSize` rows (row-major):
/// the sampled minibatch (normalised), the Q-networks' inputs [s, a] and [s′, a′], and the
/// policy sample and gradients of the actor step.
final class SACBatch {
    let size: Int
    let observationSize: Int
    let actionSize: Int
    /// B × o, normalised s and s′.
    let observations: UnsafeMutableBufferPointer<Float>
    let nextObservations: UnsafeMutableBufferPointer<Float>
    /// B, r and d (1 terminal).
    let rewards: UnsafeMutableBufferPointer<Float>
    let terminals: UnsafeMutableBufferPointer<Float>
    /// B × (o + a): [s, a] (replayed a, then the actor's ã) and [s′, a′].
    let criticInput: UnsafeMutableBufferPointer<Float>
    let targetInput: UnsafeMutableBufferPointer<Float>
    /// B × a: ε, σ, dlogσ/dℓ, tanh u of a policy sample; B: its log π.
    let epsilon: UnsafeMutableBufferPointer<Float>
    let sigma: UnsafeMutableBufferPointer<Float>
    let logStdDerivative: UnsafeMutableBufferPointer<Float>
    let squashed: UnsafeMutableBufferPointer<Float>
    let logProbabilities: UnsafeMutableBufferPointer<Float>
    /// B: targets y, min_i Q′, ∂L/∂Q, and B × a: ∂L/∂ã summed over critics; B × 2a: ∂L/∂(μ, ℓ).
    let targets: UnsafeMutableBufferPointer<Float>
    let minimumTargetQ: UnsafeMutableBufferPointer<Float>
    let qGradient: UnsafeMutableBufferPointer<Float>
    let actionGradient: UnsafeMutableBufferPointer<Float>
    let actorGradient: UnsafeMutableBufferPointer<Float>

    init(batchSize: Int, observationSize o: Int, actionSize a: Int) {
        size = batchSize
        observationSize = o
        actionSize = a
        func buffer(_ n: Int) -> UnsafeMutableBufferPointer<Float> {
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: n)
            b.initialize(repeating: 0)
            return b
        }
        let b = batchSize
        observations = buffer(b * o); nextObservations = buffer(b * o)
        rewards = buffer(b); terminals = buffer(b)
        criticInput = buffer(b * (o + a)); targetInput = buffer(b * (o + a))
        epsilon = buffer(b * a); sigma = buffer(b * a); logStdDerivative = buffer(b * a); squashed = buffer(b * a)
        logProbabilities = buffer(b)
        targets = buffer(b); minimumTargetQ = buffer(b); qGradient = buffer(b)
        actionGradient = buffer(b * a); actorGradient = buffer(b * 2 * a)
    }

    deinit {
        for p in [observations, nextObservations, rewards, terminals, criticInput, targetInput, epsilon, sigma,
                  logStdDerivative, squashed, logProbabilities, targets, minimumTargetQ, qGradient, actionGradient,
                  actorGradient] { p.deallocate() }
    }

    /// Draw B rows uniformly (with replacement) and lay them out normalised.
    func sample(from replay: ReplayBuffer, normalization: ObservationNormalization, rng: inout Xoshiro256StarStar) {
        let o = observationSize, a = actionSize, width = o + a
        let count = UInt64(replay.count)
        for b in 0..<size {
            let row = replay.row(Int(rng.next() % count)).baseAddress!
            let s = observations.baseAddress! + b * o, next = nextObservations.baseAddress! + b * o
            normalization.normalize(row, into: s)
            normalization.normalize(row + o + a + 2, into: next)
            let input = criticInput.baseAddress! + b * width, target = targetInput.baseAddress! + b * width
            for i in 0..<o { input[i] = s[i]; target[i] = next[i] }
            for j in 0..<a { input[o + j] = row[o + j] }
            rewards[b] = row[o + a]
            terminals[b] = row[o + a + 1]
        }
    }
}
