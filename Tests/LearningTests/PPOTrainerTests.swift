import Testing
import PolicyFormat
@testable import Learning

@Suite("PPO training loop and export", .serialized)
struct PPOTrainerTests {
    static func smallConfig(seed: UInt64 = 3) -> PPOConfig {
        var config = PPOConfig()
        config.seed = seed
        config.hiddenWidths = [32, 32]
        config.stepsPerEnvironment = 64
        config.minibatches = 4
        config.epochs = 5
        config.learningRate = 1e-3
        config.entropyCoefficient = 0
        return config
    }

    /// A PPO learner and the runner that drives it on `environment`.
    static func trained(_ config: PPOConfig, _ environment: PointMassEnvironment) -> (PPOTrainer, Runner) {
        let trainer = PPOTrainer(config: config, environment: environment)
        return (trainer, Runner(environment: environment, algorithm: trainer, seed: config.seed &+ 100))
    }

    static func export(_ trainer: PPOTrainer, _ environment: PointMassEnvironment) -> PolicyFile {
        trainer.exportPolicy(layout: environment.observationLayout, robotIdentity: 42, robotName: "point-mass",
                             controlRateHz: 20, notes: "")
    }

    @Test func exportedPolicyGivesBitIdenticalActionsToTheTrainersDeterministicPolicy() throws {
        var config = Self.smallConfig()
        config.hiddenWidths = [64, 64]
        for squash in ActionScaling.Squash.allCases {
            config.actionSquash = squash
            let environment = PointMassEnvironment(count: 16)
            let (trainer, runner) = Self.trained(config, environment)
            runner.iterate()   // non-trivial normaliser statistics and weights
            let file = Self.export(trainer, environment)
            let frozen = try FrozenPolicy(decoding: try file.encoded())
            #expect(frozen.file.normalization == trainer.observationNormalization)
            var rng = Xoshiro256StarStar(seed: 77)
            var mismatches = 0
            var fromTrainer: [Float] = [0], fromFile: [Float] = [0]
            for _ in 0..<10_000 {
                let observation: [Float] = [Float(rng.nextGaussian() * 2), Float(rng.nextGaussian() * 3)]
                observation.withUnsafeBufferPointer { o in
                    fromTrainer.withUnsafeMutableBufferPointer { trainer.deterministicAction(observation: o, into: $0) }
                    fromFile.withUnsafeMutableBufferPointer { frozen.act(observation: o, action: $0) }
                }
                if fromTrainer[0].bitPattern != fromFile[0].bitPattern { mismatches += 1 }
            }
            #expect(mismatches == 0, "squash \(squash)")
        }
    }

    @Test func sameSeedGivesTheSameRun() {
        let (a, runnerA) = Self.trained(Self.smallConfig(seed: 5), PointMassEnvironment(count: 8))
        let (b, runnerB) = Self.trained(Self.smallConfig(seed: 5), PointMassEnvironment(count: 8))
        for _ in 0..<2 { runnerA.iterate(); runnerB.iterate() }
        #expect(a.policy.mean.parameters == b.policy.mean.parameters)
        #expect(a.critic.parameters == b.critic.parameters)
        #expect(a.normalizer == b.normalizer)
    }

    @Test func learnsToHoldThePointMassAtTheOrigin() {
        // 32 envs × 64 steps per iteration; episodes of 100 steps with reward ≤ 1 per step.
        let environment = PointMassEnvironment(count: 32)
        let (trainer, runner) = Self.trained(Self.smallConfig(), environment)
        var returns: [Float] = []
        for _ in 0..<60 {
            let stats = runner.iterate()
            #expect(stats.policyLoss.isFinite && stats.valueLoss.isFinite)
            if stats.episodesEnded > 0 { returns.append(stats.meanEpisodeReturn) }
        }
        let early = returns.prefix(3).reduce(0, +) / 3
        let late = returns.suffix(5).reduce(0, +) / 5
        // Deterministic evaluation of the exported policy against a PD controller.
        func evaluate(_ act: ([Float]) -> Float) -> Float {
            let env = PointMassEnvironment(count: 64)
            env.reset(seed: 999)
            var total: Float = 0
            var actions = [Float](repeating: 0, count: 64)
            for _ in 0..<100 {
                for e in 0..<64 { actions[e] = act([env.observations[2 * e], env.observations[2 * e + 1]]) }
                actions.withUnsafeBufferPointer { env.step(actions: $0) }
                for e in 0..<64 { total += env.rewards[e] }
            }
            return total / 64
        }
        let frozen = try! FrozenPolicy(Self.export(trainer, environment))
        let learned = evaluate { frozen.action(for: $0)[0] }
        let pd = evaluate { min(max(-2 * $0[0] - 2 * $0[1], -1), 1) }
        let idle = evaluate { _ in 0 }
        print("point mass: early return \(early), late \(late); deterministic learned \(learned), PD \(pd), zero action \(idle)")
        #expect(late > early + 10)
        #expect(learned > idle + 0.5 * (pd - idle))
    }
}
