import Testing
import PolicyFormat
@testable import Learning

@Suite("SAC learns", .serialized)
struct SACTrainingTests {
    /// Mean return of a deterministic controller over 64 point-mass episodes of 100 steps.
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

    func policy(_ learner: SACLearner, _ environment: PointMassEnvironment) throws -> FrozenPolicy {
        try FrozenPolicy(learner.exportPolicy(layout: environment.observationLayout, robotIdentity: 1, robotName: "pm",
                                              controlRateHz: 20, notes: ""))
    }

    static func config() -> SACConfig {
        var c = SACConfig()
        c.seed = 2
        c.actorHiddenWidths = [32, 32]
        c.criticHiddenWidths = [32, 32]
        c.batchSize = 64
        c.updatesPerStep = 2
        c.policyDelay = 2
        c.learningStarts = 300
        c.stepsPerIteration = 100
        c.noiseSequenceLength = 100
        return c
    }

    @Test func holdsThePointMassAtTheOriginAfterTwoThousandSteps() throws {
        let environment = PointMassEnvironment(count: 1)
        let learner = SACLearner(config: Self.config(), environment: environment)
        let runner = Runner(environment: environment, algorithm: learner, seed: 5)
        let untrained = try policy(learner, environment)
        let before = evaluate { untrained.action(for: $0)[0] }
        for _ in 0..<20 {
            let stats = runner.iterate()
            #expect(stats.valueLoss.isNaN || stats.valueLoss.isFinite)
        }
        let trained = try policy(learner, environment)
        let learned = evaluate { trained.action(for: $0)[0] }
        let pd = evaluate { min(max(-2 * $0[0] - 2 * $0[1], -1), 1) }
        let idle = evaluate { _ in 0 }
        let smooth = learner.explorationSmoothness
        print("SAC point mass after \(runner.environmentSteps) steps, \(learner.gradientSteps) updates: learned \(learned), untrained \(before), PD \(pd), zero action \(idle); exploration mean |Δa| \(smooth.executedMeanAbsDelta) vs i.i.d. \(smooth.independentMeanAbsDelta)")
        #expect(learned > idle + 0.5 * (pd - idle))
        #expect(learned > before + 0.5 * (pd - before))
        #expect(smooth.executedMeanAbsDelta < smooth.independentMeanAbsDelta)
    }

    @Test func learnsFromTransitionsRecordedElsewhere() throws {
        // Transitions from a scripted, noisy controller (not the learner's act), fed through
        // `ingest` as a robot session would: the learner's policy must beat doing nothing.
        let recorder = PointMassEnvironment(count: 1)
        recorder.reset(seed: 17)
        var rng = Xoshiro256StarStar(seed: 4)
        var transitions: [Transition] = []
        for _ in 0..<2000 {
            let observation = Array(recorder.observations)
            let action = Float(max(-1, min(1, rng.nextGaussian())))
            [action].withUnsafeBufferPointer { recorder.step(actions: $0) }
            let ended = recorder.terminated[0] != 0 || recorder.truncated[0] != 0
            transitions.append(Transition(observation: observation, action: [action], reward: recorder.rewards[0],
                                          nextObservation: Array(ended ? recorder.finalObservations : recorder.observations),
                                          terminated: recorder.terminated[0] != 0, truncated: recorder.truncated[0] != 0))
        }
        let record = EpisodeRecord(layout: recorder.observationLayout, transitions: transitions)
        let learner = SACLearner(config: Self.config(), environmentCount: 1, observationSize: 2, actionSize: 1)
        learner.ingest(record.transitions)
        for _ in 0..<2500 { learner.gradientStep() }
        let trained = try policy(learner, recorder)
        let learned = evaluate { trained.action(for: $0)[0] }
        let idle = evaluate { _ in 0 }
        let pd = evaluate { min(max(-2 * $0[0] - 2 * $0[1], -1), 1) }
        print("SAC from recorded transitions: learned \(learned), zero action \(idle), PD \(pd)")
        #expect(learned > idle + 0.3 * (pd - idle))
    }
}
