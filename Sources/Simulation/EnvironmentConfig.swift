import Learning
/// Everything that defines a batch of simulated pendulums besides the robot itself.
public struct EnvironmentConfig: Sendable, Equatable, Codable {
    /// Number of pendulums stepped together.
    public var count = 64
    /// Worker threads that step them (results do not depend on it).
    public var threads = 2
    /// Past (observation, action) pairs in each observation.
    public var historyLength = 4
    /// Velocity smoothing β of the observation builder (see `ObservationLayout`).
    public var velocitySmoothing = 0.5
    /// Standard deviation of encoder noise before quantisation, in counts.
    public var encoderNoiseCounts = 0.5
    /// Per-episode physics randomisation; `nil` means the nominal robot.
    public var randomization: DomainRandomization? = DomainRandomization()
    /// Action delay in physics steps when `randomization` is nil.
    public var nominalDelaySteps = 2
    /// The task.
    public var task = SwingUpTask()
    /// Each env filters the duty it sends through the controller's stopping envelope
    /// (`StoppingEnvelope` with `StoppingEnvelopeLimits(robot:)`, the numbers the controller
    /// uses): the policy sees the braking the robot will do. Off only to measure what it changes.
    public var stoppingEnvelope = true
    /// The physics below each env: MuJoCo (the reference) or the closed-form equations.
    public var physics = PhysicsBackendName.mujoco

    public init() {}
}

extension EnvironmentConfig {
    private enum CodingKeys: String, CodingKey {
        case count, threads, historyLength, velocitySmoothing, encoderNoiseCounts, randomization
        case nominalDelaySteps, task, stoppingEnvelope, physics
    }

    /// Decoded key by key so that checkpoints written before `stoppingEnvelope` or `physics`
    /// existed still load (they take today's defaults: the envelope on, MuJoCo).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        count = try c.decode(Int.self, forKey: .count)
        threads = try c.decode(Int.self, forKey: .threads)
        historyLength = try c.decode(Int.self, forKey: .historyLength)
        velocitySmoothing = try c.decode(Double.self, forKey: .velocitySmoothing)
        encoderNoiseCounts = try c.decode(Double.self, forKey: .encoderNoiseCounts)
        randomization = try c.decodeIfPresent(DomainRandomization.self, forKey: .randomization)
        nominalDelaySteps = try c.decode(Int.self, forKey: .nominalDelaySteps)
        task = try c.decode(SwingUpTask.self, forKey: .task)
        stoppingEnvelope = try c.decodeIfPresent(Bool.self, forKey: .stoppingEnvelope) ?? true
        physics = try c.decodeIfPresent(PhysicsBackendName.self, forKey: .physics) ?? .mujoco
    }
}
