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

    public init() {}
}
