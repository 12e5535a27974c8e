import Learning
import MotorModel
import PolicyFormat
import RobotDescription

/// A batch of simulated Furuta pendulums doing the swing-up task, stepped on worker threads.
/// See `BatchedEnvironment` for the buffers' meaning and `PendulumEnv` for one pendulum's chain.
public final class FurutaEnvironment: BatchedEnvironment, @unchecked Sendable {
    public let count: Int
    public let observationLayout: ObservationLayout
    public var observationSize: Int { observationLayout.size }
    public let actionSize = 1
    public let config: EnvironmentConfig
    public let robot: RobotParameters

    private let envs: [PendulumEnv]
    private let obs: UnsafeMutableBufferPointer<Float>
    private let finalObs: UnsafeMutableBufferPointer<Float>
    private let rewardBuffer: UnsafeMutableBufferPointer<Float>
    private let terminatedBuffer: UnsafeMutableBufferPointer<UInt8>
    private let truncatedBuffer: UnsafeMutableBufferPointer<UInt8>
    private var actionsForStep = UnsafeBufferPointer<Float>(start: nil, count: 0)
    private var seed: UInt64 = 0
    private let episodes: UnsafeMutableBufferPointer<UInt64>
    private var pool: WorkerPool!

    /// The observation layout for a robot and config: standard features, the config's history.
    public static func layout(for robot: RobotParameters, config: EnvironmentConfig) -> ObservationLayout {
        ObservationLayout(historyLength: config.historyLength,
                          armCountsPerRevolution: robot.arm.encoderCountsPerRevolution,
                          pendulumCountsPerRevolution: robot.pendulum.encoderCountsPerRevolution,
                          velocitySmoothing: config.velocitySmoothing)
    }

    public init(robot: RobotParameters, template: MuJoCoModel, config: EnvironmentConfig) throws(MuJoCoError) {
        precondition(config.count > 0, "at least one env")
        self.count = config.count
        self.config = config
        self.robot = robot
        let layout = Self.layout(for: robot, config: config)
        observationLayout = layout
        var envs: [PendulumEnv] = []
        for i in 0..<config.count {
            envs.append(try PendulumEnv(template: template, nominal: robot, config: config, layout: layout, index: i))
        }
        self.envs = envs
        obs = .allocate(capacity: count * layout.size)
        finalObs = .allocate(capacity: count * layout.size)
        rewardBuffer = .allocate(capacity: count)
        terminatedBuffer = .allocate(capacity: count)
        truncatedBuffer = .allocate(capacity: count)
        episodes = .allocate(capacity: count)
        obs.initialize(repeating: 0); finalObs.initialize(repeating: 0); rewardBuffer.initialize(repeating: 0)
        terminatedBuffer.initialize(repeating: 0); truncatedBuffer.initialize(repeating: 0)
        episodes.initialize(repeating: 0)
        pool = WorkerPool(count: count, threads: config.threads) { [unowned self] range in
            self.stepRange(range)
        }
    }

    /// Load the robot description's MJCF and build the batch.
    public convenience init(description: RobotDescription, config: EnvironmentConfig) throws(MuJoCoError) {
        let template = try MuJoCoModel.load(mjcfPath: description.mjcfPath)
        try self.init(robot: description.parameters, template: template, config: config)
    }

    deinit {
        pool.shutdown()
        obs.deallocate(); finalObs.deallocate(); rewardBuffer.deallocate()
        terminatedBuffer.deallocate(); truncatedBuffer.deallocate(); episodes.deallocate()
    }

    public var observations: UnsafeBufferPointer<Float> { UnsafeBufferPointer(obs) }
    public var finalObservations: UnsafeBufferPointer<Float> { UnsafeBufferPointer(finalObs) }
    public var rewards: UnsafeBufferPointer<Float> { UnsafeBufferPointer(rewardBuffer) }
    public var terminated: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(terminatedBuffer) }
    public var truncated: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(truncatedBuffer) }

    private func row(_ buffer: UnsafeMutableBufferPointer<Float>, _ i: Int) -> UnsafeMutableBufferPointer<Float> {
        let size = observationLayout.size
        return UnsafeMutableBufferPointer(rebasing: buffer[(i * size)..<((i + 1) * size)])
    }

    public func reset(seed: UInt64) {
        self.seed = seed
        for i in 0..<count {
            episodes[i] = 0
            envs[i].reset(seed: seed, episode: 0, observation: row(obs, i))
            rewardBuffer[i] = 0; terminatedBuffer[i] = 0; truncatedBuffer[i] = 0
        }
    }

    public func step(actions: UnsafeBufferPointer<Float>) {
        precondition(actions.count >= count * actionSize, "need \(count * actionSize) actions")
        actionsForStep = actions
        pool.run()
    }

    private func stepRange(_ range: Range<Int>) {
        let size = observationLayout.size
        for i in range {
            let env = envs[i]
            let result = env.step(action: Double(actionsForStep[i]), observation: row(obs, i))
            rewardBuffer[i] = Float(result.reward)
            terminatedBuffer[i] = result.terminated ? 1 : 0
            truncatedBuffer[i] = result.truncated ? 1 : 0
            if result.terminated || result.truncated {
                // Hand out the ended episode's last observation, then auto-reset.
                let base = i * size
                for k in 0..<size { finalObs[base + k] = obs[base + k] }
                episodes[i] += 1
                env.reset(seed: seed, episode: episodes[i], observation: row(obs, i))
            }
        }
    }

    // MARK: checkpoints

    /// The whole batch's state between two steps: every env, the current observations, the
    /// seed and episode counters. Restoring it continues bit for bit.
    public struct Snapshot: Sendable, Codable, Equatable {
        var seed: UInt64
        var episodes: [UInt64]
        var observations: [Float]
        var envs: [PendulumEnv.Snapshot]
    }

    public func snapshot() -> Snapshot {
        Snapshot(seed: seed, episodes: Array(episodes), observations: Array(obs), envs: envs.map(\.snapshot))
    }

    public func restore(_ snapshot: Snapshot) throws(MuJoCoError) {
        guard snapshot.envs.count == count, snapshot.observations.count == obs.count else {
            throw MuJoCoError("saved environment has \(snapshot.envs.count) envs, this one \(count)")
        }
        seed = snapshot.seed
        for i in 0..<count {
            episodes[i] = snapshot.episodes[i]
            try envs[i].restore(snapshot.envs[i])
        }
        for k in 0..<obs.count { obs[k] = snapshot.observations[k] }
    }

    // MARK: inspection (evaluation, tests, benchmarks)

    /// True physical state of env `i`: (arm angle, pendulum angle, arm velocity, pendulum velocity).
    public func state(of i: Int) -> (armAngle: Double, pendulumAngle: Double, armVelocity: Double, pendulumVelocity: Double) {
        let p = envs[i].physics
        return (p.armAngle, p.pendulumAngle, p.armVelocity, p.pendulumVelocity)
    }
    /// The duty that reached env `i`'s H-bridge in its last physics step.
    public func lastAppliedDuty(of i: Int) -> Double { envs[i].lastAppliedDuty }
    /// Env `i`'s action delay this episode, physics steps.
    public func delaySteps(of i: Int) -> Int { envs[i].delaySteps }
    /// The physics parameters env `i` runs this episode.
    public func episodeRobot(of i: Int) -> RobotParameters { envs[i].physics.robot }
    /// Control steps taken in env `i`'s current episode.
    public func stepCount(of i: Int) -> Int { envs[i].stepCount }
    /// Control steps of env `i`'s current episode in which the stopping envelope braked, and in
    /// which it blocked outward duty.
    public func envelopeSteps(of i: Int) -> (braking: Int, blocked: Int) { (envs[i].brakingSteps, envs[i].blockedSteps) }
}
