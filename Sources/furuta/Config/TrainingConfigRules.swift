import RobotDescription
import Simulation
import Trainer

/// The ranges of `furuta train`'s keys (see `--print-config`). Upper bounds are generous but
/// finite: they keep a typo (`historyLength=100000`, `hiddenWidths=[1e5,1e5]`) from allocating
/// gigabytes or running for ever, and a value outside them is an error before the run starts
/// instead of a crash, a hang or a silent 100 % after it.
extension TrainingConfig: CheckedConfiguration {
    /// Rollout transitions per iteration (envs × steps) the trainer's buffers are sized for at
    /// most: 2²⁴ × (observation + value + …) floats stays within a few GB.
    static let maximumTransitionsPerIteration = 1 << 24

    var ruleViolations: [String] {
        var rules = ConfigurationRules()
        let p = ppo
        rules.integer("ppo.stepsPerEnvironment", p.stepsPerEnvironment, .closed(1, 100_000))
        rules.integer("ppo.epochs", p.epochs, .closed(1, 1000))
        rules.integer("ppo.minibatches", p.minibatches, .closed(1, 65_536))
        rules.number("ppo.gamma", p.gamma, .above(0, upTo: 1))
        rules.number("ppo.gaeLambda", p.gaeLambda, .closed(0, 1))
        rules.number("ppo.clipRange", p.clipRange, .above(0, upTo: 1))
        rules.number("ppo.valueCoefficient", p.valueCoefficient, .closed(0, 1000))
        rules.number("ppo.entropyCoefficient", p.entropyCoefficient, .closed(0, 10))
        rules.number("ppo.learningRate", p.learningRate, .above(0, upTo: 1))
        if let kl = p.targetKL { rules.number("ppo.targetKL", kl, .above(0, upTo: 10)) }
        rules.number("ppo.minimumLearningRate", p.minimumLearningRate, .above(0, upTo: 1))
        rules.number("ppo.maximumLearningRate", p.maximumLearningRate, .above(0, upTo: 1))
        rules.require(!(p.minimumLearningRate > p.maximumLearningRate), "ppo.minimumLearningRate",
                      "\(p.minimumLearningRate) is above ppo.maximumLearningRate \(p.maximumLearningRate)")
        rules.number("ppo.maxGradientNorm", p.maxGradientNorm, .above(0, upTo: 1e6))
        rules.integer("ppo.hiddenWidths (number of layers)", p.hiddenWidths.count, .closed(1, 8))
        for (i, width) in p.hiddenWidths.enumerated() { rules.integer("ppo.hiddenWidths[\(i)]", width, .closed(1, 4096)) }
        rules.number("ppo.initialLogStd", p.initialLogStd, .closed(-20, 5))
        rules.number("ppo.observationClip", p.observationClip, .above(0, upTo: 1e6))
        rules.integer("ppo.blasThreads", p.blasThreads, .closed(1, 256))

        let e = environment
        rules.integer("environment.count", e.count, .closed(1, 65_536))
        rules.integer("environment.threads", e.threads, .closed(1, 256))
        rules.integer("environment.historyLength", e.historyLength, .closed(0, 256))
        // The observation builder's velocity filter v ← β·v + (1 − β)·Δθ/Δt needs 0 < β ≤ 1.
        rules.number("environment.velocitySmoothing", e.velocitySmoothing, .above(0, upTo: 1))
        rules.number("environment.encoderNoiseCounts", e.encoderNoiseCounts, .closed(0, 10_000))
        rules.integer("environment.nominalDelaySteps", e.nominalDelaySteps, .closed(0, 100))
        if let r = e.randomization {
            let key = "environment.randomization"
            for (name, scale) in [("massScale", r.massScale), ("lengthScale", r.lengthScale),
                                  ("frictionScale", r.frictionScale), ("dampingScale", r.dampingScale),
                                  ("motorConstantScale", r.motorConstantScale), ("resistanceScale", r.resistanceScale),
                                  ("lagScale", r.lagScale)] {
                rules.bounds("\(key).\(name)", scale, .above(0, upTo: 10))
            }
            rules.bounds("\(key).deadzoneOffset", r.deadzoneOffset, .closed(-0.5, 0.5))
            rules.bounds("\(key).biasOffset", r.biasOffset, .closed(-0.5, 0.5))
            rules.bounds("\(key).delaySteps", r.delaySteps, .closed(0, 100))
        }
        let t = e.task
        rules.number("environment.task.armAngleWeight", t.armAngleWeight, .closed(0, 1e6))
        rules.number("environment.task.actionWeight", t.actionWeight, .closed(0, 1e6))
        rules.number("environment.task.armSpeedWeight", t.armSpeedWeight, .closed(0, 1e6))
        rules.number("environment.task.terminationPenalty", t.terminationPenalty, .closed(-1e6, 0))
        rules.number("environment.task.envelopePenalty", t.envelopePenalty, .closed(0, 1e6))
        rules.number("environment.task.episodeSeconds", t.episodeSeconds, .above(0, upTo: 3600))
        rules.number("environment.task.startPendulumAngle", t.startPendulumAngle, .closed(-2 * .pi, 2 * .pi))
        rules.number("environment.task.initialAngleNoise", t.initialAngleNoise, .closed(0, .pi))
        rules.number("environment.task.initialVelocityNoise", t.initialVelocityNoise, .closed(0, 100))
        let transitions = e.count.multipliedReportingOverflow(by: p.stepsPerEnvironment)
        rules.require(!transitions.overflow && transitions.partialValue <= Self.maximumTransitionsPerIteration,
                      "environment.count", "\(e.count) envs × ppo.stepsPerEnvironment \(p.stepsPerEnvironment) "
                          + "transitions per iteration exceed \(Self.maximumTransitionsPerIteration)")
        rules.require(p.minibatches <= transitions.partialValue || transitions.overflow, "ppo.minibatches",
                      "\(p.minibatches) minibatches of \(transitions.partialValue) transitions leave some empty")

        let v = evaluation
        rules.integer("evaluation.everyIterations", v.everyIterations, .closed(1, 1_000_000))
        // 0 is allowed: every evaluation then counts as a success (the progress-line tests use it).
        rules.number("evaluation.successRate", v.successRate, .closed(0, 1))
        rules.integer("evaluation.consecutiveSuccessesToStop", v.consecutiveSuccessesToStop, .closed(1, 1000))
        rules.integer("evaluation.confirmationEpisodes", v.confirmationEpisodes, .closed(0, 100_000))
        rules.number("evaluation.confirmationSuccessRate", v.confirmationSuccessRate, .closed(0, 1))
        rules.integer("evaluation.settings.episodes", v.settings.episodes, .closed(1, 100_000))
        rules.number("evaluation.settings.episodeSeconds", v.settings.episodeSeconds, .above(0, upTo: 3600))
        rules.number("evaluation.settings.holdSeconds", v.settings.holdSeconds, .above(0, upTo: 3600))
        rules.require(!(v.settings.holdSeconds > v.settings.episodeSeconds), "evaluation.settings.holdSeconds",
                      "\(v.settings.holdSeconds) s is longer than evaluation.settings.episodeSeconds \(v.settings.episodeSeconds) s")
        rules.number("evaluation.settings.uprightTolerance", v.settings.uprightTolerance, .above(0, upTo: .pi))
        rules.integer("evaluation.settings.threads", v.settings.threads, .closed(1, 256))

        rules.number("maxSeconds", maxSeconds, .above(0, upTo: 1e7))
        rules.integer("maxEnvironmentSteps", maxEnvironmentSteps, .closed(1, 1e15))
        rules.number("checkpointEverySeconds", checkpointEverySeconds, .above(0, upTo: 1e6))
        return rules.violations
    }
}
