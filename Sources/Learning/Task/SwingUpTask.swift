#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Swing-up and balance: start hanging, bring the pendulum upright and hold it there with the
/// arm near the centre of its travel.
///
/// Reward per control step, with α the pendulum angle (0 hanging), θ the arm angle, θ_lim its
/// soft limit, θ̇ the arm speed and a ∈ [−1, 1] the action:
///
///     r = (1 − cos α)/2  −  w_θ·(θ/θ_lim)²  −  w_a·a²  −  w_ω·θ̇²  −  w_α̇·α̇²
///
/// The first term is 0 hanging and 1 upright: smooth everywhere, so swinging higher always pays,
/// and it never rewards spinning (unlike angle-based terms it does not grow with wraps). The arm
/// term keeps the arm away from its limits; the action and arm-speed terms are small (one to
/// two orders below the upright term) so they shape the balance without preventing the
/// energetic swing-up. The pendulum-speed term (off by default, as PPO trains) makes spinning
/// through the top pay less than holding it there, the local optimum an off-policy learner
/// with few samples otherwise settles in. Leaving the arm's travel ends the episode (terminated) with
/// `terminationPenalty`, the only way to lose future reward quickly.
public struct SwingUpTask: Sendable, Equatable, Codable {
    /// w_θ: weight of the squared normalised arm angle.
    public var armAngleWeight = 0.1
    /// w_a: weight of the squared action.
    public var actionWeight = 0.01
    /// w_ω: weight of the squared arm speed, per (rad/s)².
    public var armSpeedWeight = 2e-4
    /// w_α̇: weight of the squared pendulum speed, per (rad/s)².
    public var pendulumSpeedWeight = 0.0
    /// Reward added on the step that leaves the arm's travel.
    public var terminationPenalty = -10.0
    /// Subtracted on each step in which the controller's stopping envelope overrode the duty
    /// (braked, or blocked outward duty): the simulator applies the envelope (`PendulumEnv`),
    /// and this makes a policy that leans on it pay for it, besides losing the swing it wanted.
    public var envelopePenalty = 0.0
    /// Episode length, seconds (then truncated).
    public var episodeSeconds = 10.0
    /// Mean initial pendulum angle, rad: 0 hanging (swing-up), π upright (balance alone).
    public var startPendulumAngle = 0.0
    /// Standard deviation of the initial pendulum angle around its start, rad.
    public var initialAngleNoise = 0.05
    /// Standard deviation of the initial velocities, rad/s.
    public var initialVelocityNoise = 0.05

    public init() {}

    @inlinable
    public func reward(armAngle: Double, armLimit: Double, pendulumAngle: Double,
                       armVelocity: Double, pendulumVelocity: Double = 0, action: Double) -> Double {
        let upright = (1 - cos(pendulumAngle)) / 2
        let arm = armAngle / armLimit
        return upright - armAngleWeight * arm * arm - actionWeight * action * action
            - armSpeedWeight * armVelocity * armVelocity - pendulumSpeedWeight * pendulumVelocity * pendulumVelocity
    }

    /// The state the episode ends in: the arm past its soft limit (`SwingUpSuccess.leftTravel`).
    @inlinable
    public func isTerminal(armAngle: Double, armLimit: Double) -> Bool {
        SwingUpSuccess.leftTravel(armAngle: armAngle, armLimit: armLimit)
    }

    /// Whether the pendulum counts as upright: the criterion's formula (`SwingUpSuccess.isUpright`).
    @inlinable
    public static func isUpright(pendulumAngle: Double, tolerance: Double = SwingUpSuccess().uprightTolerance) -> Bool {
        SwingUpSuccess.isUpright(pendulumAngle: pendulumAngle, tolerance: tolerance)
    }

    /// The same test from cos α.
    @inlinable
    public static func isUpright(cosPendulumAngle c: Double, tolerance: Double = SwingUpSuccess().uprightTolerance) -> Bool {
        SwingUpSuccess.isUpright(cosPendulumAngle: c, tolerance: tolerance)
    }
}
