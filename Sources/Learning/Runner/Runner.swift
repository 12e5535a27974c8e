import MonotonicTime

/// Drives an `Algorithm` on a `BatchedEnvironment` (rsl_rl's OnPolicyRunner, for both kinds of
/// learner): act, step, observe, update when due; one `iterate()` is `stepsPerIteration`
/// control steps and yields one metrics row. It keeps the episode bookkeeping (returns,
/// lengths, steps) so an algorithm only learns.
public final class Runner {
    public let environment: any BatchedEnvironment
    public let algorithm: any Algorithm
    public private(set) var state: State
    private var actions: [Float]

    /// The runner's counters, for checkpoints.
    public struct State: Sendable, Codable, Equatable {
        public var iteration = 0
        public var environmentSteps = 0
        var episodeReturns: [Float]
        var episodeLengths: [Int]
    }

    /// Starts every env on a fresh episode from `seed`.
    public init(environment: any BatchedEnvironment, algorithm: any Algorithm, seed: UInt64) {
        self.environment = environment
        self.algorithm = algorithm
        state = State(episodeReturns: Array(repeating: 0, count: environment.count),
                      episodeLengths: Array(repeating: 0, count: environment.count))
        actions = Array(repeating: 0, count: environment.count * environment.actionSize)
        environment.reset(seed: seed)
    }

    public var iteration: Int { state.iteration }
    public var environmentSteps: Int { state.environmentSteps }

    /// Continue from saved counters (the environment and algorithm restore their own state).
    public func restore(_ saved: State) throws(TrainerStateMismatch) {
        guard saved.episodeReturns.count == environment.count else {
            throw TrainerStateMismatch(description: "the checkpoint has \(saved.episodeReturns.count) envs, this configuration \(environment.count)")
        }
        state = saved
    }

    /// One iteration: `stepsPerIteration` control steps of every env, with the algorithm's
    /// updates where they fall due.
    @discardableResult
    public func iterate() -> TrainingStatistics {
        var stats = TrainingStatistics()
        let n = environment.count
        var ended = (returns: 0.0, lengths: 0, count: 0)
        var rewardSum = 0.0
        var collecting = 0.0, updating = 0.0
        for _ in 0..<algorithm.stepsPerIteration {
            let t0 = MonotonicClock.seconds()
            actions.withUnsafeMutableBufferPointer { algorithm.act(observations: environment.observations, into: $0) }
            actions.withUnsafeBufferPointer { environment.step(actions: $0) }
            algorithm.observe(StepOutcome(of: environment))
            state.environmentSteps += n
            for e in 0..<n {
                let r = environment.rewards[e]
                rewardSum += Double(r)
                state.episodeReturns[e] += r
                state.episodeLengths[e] += 1
                if environment.terminated[e] != 0 || environment.truncated[e] != 0 {
                    ended.returns += Double(state.episodeReturns[e])
                    ended.lengths += state.episodeLengths[e]
                    ended.count += 1
                    state.episodeReturns[e] = 0
                    state.episodeLengths[e] = 0
                }
            }
            let t1 = MonotonicClock.seconds()
            collecting += t1 - t0
            if algorithm.updateIsDue {
                algorithm.update()
                updating += MonotonicClock.seconds() - t1
            }
        }
        algorithm.finishIteration(into: &stats)
        state.iteration += 1
        stats.iteration = state.iteration
        stats.environmentSteps = state.environmentSteps
        stats.meanReward = Float(rewardSum / Double(n * algorithm.stepsPerIteration))
        stats.episodesEnded = ended.count
        if ended.count > 0 {
            stats.meanEpisodeReturn = Float(ended.returns / Double(ended.count))
            stats.meanEpisodeLength = Float(ended.lengths) / Float(ended.count)
        }
        stats.secondsCollecting = collecting
        stats.secondsUpdating = updating
        return stats
    }
}

public struct TrainerStateMismatch: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}
