import PolicyFormat

extension SACLearner {
    /// How much SAC itself would explore now, in action units, for the controller that runs its
    /// deterministic policy plus its own smooth noise (`furuta learn` hands it over with each
    /// candidate; docs/sessions.md). SAC samples a = tanh(μ(s) + σ(s)·ε); to first order in σ
    /// its spread about the deterministic action tanh μ is
    ///
    ///     σ_a(s) = (1 − tanh² μ(s)) · σ(s)
    ///
    /// averaged over the newest `samples` observations of the replay buffer (zeros while empty)
    /// and the action components. σ(s) is the actor's state-dependent standard deviation, which
    /// the entropy target (via the temperature α) shrinks as the critics firm up: exploration
    /// follows the learner's own entropy instead of a fixed schedule.
    public func explorationScale(samples: Int = 128) -> Double {
        let o = observationSize, a = actionSize
        let n = max(1, min(samples, replay.count, actor.maxBatch))
        var raw = [Float](repeating: 0, count: n * o)
        if replay.count > 0 {
            for k in 0..<n {
                // The newest rows: storage index of the (count − n + k)-th oldest.
                let row = replay.row(replay.storageIndex(ofOldest: replay.count - n + k))
                for i in 0..<o { raw[k * o + i] = row[i] }
            }
        }
        var input = [Float](repeating: 0, count: n * o)
        raw.withUnsafeBufferPointer { r in
            input.withUnsafeMutableBufferPointer { x in normalization.normalize(r.baseAddress!, into: x.baseAddress!, count: n) }
        }
        var total = 0.0
        input.withUnsafeBufferPointer { x in
            let out = actor.forward(x.baseAddress!, batch: n, dropoutRNG: nil)
            for k in 0..<n {
                for j in 0..<a {
                    let mu = out[k * 2 * a + j]
                    let logStd = SquashedGaussian.logStd(raw: out[k * 2 * a + a + j], minimum: config.logStdMinimum,
                                                         maximum: config.logStdMaximum).value
                    let t = Double(SquashedGaussian.squash(mu))
                    total += (1 - t * t) * Double(_expf(logStd))
                }
            }
        }
        return total / Double(n * a)
    }
}
