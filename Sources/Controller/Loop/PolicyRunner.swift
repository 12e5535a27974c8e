import MotorModel
import PolicyFormat

/// The policy side of one tick, exactly as in simulation (Sources/Simulation/PendulumEnv.swift):
///
///     counts, time ─ ObservationBuilder(layout of the policy file) ─▶ observation
///     observation ─ FrozenPolicy ─▶ raw action ─ clip to [−1, 1] ─▶ a
///     a ─ compensatedDuty(nominal motor from robot.yaml) ─▶ duty
///
/// and a (clipped, as in simulation) enters the next observation's history. All buffers are
/// allocated in `init`; `observe`/`act` allocate nothing.
public final class PolicyRunner {
    public let policy: FrozenPolicy
    public let motor: MotorParameters
    private var builder: ObservationBuilder
    private let observation: UnsafeMutableBufferPointer<Float>
    private let action: UnsafeMutableBufferPointer<Float>
    private let previousAction: UnsafeMutableBufferPointer<Double>
    /// When set, chooses the actions instead of the network (capture's excitation,
    /// Sources/Controller/Capture); the observation and safety path stay the same.
    public var actionSource: (any ActionSource)?
    /// Device time of the last observed sample, µs.
    public private(set) var lastTimeMicroseconds: Int64 = 0
    /// Exploration for training sessions: added to the raw action, one value per policy step
    /// (repeating), before clipping; empty (the default) for deterministic deployment.
    public var explorationNoise: [Double] = []
    private var noiseIndex = 0

    public init(policy: FrozenPolicy, motor: MotorParameters) {
        self.policy = policy
        self.motor = motor
        let layout = policy.file.observationLayout
        builder = ObservationBuilder(layout: layout)
        observation = .allocate(capacity: layout.size)
        observation.initialize(repeating: 0)
        action = .allocate(capacity: layout.actionCount)
        action.initialize(repeating: 0)
        previousAction = .allocate(capacity: layout.actionCount)
        previousAction.initialize(repeating: 0)
    }

    deinit {
        observation.deallocate()
        action.deallocate()
        previousAction.deallocate()
    }

    /// Starts an episode: velocities zero, history refilled from the next sample, previous
    /// action zero (as the simulator's reset does).
    public func reset() {
        builder.reset()
        for i in previousAction.indices { previousAction[i] = 0 }
        noiseIndex = 0
    }

    /// Feeds one sample (counts relative to the zeros, device time µs) to the builder.
    public func observe(armCounts: Int32, pendulumCounts: Int32, timeMicroseconds: Int64) {
        lastTimeMicroseconds = timeMicroseconds
        builder.observe(armCounts: armCounts, pendulumCounts: pendulumCounts, timeUs: timeMicroseconds,
                        previousAction: UnsafeBufferPointer(previousAction), into: observation)
    }

    public var armAngle: Double { builder.armAngle }
    public var pendulumAngle: Double { builder.pendulumAngle }
    public var armVelocity: Double { builder.armVelocityEstimate }
    public var pendulumVelocity: Double { builder.pendulumVelocityEstimate }

    /// Runs the network on the last observation. Returns the raw action (may be non-finite: the
    /// caller checks) and records the clipped one as "previous action" for the next sample.
    public func act() -> Double {
        var raw: Double
        if let actionSource {
            raw = actionSource.action(for: self)
        } else {
            policy.act(observation: observation, action: action)
            raw = Double(action[0])
            if !explorationNoise.isEmpty {
                raw += explorationNoise[noiseIndex % explorationNoise.count]
                noiseIndex += 1
            }
        }
        previousAction[0] = raw.isFinite ? min(max(raw, -1), 1) : 0
        return raw
    }

    /// Records the action actually applied when the policy did not choose it (homing, stop).
    public func recordAppliedAction(_ a: Double) { previousAction[0] = a }

    /// a → duty with the nominal motor model (deadzone, bias and gear gain compensation).
    public func duty(forAction a: Double) -> Double {
        compensatedDuty(action: min(max(a, -1), 1), motor)
    }
}

/// Something other than the network that picks the running phase's action from the runner's
/// state (angles, velocities, `lastTimeMicroseconds`). Called on the loop thread: allocate nothing.
public protocol ActionSource: AnyObject {
    func action(for runner: PolicyRunner) -> Double
}
