import MotorModel

/// Every limit the controller enforces, with its default and the reason for it. `docs/controller.md`
/// lists them in a table; `furuta-controller run --help` exposes the ones worth tuning.
public struct SafetyLimits: Sendable, Equatable, Codable {
    /// Arm soft limit |θ| ≤ θ_lim, rad (robot.yaml `arm.soft_limit_rad`, 2.0 for the shipped robot).
    /// Beyond it only duty that turns the arm back inward is passed; outward duty becomes 0.
    public var armSoftLimitRad: Double
    /// Hysteresis h, rad: once beyond θ_lim, the arm counts as inside again only at |θ| < θ_lim − h;
    /// the policy never engages (homing → running) outside θ_lim − h either.
    public var armHysteresisRad = 0.2
    /// Beyond θ_lim + this, rad, the run stops (the arm overshot the soft limit by too much).
    public var armHardMarginRad = 0.35
    /// Longest continuous time beyond θ_lim before the run stops, s (a policy pinned at the limit).
    public var maxSecondsOutsideLimit = 0.5
    /// |duty| cap applied by the host, and configured as the firmware's own duty limit.
    public var dutyLimit = 1.0
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

    public init(armSoftLimitRad: Double) {
        self.armSoftLimitRad = armSoftLimitRad
    }

    /// The defaults for a robot: its soft limit, everything else as documented above.
    public init(robot: RobotParameters) {
        self.init(armSoftLimitRad: robot.arm.softLimitRad)
    }

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
        return found
    }
}
