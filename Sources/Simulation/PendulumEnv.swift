import Learning
import MotorModel
import PolicyFormat

/// One simulated pendulum with the sim-to-real plumbing between the policy and the physics:
///
///     action a ─ compensatedDuty (nominal motor, as the controller) ─▶ duty
///       ─ StoppingEnvelope (the controller's, same numbers) ─▶ duty ─ delay line (k steps)
///       ─▶ MotorChain (this episode's motor) ─▶ torque ─▶ MuJoCo ×substeps
///     MuJoCo angles + noise ─ encoder quantisation ─▶ counts ─ ObservationBuilder ─▶ observation
///                                                            └─▶ StoppingEnvelope.observe
///
/// The controller applies the same compensation with the nominal parameters; the physics runs the
/// episode's randomised ones, as a real robot differs from its description. The envelope sees
/// what the controller's sees (the arm angle from the counts at the sample's time) and overrides
/// the duty as the controller will (brake, or outward duty 0), so the policy learns inside it.
final class PendulumEnv: @unchecked Sendable {
    /// The physics below this env (`environment.physics`); everything above it is the same.
    let physics: any PendulumPhysicsBackend
    let nominal: RobotParameters
    let config: EnvironmentConfig
    let index: Int
    private(set) var builder: ObservationBuilder
    private var rng = Xoshiro256StarStar(seed: 0)
    /// The controller's stopping envelope (nil when `config.stoppingEnvelope` is off).
    private var envelope: StoppingEnvelope?
    /// Control steps of this episode in which the envelope braked / blocked outward duty.
    private(set) var brakingSteps = 0
    private(set) var blockedSteps = 0

    /// Commanded duty per physics step, a ring of `delayCapacity` entries.
    private var delayLine: [Double]
    private var delayHead = 0
    /// This episode's action delay, physics steps.
    private(set) var delaySteps = 0
    /// The duty that reached the H-bridge in the last physics step (for tests and the twin).
    private(set) var lastAppliedDuty = 0.0
    private var action: [Double]
    private(set) var stepCount = 0
    private let maxSteps: Int
    private let substeps: Int
    private let periodUs: Int64
    /// MuJoCo fatal errors survived by resetting the episode.
    private(set) var physicsFailures = 0

    init(template: MuJoCoModel, nominal: RobotParameters, config: EnvironmentConfig,
         layout: ObservationLayout, index: Int) throws(MuJoCoError) {
        switch config.physics {
        case .mujoco: physics = try PendulumPhysics(template: template, robot: nominal)
        case .analytic: physics = AnalyticPendulumPhysics(robot: nominal)
        }
        self.nominal = nominal
        self.config = config
        self.index = index
        builder = ObservationBuilder(layout: layout)
        let maxDelay = max(config.randomization?.delaySteps.upperBound ?? 0, config.nominalDelaySteps, 0)
        delayLine = Array(repeating: 0, count: maxDelay + 1)
        action = Array(repeating: 0, count: layout.actionCount)
        substeps = nominal.control.substepsPerControlStep
        maxSteps = Int((config.task.episodeSeconds * nominal.control.rateHz).rounded())
        periodUs = Int64((nominal.control.periodS * 1e6).rounded())
        if config.stoppingEnvelope {
            envelope = StoppingEnvelope(limits: StoppingEnvelopeLimits(robot: nominal),
                                        periodSeconds: nominal.control.periodS)
        }
    }

    /// Start episode `episode` of this env under `seed`: draw the physics, place the pendulum,
    /// write the first observation.
    func reset(seed: UInt64, episode: UInt64, observation: UnsafeMutableBufferPointer<Float>) {
        rng = Xoshiro256StarStar(seed: seed, stream: UInt64(index) << 32 | (episode & 0xffff_ffff))
        if let randomization = config.randomization {
            let (robot, delay) = randomization.sample(nominal, &rng)
            physics.apply(robot)
            delaySteps = delay
        } else {
            if physics.robot != nominal { physics.apply(nominal) }
            delaySteps = config.nominalDelaySteps
        }
        let task = config.task
        let start = task.startPendulumAngle
        do {
            try physics.reset(
                armAngle: 0,
                pendulumAngle: start + task.initialAngleNoise * rng.nextGaussian(),
                armVelocity: task.initialVelocityNoise * rng.nextGaussian(),
                pendulumVelocity: task.initialVelocityNoise * rng.nextGaussian())
        } catch {
            physicsFailures += 1
        }
        for i in delayLine.indices { delayLine[i] = 0 }
        delayHead = 0
        lastAppliedDuty = 0
        stepCount = 0
        for i in action.indices { action[i] = 0 }
        builder.reset()
        envelope?.reset()
        brakingSteps = 0
        blockedSteps = 0
        sample(into: observation)
    }

    /// Advance one control step with action `a`; returns the reward and whether the episode
    /// terminated or was truncated. `observation` receives the next observation.
    func step(action a: Double, observation: UnsafeMutableBufferPointer<Float>)
        -> (reward: Double, terminated: Bool, truncated: Bool) {
        let clipped = a.isFinite ? min(max(a, -1), 1) : 0
        var duty = compensatedDuty(action: clipped, nominal.motor)
        var acted = EnvelopeAction.none
        if let envelope { (duty, acted) = envelope.decide(duty: duty) }
        switch acted {
        case .none: break
        case .braking: brakingSteps += 1
        case .outwardBlocked: blockedSteps += 1
        }
        var failed = false
        for _ in 0..<substeps {
            // Push the commanded duty; the H-bridge gets the one pushed `delaySteps` steps ago.
            delayLine[delayHead] = duty
            let count = delayLine.count
            lastAppliedDuty = delayLine[(delayHead - delaySteps + count) % count]
            delayHead = (delayHead + 1) % count
            do { try physics.step(duty: lastAppliedDuty) } catch { failed = true; break }
        }
        stepCount += 1
        action[0] = clipped
        let limit = nominal.arm.softLimitRad
        let task = config.task
        if failed {
            physicsFailures += 1
            return (task.terminationPenalty, true, false)
        }
        var reward = task.reward(armAngle: physics.armAngle, armLimit: limit,
                                 pendulumAngle: physics.pendulumAngle,
                                 armVelocity: physics.armVelocity, pendulumVelocity: physics.pendulumVelocity,
                                 action: clipped)
        if acted != .none { reward -= task.envelopePenalty }
        let terminated = task.isTerminal(armAngle: physics.armAngle, armLimit: limit)
        if terminated { reward += task.terminationPenalty }
        sample(into: observation)
        return (reward, terminated, !terminated && stepCount >= maxSteps)
    }

    /// Everything that decides this env's future, for checkpoints.
    struct Snapshot: Sendable, Codable, Equatable {
        var robot: RobotParameters
        var physics: MuJoCoData.State
        var motorLag: Double
        var builder: ObservationBuilder
        var rng: Xoshiro256StarStar
        var delayLine: [Double]
        var delayHead: Int
        var delaySteps: Int
        var lastAppliedDuty: Double
        var action: [Double]
        var stepCount: Int
        var physicsFailures: Int
        /// nil in checkpoints written before the simulator applied the envelope.
        var envelope: EnvelopeSnapshot?
    }

    struct EnvelopeSnapshot: Sendable, Codable, Equatable {
        var state: StoppingEnvelope.State?
        var brakingSteps: Int
        var blockedSteps: Int
    }

    var snapshot: Snapshot {
        Snapshot(robot: physics.robot, physics: physics.state, motorLag: physics.motor.lag.value,
                 builder: builder, rng: rng, delayLine: delayLine, delayHead: delayHead, delaySteps: delaySteps,
                 lastAppliedDuty: lastAppliedDuty, action: action, stepCount: stepCount, physicsFailures: physicsFailures,
                 envelope: EnvelopeSnapshot(state: envelope?.state, brakingSteps: brakingSteps, blockedSteps: blockedSteps))
    }

    func restore(_ s: Snapshot) throws(MuJoCoError) {
        guard s.delayLine.count == delayLine.count, s.action.count == action.count,
              s.builder.layout == builder.layout else {
            throw MuJoCoError("saved env state does not fit this environment's configuration")
        }
        physics.apply(s.robot)
        try physics.restore(s.physics)
        physics.motor.lag.value = s.motorLag
        builder = s.builder
        rng = s.rng
        delayLine = s.delayLine
        delayHead = s.delayHead
        delaySteps = s.delaySteps
        lastAppliedDuty = s.lastAppliedDuty
        action = s.action
        stepCount = s.stepCount
        physicsFailures = s.physicsFailures
        if let saved = s.envelope?.state { envelope?.restore(saved) } else { envelope?.reset() }
        brakingSteps = s.envelope?.brakingSteps ?? 0
        blockedSteps = s.envelope?.blockedSteps ?? 0
    }

    /// Read the encoders as the firmware would (noise, then quantisation to counts) and build
    /// the observation at the current control tick.
    private func sample(into observation: UnsafeMutableBufferPointer<Float>) {
        let noise = config.encoderNoiseCounts
        let arm = nominal.arm, pendulum = nominal.pendulum
        let armCounts = arm.encoderCounts(
            forAngleRad: physics.armAngle + noise * arm.encoderResolutionRad * rng.nextGaussian())
        let pendulumCounts = pendulum.encoderCounts(
            forAngleRad: physics.pendulumAngle + noise * pendulum.encoderResolutionRad * rng.nextGaussian())
        let timeUs = Int64(stepCount) * periodUs
        action.withUnsafeBufferPointer { previous in
            builder.observe(armCounts: armCounts, pendulumCounts: pendulumCounts,
                            timeUs: timeUs, previousAction: previous, into: observation)
        }
        // The controller's envelope takes the angle its builder made from the same counts.
        envelope?.observe(angle: builder.armAngle, deviceMicroseconds: UInt64(timeUs))
    }
}
