/// SAC's three losses and their gradients, on the learner's preallocated batch (see
/// `SACLearner` for the formulas). Each `…Loss` function computes the loss for the current
/// parameters and, when asked, leaves its gradient in the networks' `gradients`; each
/// `…Step` also takes the Adam step. The gradient checks call the `…Loss` functions directly.
enum SACLosses {
    /// Sample ã ~ π(·|s) for the batch's rows of `observations` (B × o, normalised): writes
    /// `squashed` (tanh u), `sigma`, `logStdDerivative`, `logProbabilities`, and returns the
    /// actor's output (B × 2a: μ then ℓ). With `drawEpsilon` false, `epsilon` is used as it is.
    static func samplePolicy(_ learner: SACLearner, observations: UnsafePointer<Float>, drawEpsilon: Bool)
        -> UnsafeMutablePointer<Float> {
        let batch = learner.batch, a = learner.actionSize, rows = batch.size
        let config = learner.config
        let out = learner.actor.forward(observations, batch: rows, dropoutRNG: nil)
        for b in 0..<rows {
            var squaredNorm: Float = 0, logStdSum: Float = 0, correction: Float = 0
            for j in 0..<a {
                let k = b * a + j
                if drawEpsilon { batch.epsilon[k] = Float(learner.rng.nextGaussian()) }
                let mu = out[b * 2 * a + j]
                let (logStd, derivative) = SquashedGaussian.logStd(raw: out[b * 2 * a + a + j], minimum: config.logStdMinimum,
                                                                   maximum: config.logStdMaximum)
                let sigma = _expf(logStd)
                let e = batch.epsilon[k]
                let u = mu + sigma * e
                batch.sigma[k] = sigma
                batch.logStdDerivative[k] = derivative
                batch.squashed[k] = SquashedGaussian.squash(u)
                squaredNorm += e * e
                logStdSum += logStd
                correction += SquashedGaussian.logOneMinusTanhSquared(u)
            }
            batch.logProbabilities[b] = DiagonalGaussian.logProbability(squaredStandardizedNorm: squaredNorm,
                                                                        logStdSum: logStdSum, dimension: a) - correction
        }
        return out
    }

    /// y = r + γ (1 − d)(min_i Q′_i(s′, a′) − α log π(a′|s′)) into `batch.targets`.
    static func computeTargets(_ learner: SACLearner) {
        let batch = learner.batch, o = learner.observationSize, a = learner.actionSize, rows = batch.size
        _ = samplePolicy(learner, observations: batch.nextObservations.baseAddress!, drawEpsilon: true)
        for b in 0..<rows { for j in 0..<a { batch.targetInput[b * (o + a) + o + j] = batch.squashed[b * a + j] } }
        for b in 0..<rows { batch.minimumTargetQ[b] = .infinity }
        for target in learner.targetCritics {
            let q = target.forward(batch.targetInput.baseAddress!, batch: rows, dropoutRNG: learner.dropoutRNG)
            for b in 0..<rows { batch.minimumTargetQ[b] = min(batch.minimumTargetQ[b], q[b]) }
        }
        let alpha = learner.temperature, gamma = learner.config.gamma
        for b in 0..<rows {
            let soft = batch.minimumTargetQ[b] - alpha * batch.logProbabilities[b]
            batch.targets[b] = batch.rewards[b] + gamma * (1 - batch.terminals[b]) * soft
        }
    }

    /// L_Q for the targets in `batch.targets` (held constant) on `batch.criticInput`; with
    /// `gradients`, ∂L_Q/∂θ_i is left in each critic's `gradients` (zeroed first).
    static func criticLoss(_ learner: SACLearner, gradients: Bool) -> Float {
        let batch = learner.batch, rows = batch.size
        let invB = 1 / Float(rows)
        var loss: Float = 0
        for critic in learner.critics {
            let q = critic.forward(batch.criticInput.baseAddress!, batch: rows, dropoutRNG: learner.dropoutRNG)
            for b in 0..<rows {
                let d = q[b] - batch.targets[b]
                loss += 0.5 * d * d * invB
                batch.qGradient[b] = d * invB
            }
            if gradients {
                critic.zeroGradients()
                critic.backward(batch.qGradient.baseAddress!)
            }
        }
        return loss
    }

    /// Targets, L_Q and one Adam step per critic; returns L_Q.
    static func criticStep(_ learner: SACLearner) -> Float {
        computeTargets(learner)
        let loss = criticLoss(learner, gradients: true)
        let rate = learner.config.criticLearningRate
        for i in learner.critics.indices {
            let critic = learner.critics[i]
            learner.criticAdams[i].step(parameters: critic.parameters, gradients: UnsafeBufferPointer(critic.gradients),
                                        learningRate: rate)
        }
        return loss
    }

    /// L_π on the batch's observations; with `gradients`, ∂L_π/∂θ_actor is left in the actor's
    /// `gradients` (the critics' parameter gradients are not touched). Returns (L_π, mean log π).
    ///
    /// With g_bj = ∂(−(1/CB) Σ_i Q_i)/∂ã_bj from the critics' input gradients and a = tanh u:
    ///
    ///     ∂L/∂μ_bj    = (α/B)·2a_bj + g_bj (1 − a_bj²)
    ///     ∂L/∂logσ_bj = (α/B)(−1 + 2a_bj σ_bj ε_bj) + g_bj (1 − a_bj²) σ_bj ε_bj
    ///     ∂L/∂ℓ_bj    = ∂L/∂logσ_bj · dlogσ/dℓ
    static func actorLoss(_ learner: SACLearner, drawEpsilon: Bool, gradients: Bool) -> (loss: Float, meanLogProbability: Float) {
        let batch = learner.batch, o = learner.observationSize, a = learner.actionSize, rows = batch.size
        let invB = 1 / Float(rows)
        let out = samplePolicy(learner, observations: batch.observations.baseAddress!, drawEpsilon: drawEpsilon)
        for b in 0..<rows { for j in 0..<a { batch.criticInput[b * (o + a) + o + j] = batch.squashed[b * a + j] } }
        let alpha = learner.temperature
        let criticWeight = -invB / Float(learner.critics.count)
        for k in 0..<(rows * a) { batch.actionGradient[k] = 0 }
        var meanQ: Float = 0, meanLogProbability: Float = 0
        for b in 0..<rows { batch.qGradient[b] = criticWeight }
        for critic in learner.critics {
            let q = critic.forward(batch.criticInput.baseAddress!, batch: rows, dropoutRNG: learner.dropoutRNG)
            for b in 0..<rows { meanQ += q[b] * invB / Float(learner.critics.count) }
            if gradients {
                critic.backward(batch.qGradient.baseAddress!, parameterGradients: false, inputGradientNeeded: true)
                let dx = critic.inputGradient.baseAddress!
                for b in 0..<rows { for j in 0..<a { batch.actionGradient[b * a + j] += dx[b * (o + a) + o + j] } }
            }
        }
        for b in 0..<rows { meanLogProbability += batch.logProbabilities[b] * invB }
        var loss = alpha * meanLogProbability - meanQ
        // Behaviour cloning toward the start policy (fine-tuning): w/B Σ (tanh μ − tanh μ⁰)²,
        // ∂/∂μ_bj = (w/B)·2(tanh μ_bj − tanh μ⁰_bj)(1 − tanh² μ_bj). The reference's forward comes
        // after the actor's, whose activations `backward` uses, and touches only its own buffers.
        let cloning = learner.config.behaviorCloningWeight
        let reference = cloning > 0 ? learner.referenceActor?.forward(batch.observations.baseAddress!, batch: rows, dropoutRNG: nil) : nil
        if let reference {
            for b in 0..<rows {
                for j in 0..<a {
                    let d = SquashedGaussian.squash(out[b * 2 * a + j]) - SquashedGaussian.squash(reference[b * 2 * a + j])
                    loss += cloning * invB * d * d
                }
            }
        }
        if gradients {
            let g = batch.actorGradient.baseAddress!
            for b in 0..<rows {
                for j in 0..<a {
                    let k = b * a + j
                    let t = batch.squashed[k], sigma = batch.sigma[k], e = batch.epsilon[k]
                    let dQ = batch.actionGradient[k] * (1 - t * t)
                    g[b * 2 * a + j] = alpha * invB * 2 * t + dQ
                    if let reference {
                        let m = SquashedGaussian.squash(out[b * 2 * a + j])
                        g[b * 2 * a + j] += cloning * invB * 2 * (m - SquashedGaussian.squash(reference[b * 2 * a + j])) * (1 - m * m)
                    }
                    let dLogStd = alpha * invB * (-1 + 2 * t * sigma * e) + dQ * sigma * e
                    g[b * 2 * a + a + j] = dLogStd * batch.logStdDerivative[k]
                }
            }
            // The actor's forward was the first of this loss; the critics' forwards did not touch it.
            learner.actor.zeroGradients()
            learner.actor.backward(g)
        }
        return (loss, meanLogProbability)
    }

    static func actorStep(_ learner: SACLearner) -> (loss: Float, meanLogProbability: Float) {
        let result = actorLoss(learner, drawEpsilon: true, gradients: true)
        learner.actorAdam.step(parameters: learner.actor.parameters, gradients: UnsafeBufferPointer(learner.actor.gradients),
                               learningRate: learner.config.actorLearningRate)
        return result
    }

    /// L_α = −log α · (mean log π + H̄) and ∂L_α/∂log α = −(mean log π + H̄).
    static func temperatureLoss(logTemperature: Float, meanLogProbability: Float, targetEntropy: Float)
        -> (loss: Float, gradient: Float) {
        let gap = meanLogProbability + targetEntropy
        return (-logTemperature * gap, -gap)
    }

    static func temperatureStep(_ learner: SACLearner, meanLogProbability: Float) {
        let (_, gradient) = temperatureLoss(logTemperature: learner.logTemperature[0],
                                            meanLogProbability: meanLogProbability, targetEntropy: learner.targetEntropy)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 1) { g in
            g[0] = gradient
            learner.logTemperature.withUnsafeMutableBufferPointer { p in
                learner.temperatureAdam.step(parameters: p, gradients: UnsafeBufferPointer(g),
                                             learningRate: learner.config.temperatureLearningRate)
            }
        }
    }
}
