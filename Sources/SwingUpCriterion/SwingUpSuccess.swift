import Foundation

/// The deployment criterion of the swing-up task — what `furuta eval` scores in simulation, what
/// a recorded run on the robot is scored with (`furuta eval --log`) and what a training session's
/// episode counts as a success (`furuta-controller session`), from this one place:
///
///     success = the episode ran its whole length (episodeSeconds) without leaving the arm's
///               travel, and the pendulum was upright (within `uprightTolerance` rad of α = π)
///               at every control step of the last `holdSeconds`
///
/// The judgement needs only the final run of consecutive upright steps ("streak"): the last
/// holdSteps steps are all upright ⇔ the streak at the end is ≥ holdSteps.
public struct SwingUpSuccess: Sendable, Equatable, Codable {
    /// Episode length, seconds.
    public var episodeSeconds = 10.0
    /// The pendulum must be upright for this whole final stretch, seconds.
    public var holdSeconds = 5.0
    /// Upright means within this angle of α = π, rad.
    public var uprightTolerance = 0.2

    public init() {}

    /// Control steps of an episode at `periodS`: round(episodeSeconds / T).
    public func episodeSteps(periodS: Double) -> Int { Int((episodeSeconds / periodS).rounded()) }

    /// Control steps that must be upright at the end: round(holdSeconds / T).
    public func holdSteps(periodS: Double) -> Int { Int((holdSeconds / periodS).rounded()) }

    /// Whether the pendulum at α counts as upright under this criterion.
    public func isUpright(pendulumAngle: Double) -> Bool {
        Self.isUpright(pendulumAngle: pendulumAngle, tolerance: uprightTolerance)
    }

    /// Upright: within `tolerance` rad of α = ±π (mod 2π). The task's reward and termination, the
    /// simulator's evaluation and the controller's session all use this formula.
    @inlinable
    public static func isUpright(pendulumAngle: Double, tolerance: Double) -> Bool {
        isUpright(cosPendulumAngle: cos(pendulumAngle), tolerance: tolerance)
    }

    /// The same test from cos α (e.g. an observation's `pendulumCos` feature):
    /// cos(α − π) = −cos α ≥ cos(tolerance)  ⇔  |α − π| ≤ tolerance (mod 2π).
    @inlinable
    public static func isUpright(cosPendulumAngle c: Double, tolerance: Double) -> Bool {
        -c >= cos(tolerance)
    }

    /// The arm has left its travel: |θ| > θ_lim (the task's termination).
    @inlinable
    public static func leftTravel(armAngle: Double, armLimit: Double) -> Bool { abs(armAngle) > armLimit }

    /// The streak after one more step: +1 when upright, else back to 0.
    public static func streak(_ streak: Int, afterUpright upright: Bool) -> Int { upright ? streak + 1 : 0 }

    /// The verdict from what an episode did: the steps it ran, whether it left the arm's travel
    /// (terminated), and its final streak of upright steps.
    public func succeeded(stepsRun: Int, terminated: Bool, finalUprightStreak: Int, periodS: Double) -> Bool {
        !terminated && stepsRun >= episodeSteps(periodS: periodS) && finalUprightStreak >= holdSteps(periodS: periodS)
    }
}
