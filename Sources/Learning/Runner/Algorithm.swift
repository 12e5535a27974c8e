import PolicyFormat

/// rsl_rl's seam between a runner and a learning algorithm: the runner owns the environment
/// (simulated or a robot session) and calls, per control step,
///
///     algorithm.act(observations) → actions ─▶ environment.step ─▶ algorithm.observe(outcome)
///     if algorithm.updateIsDue { algorithm.update() }
///
/// so PPO and the off-policy learner plug into the same runner, and an algorithm never sees
/// where its transitions came from. Buffers follow `BatchedEnvironment`'s layout (rows of
/// `count` envs); actions are the environment's, in [−1, 1].
public protocol Algorithm: AnyObject {
    /// Control steps per env in one iteration (one metrics row).
    var stepsPerIteration: Int { get }

    /// Actions for the current observations (`count` rows, raw), written into `actions`
    /// (`count` × actionSize). Exploration happens here.
    func act(observations: UnsafeBufferPointer<Float>, into actions: UnsafeMutableBufferPointer<Float>)

    /// The outcome of the step just taken with the actions of the last `act`.
    func observe(_ outcome: StepOutcome)

    /// Whether `update` should run now (PPO: the rollout is full; SAC: after warm-up, every step).
    var updateIsDue: Bool { get }

    /// Learn from what was observed.
    func update()

    /// Write the losses since the last call into `statistics` and start afresh.
    func finishIteration(into statistics: inout TrainingStatistics)

    /// The deterministic policy as a `.policy` file: normaliser, mean network, action scaling.
    func exportPolicy(layout: ObservationLayout, robotIdentity: UInt64, robotName: String,
                      controlRateHz: Double, notes: String) -> PolicyFile
}

/// What one environment step returned, as views of the environment's buffers (valid until its
/// next step). See `BatchedEnvironment` for each buffer's meaning.
public struct StepOutcome {
    public var count: Int
    public var observationSize: Int
    /// After auto-reset: the next step's observations.
    public var observations: UnsafeBufferPointer<Float>
    /// The ended episodes' last observations (rows with `terminated` or `truncated` set).
    public var finalObservations: UnsafeBufferPointer<Float>
    public var rewards: UnsafeBufferPointer<Float>
    public var terminated: UnsafeBufferPointer<UInt8>
    public var truncated: UnsafeBufferPointer<UInt8>

    public init(count: Int, observationSize: Int, observations: UnsafeBufferPointer<Float>,
                finalObservations: UnsafeBufferPointer<Float>, rewards: UnsafeBufferPointer<Float>,
                terminated: UnsafeBufferPointer<UInt8>, truncated: UnsafeBufferPointer<UInt8>) {
        self.count = count
        self.observationSize = observationSize
        self.observations = observations
        self.finalObservations = finalObservations
        self.rewards = rewards
        self.terminated = terminated
        self.truncated = truncated
    }

    /// The outcome of `environment`'s last step.
    public init(of environment: any BatchedEnvironment) {
        self.init(count: environment.count, observationSize: environment.observationSize,
                  observations: environment.observations, finalObservations: environment.finalObservations,
                  rewards: environment.rewards, terminated: environment.terminated, truncated: environment.truncated)
    }

    /// Row `e` of the observation that follows the transition for value targets: the final
    /// observation where the episode ended, otherwise the next observation.
    @inlinable
    public func successor(_ e: Int) -> UnsafeBufferPointer<Float> {
        let ended = terminated[e] != 0 || truncated[e] != 0
        let source = ended ? finalObservations : observations
        return UnsafeBufferPointer(rebasing: source[(e * observationSize)..<((e + 1) * observationSize)])
    }
}
