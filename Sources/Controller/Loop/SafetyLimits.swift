import MotorModel

/// Every limit the controller enforces, with its default and the reason for it. `docs/controller.md`
/// lists them in a table; `furuta-controller run --help` exposes the ones worth tuning.
public struct SafetyLimits: Sendable, Equatable, Codable {
    /// The stopping envelope's numbers (`StoppingEnvelopeLimits`, MotorModel): the soft limit, the
    /// duty limit, the arm model and the braking assumptions. The simulator applies the same
    /// envelope with the same numbers; the properties below that forward to it are its fields.
    public var envelope: StoppingEnvelopeLimits

    /// Arm soft limit |θ| ≤ θ_lim, rad (robot.yaml `arm.soft_limit_rad`, 2.0 for the shipped robot).
    /// Beyond it only duty that turns the arm back inward is passed; outward duty becomes 0.
    public var armSoftLimitRad: Double {
        get { envelope.armSoftLimitRad }
        set { envelope.armSoftLimitRad = newValue }
    }
    /// Hysteresis h, rad: once beyond θ_lim, the arm counts as inside again only at |θ| < θ_lim − h;
    /// the policy never engages (homing → running) outside θ_lim − h either.
    public var armHysteresisRad = 0.2
    /// Beyond θ_lim + this, rad, the run stops (the arm overshot the soft limit by too much).
    public var armHardMarginRad = 0.35
    /// Longest continuous time beyond θ_lim before the run stops, s (a policy pinned at the limit).
    public var maxSecondsOutsideLimit = 0.5
    /// |duty| cap applied by the host, and configured as the firmware's own duty limit.
    public var dutyLimit: Double {
        get { envelope.dutyLimit }
        set { envelope.dutyLimit = newValue }
    }
    /// Slew limit, duty units per second: |u_k − u_{k−1}| ≤ rate · T. 150/s lets a full reversal
    /// (−1 → +1) take two 10 ms periods: it removes single-period spikes without slowing the swing.
    public var dutySlewPerSecond = 150.0
    /// |θ̇| above this (rad/s, estimated from counts) stops the run: the arm is out of control.
    public var armVelocityLimitRadPerS = 40.0
    /// |α̇| above this (rad/s) stops the run; a swing-up peaks near 20 rad/s.
    public var pendulumVelocityLimitRadPerS = 60.0
    /// Consecutive periods without a fresh state before the run stops.
    public var stalePeriods = 5
    /// Overrun bucket: each skipped period adds 1, each on-time period drains 0.1; the run stops
    /// when it exceeds this (so isolated VM hiccups pass, sustained overload does not).
    public var overrunBucketLimit = 5.0
    /// How long a safe stop waits for the device to confirm duty 0, s.
    public var stopConfirmationSeconds = 0.5

    // Where the arm stops (`StoppingEnvelope`), from the motor model: `envelope`'s fields.
    /// The arm's inertia and drive (robot.yaml's nominal motor).
    public var arm: ArmDynamics {
        get { envelope.arm }
        set { envelope.arm = newValue }
    }
    /// Predicted stopping distances are multiplied by this (1.3: model error, the pendulum's reaction).
    public var stoppingDistanceFactor: Double {
        get { envelope.stoppingDistanceFactor }
        set { envelope.stoppingDistanceFactor = newValue }
    }
    /// Periods of full outward duty assumed before a brake takes effect (2).
    public var brakeLatencyPeriods: Double {
        get { envelope.brakeLatencyPeriods }
        set { envelope.brakeLatencyPeriods = newValue }
    }
    /// Below this |θ̇| (0.5 rad/s) the envelope blocks outward duty instead of braking, and a
    /// safe stop goes from braking to duty 0.
    public var brakeMinimumSpeedRadPerS: Double {
        get { envelope.brakeMinimumSpeedRadPerS }
        set { envelope.brakeMinimumSpeedRadPerS = newValue }
    }
    /// A safe stop brakes at most this long, s (then duty 0, whatever the model says).
    public var maxBrakeSeconds = 0.4

    // Whether a state is news (`StateFreshness`).
    /// Device time may run ahead of host time between two samples by at most this, s.
    public var clockJumpToleranceSeconds = 0.05
    /// Frozen arm counts are stale once the model says the duty applied should have moved the
    /// arm by more than this many counts.
    public var frozenCountsThreshold = 20.0

    /// Lost-frame bucket: each frame the device sent that neither arrived nor arrived damaged adds
    /// 1, each period drains 0.1; the run stops above this (another program reading the port).
    public var lostFrameBucketLimit = 10.0
    /// Telemetry rows lost to write errors (full disk, closed pipe) before the run stops.
    public var telemetryLossLimit = 1000

    public init(armSoftLimitRad: Double, arm: ArmDynamics) {
        envelope = StoppingEnvelopeLimits(armSoftLimitRad: armSoftLimitRad, arm: arm)
    }

    /// The defaults for a robot: its soft limit and arm, everything else as documented above.
    public init(robot: RobotParameters) {
        envelope = StoppingEnvelopeLimits(robot: robot)
    }

    /// θ_lim + margin: where the arm must never be (fault `arm_beyond_hard_limit` if it is).
    public var armHardLimitRad: Double { armSoftLimitRad + armHardMarginRad }

    /// Problems that make these limits unusable, empty when valid.
    public var problems: [String] {
        var found: [String] = []
        if !(armSoftLimitRad > 0) { found.append("arm soft limit \(armSoftLimitRad) rad must be positive") }
        if !(armHysteresisRad >= 0 && armHysteresisRad < armSoftLimitRad) {
            found.append("arm hysteresis \(armHysteresisRad) rad must be in [0, soft limit)")
        }
        if !(dutyLimit > 0 && dutyLimit <= 1) { found.append("duty limit \(dutyLimit) must be in (0, 1]") }
        if !(dutySlewPerSecond > 0) { found.append("duty slew \(dutySlewPerSecond)/s must be positive") }
        if stalePeriods < 1 { found.append("stale periods \(stalePeriods) must be at least 1") }
        if !(arm.inertiaKgM2 > 0) { found.append("arm inertia \(arm.inertiaKgM2) kg·m² must be positive") }
        if !(stoppingDistanceFactor >= 1) { found.append("stopping distance factor \(stoppingDistanceFactor) must be at least 1") }
        if !(brakeLatencyPeriods >= 1) { found.append("brake latency \(brakeLatencyPeriods) periods must be at least 1") }
        return found
    }
}
