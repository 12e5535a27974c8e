/// The active reset's fallback for a drive whose offsets differ from robot.yaml's.
///
/// The reset's action inverts robot.yaml's nominal motor chain (`ActiveReset`, then
/// `compensatedDuty`). On a robot whose deadzone, bias or friction differ (a robot never
/// identified), the small demands at the end of a reset come out wrong: a smaller deadzone turns
/// each into a relay of the excess (the arm and pendulum settle into a limit cycle), a larger
/// one or a bias swallows them (the arm stalls 0.1–0.2 rad out), a weaker gearbox than the
/// friction feed-forward assumes overshoots. The nominal law is kept while it works (it is the
/// fastest on the nominal robot); once the swing has been small (amplitude ≤ `swingRad`) for
/// `afterSeconds` without the reset ending, the drive evidently differs and three terms join in:
///
/// - **dither**: ±D added to the action, its sign flipped every period. For an error of the drive
///   characteristic e(a) = a + s·δ (over- or under-compensated deadzone, |δ| < D) the two-period
///   mean is ½·(e(a + D) + e(a − D)) = a for |a| < D − |δ|: the unknown offset averages out. At
///   100 Hz the arm's inertia filters the square wave to well under one encoder count.
/// - **integral action** on the arm's centring, θ̈ += c, c ← clamp(c − k_i·θ·Δt, ±c_max), only
///   while the swing is small (so the damping's own arm motion does not wind it up): what is
///   left of a bias, a constant torque, is cancelled.
/// - the breakaway **friction feed-forward** scaled down (`frictionScale`): with the dither
///   breaking the gearbox loose, the full nominal level over-compensates a weaker gearbox.
///
/// Measured on 96 simulated resets of 24 robots drawn from the trainer's randomisation ranges:
/// 53 time-outs → 0, the nominal robot's resets unchanged or faster (docs/sessions.md).
public struct DriveOffsetFallback: Sendable {
    public struct Settings: Sendable, Equatable, Codable {
        /// The fallback engages this long after the swing first went within `swingRad`, s.
        public var afterSeconds = 2.0
        /// A swing this small (amplitude √(Δα² + (α̇/ω_p)²), rad) is the end of a reset.
        public var swingRad = 0.15
        /// D: the dither's amplitude, in action (effective drive); larger than the drive's offset
        /// errors of the randomisation ranges (deadzone ±0.02, bias ±0.01).
        public var ditherAction = 0.08
        /// k_i: the integral's gain, rad/s² of arm acceleration per rad·s of ∫θ dt.
        public var integralGain = 20.0
        /// c_max: the integral's clamp (anti-windup), rad/s² (≈ 0.02 of drive on the nominal arm).
        public var integralLimitRadPerS2 = 10.0
        /// The breakaway friction feed-forward's share once engaged.
        public var frictionScale = 0.7
        public init() {}
    }

    public let settings: Settings
    /// True once the fallback has engaged (it stays engaged for the rest of the reset).
    public private(set) var engaged = false
    private var smallSwingSince: Double?
    private var lastTime: Double?
    private var integral = 0.0
    private var ditherSign = 1.0

    public init(settings: Settings) { self.settings = settings }

    /// One period at time t (s) with the swing's amplitude (rad) and the arm's angle θ (rad):
    /// the arm acceleration to add to the reset's demand (rad/s²), the share of the friction
    /// feed-forward, and the dither to add to the action.
    public mutating func update(swingRad swing: Double, armAngle theta: Double, timeSeconds t: Double)
        -> (armAcceleration: Double, frictionScale: Double, dither: Double) {
        defer { lastTime = t }
        let small = swing <= settings.swingRad
        if small, smallSwingSince == nil { smallSwingSince = t }
        if let since = smallSwingSince, t - since >= settings.afterSeconds { engaged = true }
        guard engaged else { return (0, 1, 0) }
        if small, let last = lastTime, t > last {
            let limit = settings.integralLimitRadPerS2
            integral = min(max(integral - settings.integralGain * theta * min(t - last, 0.05), -limit), limit)
        }
        ditherSign = -ditherSign
        return (integral, settings.frictionScale, ditherSign * settings.ditherAction)
    }
}
