/// The numbers of the stopping envelope (`StoppingEnvelope`): one definition, read by the
/// controller (`SafetyLimits.envelope`, where `run`'s flags may change the duty limit) and by the
/// simulator (each env applies the same envelope to the duty it sends, so a policy learns inside
/// the rule the robot enforces). The soft limit and the arm come from robot.yaml; the rest are
/// the defaults below, with their reasons.
public struct StoppingEnvelopeLimits: Sendable, Equatable, Codable {
    /// Arm soft limit |θ| ≤ θ_lim, rad (robot.yaml `arm.soft_limit_rad`, 2.0 for the shipped
    /// robot): the predicted stop must stay inside it.
    public var armSoftLimitRad: Double
    /// |duty| cap D: full braking is −sign(ω)·D, and the worst outward drive is +D.
    public var dutyLimit = 1.0
    /// The arm's inertia and drive (robot.yaml's nominal motor).
    public var arm: ArmDynamics
    /// Predicted stopping distances are multiplied by this (model error, the pendulum's reaction
    /// on the arm, a weaker supply).
    public var stoppingDistanceFactor = 1.3
    /// Periods of full outward duty assumed before a brake takes effect: one for the command to
    /// arrive if a frame is lost (the next request re-sends it), one for the sample's age and the
    /// mean-velocity estimate's half-period lag, rounded up.
    public var brakeLatencyPeriods = 2.0
    /// Below this |θ̇| (rad/s) the envelope blocks outward duty instead of braking, and a safe
    /// stop goes from braking to duty 0.
    public var brakeMinimumSpeedRadPerS = 0.5

    public init(armSoftLimitRad: Double, arm: ArmDynamics) {
        self.armSoftLimitRad = armSoftLimitRad
        self.arm = arm
    }

    /// The defaults for a robot: its soft limit and arm, everything else as documented above.
    public init(robot: RobotParameters) {
        self.init(armSoftLimitRad: robot.arm.softLimitRad, arm: ArmDynamics(robot: robot))
    }
}
