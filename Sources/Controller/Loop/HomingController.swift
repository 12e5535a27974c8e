import MotorModel

/// Brings the pendulum from "whatever the controller found" to the state a policy episode starts
/// in: pendulum hanging still, arm at the centre of its travel — and refuses, each with its own
/// message (`HomingFailure`), to start from anything else.
///
///     settling ──still──▶ probing ──swung and came back──▶ centring ──arm at 0──▶ holding ──still──▶ done
///
/// - first sample: an arm beyond its soft limit is refused before the motor moves (its zero is
///   where the device booted: homing from out there could drive it into the hard stop).
/// - every sample: an encoder jump faster than `implausibleSpeedRadPerS` (no pendulum or arm
///   moves like that; a loose wire or a glitching counter does) is refused.
/// - settling: motor off, wait until the pendulum hangs still (its counts stay within
///   `stillToleranceRad` for `stillSeconds`).
/// - probing: "still" is not "hanging": a pendulum resting upright, propped, or stuck against
///   its cable is still too. A short pulse toward the centre (`probeAction` for `probeSeconds`)
///   moves the arm; then, motor off, the pendulum is watched for `probeWatchSeconds`. A hanging
///   pendulum swings a little and stays near its rest; one that departs by more than
///   `fallenRad` was balanced or propped (not hanging); one that does not move at all while the
///   arm did (< `minimumResponseRad`) is stuck, or its encoder does not count.
/// - centring: a gentle PD on the arm, action a = clamp(−k_p·θ − k_d·θ̇, ±a_max), a = 0 inside
///   half the tolerance (no buzzing in the deadzone). Always inward.
/// - holding: the same PD holds the arm until the pendulum swings within `startBandRad` for
///   `startWindowSeconds`; the band's centre is where it hangs. Gravity then says where
///   "hanging" is, so the pendulum's zero is taken there (after a device reset its counts
///   restart anywhere); a rest more than `restMatchRad` from the first one means the pendulum
///   was stuck off-centre and came free.
public struct HomingSettings: Sendable, Equatable, Codable {
    /// The pendulum counts as still when its angle stays within this band, rad.
    public var stillToleranceRad = 0.01
    /// ... for this long, s.
    public var stillSeconds = 0.5
    /// Homing gives up (a fault: "pendulum did not settle") after this long, s.
    public var timeoutSeconds = 60.0
    /// The arm is centred at |θ| ≤ this, rad, with |θ̇| ≤ `centredSpeedRadPerS`.
    public var centreToleranceRad = 0.05
    public var centredSpeedRadPerS = 0.3
    /// PD gains: action per rad and per rad/s.
    public var proportionalGain = 0.6
    public var derivativeGain = 0.04
    /// Largest homing action: gentle.
    public var maxAction = 0.25
    /// The probe: this action toward the centre while less than `probeSeconds` have passed
    /// (half a period at 100 Hz: one period's command), then `probeWatchSeconds` watching, s.
    public var probeAction = 0.15
    public var probeSeconds = 0.005
    public var probeWatchSeconds = 0.6
    /// The arm moved enough for a verdict when it went this far in the probe, rad.
    public var probeArmTravelRad = 0.008
    /// A pendulum that moved less than this in the probe is stuck, rad (≈ 5 counts of 8192/rev).
    public var minimumResponseRad = 0.004
    /// A pendulum that departed more than this from its rest in the probe was not hanging, rad.
    public var fallenRad = 1.0
    /// Holding ends when the pendulum swings within a band this wide (peak to peak, rad) for
    /// `startWindowSeconds` (a full swing period, so the band's centre is the rest): the
    /// simulator starts episodes with up to ±0.05 rad of swing, so the policy need not wait for
    /// the weakly damped pendulum to come to a standstill (its amplitude decays over minutes).
    public var startBandRad = 0.06
    public var startWindowSeconds = 0.6
    /// The second rest must be within this of the first, rad.
    public var restMatchRad = 0.05
    /// Encoder speed no arm or pendulum reaches, rad/s (a hanging pendulum swung from upright
    /// peaks near 21 rad/s, the arm's limit is 40).
    public var implausibleSpeedRadPerS = 150.0
    /// Active reset (training sessions, `ActiveReset`): while settling, centring and holding the
    /// arm takes energy out of the swing, θ̈* = sat(k·α̇·cos α, ±A) − ω_a²·θ − 2·ω_a·θ̇, instead of
    /// waiting with the motor off (`run`'s default) and centring with the PD above.
    public var activeReset = false
    /// k: arm acceleration per pendulum speed, 1/s (the swing's energy decays at ≈ 1.05·k per s).
    public var activeResetGainPerS = 10.0
    /// A: the largest arm acceleration demanded, rad/s² (arm swing ≈ A/ω_p² ≈ 0.5 rad).
    public var activeResetMaxAccelerationRadPerS2 = 60.0
    /// ω_a: the centring spring's natural frequency, rad/s (critically damped).
    public var activeResetCentringRadPerS = 4.0
    /// The largest action the active reset commands.
    public var activeResetMaxAction = 0.5
    /// The active reset's fallback for a drive whose offsets differ from robot.yaml's (dither,
    /// integral action, less friction feed-forward once the swing has been small for 2 s).
    public var activeResetFallback = DriveOffsetFallback.Settings()
    /// ω_p: the pendulum's small-swing frequency, rad/s (`RobotParameters`), for the swing's
    /// amplitude when where it hangs is known.
    public var pendulumFrequencyRadPerS: Double?
    /// When the run's duration ends, reset again before the safe stop (training sessions), so the
    /// pendulum is at rest and the arm centred when the motor lets go.
    public var resetAfterRun = false
    /// Homing still starts this far beyond the arm's soft limit, rad: 0 for `run` (the zero is
    /// where the device booted); a session's later resets know the zero from the same boot, so an
    /// arm that coasted or was dragged past the limit after an episode is driven back (inward
    /// only) — even from beyond the hard limit (`ControlLoop`: the arm may then not go more than
    /// `armRecoveryOvershootRad` beyond θ_lim + this margin, and must be back inside the soft
    /// limit within `armRecoverySeconds`).
    public var armStartMarginRad = 0.0
    /// Bringing an arm back from beyond the soft limit: how far past θ_lim + `armStartMarginRad`
    /// it may go before `arm_beyond_hard_limit`, rad — an arm found there still moving outward at
    /// 3 rad/s under a spinning pendulum stopped 0.16 rad further out in simulation.
    public var armRecoveryOvershootRad = 0.15
    /// … and how long it may take to get back inside the soft limit (`arm_outside_limit_too_long`), s.
    public var armRecoverySeconds = 3.0
    /// Where the pendulum hangs in raw angle (counts × 2π/N) when known (an earlier reset).
    public var hangingRawPendulumAngle: Double?

    public init() {}

    /// The start band of the active reset, peak to peak, rad: ±0.05 rad of swing, the typical
    /// start of a simulator episode (SwingUpTask's initial angle noise, σ = 0.05 rad), which the
    /// policy was trained from; the arm's damping gets there in about a second, where the last
    /// few hundredths of a radian would take the gearbox's friction many seconds.
    public static let activeResetStartBandRad = 0.1

    /// Turns the active reset on with its start band, for a pendulum swinging at ω_p (rad/s).
    public mutating func enableActiveReset(pendulumFrequencyRadPerS: Double) {
        activeReset = true
        startBandRad = Self.activeResetStartBandRad
        self.pendulumFrequencyRadPerS = pendulumFrequencyRadPerS
    }
}

/// Why homing refused to start the policy. Each has its own fault kind and message.
public enum HomingFailure: Sendable, Equatable {
    case armOutsideSoftLimit
    case encoderImplausible
    case pendulumNotHanging
    case pendulumStuck
    case pendulumOffCentre

    public var kind: SafetyEventKind {
        switch self {
        case .armOutsideSoftLimit: .homingArmOutsideSoftLimit
        case .encoderImplausible: .homingEncoderImplausible
        case .pendulumNotHanging: .homingPendulumNotHanging
        case .pendulumStuck: .homingPendulumStuck
        case .pendulumOffCentre: .homingPendulumOffCentre
        }
    }
}

extension SafetyEventKind {
    /// What a homing refusal means and what to do, for the user (nil for other kinds).
    public var homingMessage: String? {
        switch self {
        case .homingArmOutsideSoftLimit:
            "the arm is beyond its soft limit at start (its zero is where the device booted); the motor was not driven: "
                + "power the device off, move the arm by hand to the centre of its travel, and power it on again"
        case .homingEncoderImplausible:
            "an encoder reading jumped faster than any arm or pendulum moves; check the encoder wiring and connectors "
                + "(and robot.yaml's encoder counts) before running a policy"
        case .homingPendulumNotHanging:
            "the pendulum fell away when the arm moved: it was resting upright or propped, not hanging; "
                + "let it hang freely below the arm and start again"
        case .homingPendulumStuck:
            "the pendulum did not swing at all when the arm moved: it is stuck (off-centre against its cable or an "
                + "obstacle) or its encoder is not counting; free it and check the pendulum encoder"
        case .homingTimedOut:
            "the pendulum did not come to rest hanging within the reset's time limit (still swinging, or held "
                + "somewhere): stop it by hand so it hangs still below the arm, and start again"
        case .homingPendulumOffCentre:
            "the pendulum came to rest away from where it first rested: it was stuck off-centre and came free; "
                + "check that it swings freely and start again"
        default: nil
        }
    }
}

public enum HomingStage: UInt8, Sendable, Equatable {
    case settling = 0, centring, holding, done, timedOut, probing, failed
}

/// The homing state machine. Value type; `step` allocates nothing.
public struct HomingController: Sendable {
    public let settings: HomingSettings
    public private(set) var stage = HomingStage.settling
    private var startSeconds: Double?
    private var stillSince: Double?
    private var bandLow = 0.0, bandHigh = 0.0
    /// Pendulum angle (raw, from the device's counts) at which it was last found still.
    public private(set) var restPendulumAngle = 0.0
    /// Why homing refused (stage `failed`).
    public private(set) var failure: HomingFailure?
    /// The arm's soft limit, rad: beyond it at start, homing refuses.
    public let armSoftLimitRad: Double
    private var firstRest = 0.0
    private var probe = (start: 0.0, direction: 1.0, armAtStart: 0.0, armTravel: 0.0, pendulumTravel: 0.0)
    private var previous: (arm: Double, pendulum: Double, time: Double)?
    private var startBand: (since: Double?, low: Double, high: Double) = (nil, 0, 0)
    private var settleBand: (since: Double?, low: Double, high: Double) = (nil, 0, 0)
    private var calmSince: Double?
    /// The swing's amplitude must stay small this long before the probe, s (ten samples).
    static let calmSeconds = 0.1
    private var watchBand: (since: Double?, low: Double, high: Double) = (nil, 0, 0)
    private var lastAlpha: Double?, lastTime = 0.0, alphaRate = 0.0
    private var fallback: DriveOffsetFallback

    /// The active reset's law, when the settings turn it on and the arm's model is known.
    private let activeReset: ActiveReset?

    public init(settings: HomingSettings, armSoftLimitRad: Double = .infinity, arm: ArmDynamics? = nil) {
        self.settings = settings
        self.armSoftLimitRad = armSoftLimitRad
        activeReset = arm.map { ActiveReset(settings: settings, arm: $0) }
        fallback = DriveOffsetFallback(settings: settings.activeResetFallback)
    }

    /// Whether the active reset's `DriveOffsetFallback` engaged in this homing.
    public var driveOffsetFallbackEngaged: Bool { fallback.engaged }

    /// Checks a sample's encoders against physics: a jump between consecutive samples faster
    /// than `implausibleSpeedRadPerS` fails homing. Returns the failure, if this sample caused it.
    public mutating func checkEncoders(armAngle: Double, rawPendulumAngle: Double, timeSeconds: Double) -> HomingFailure? {
        guard stage != .failed, stage != .done else { return nil }
        defer { previous = (armAngle, rawPendulumAngle, timeSeconds) }
        guard let last = previous, timeSeconds > last.time else { return nil }
        let limit = settings.implausibleSpeedRadPerS * (timeSeconds - last.time)
        if abs(armAngle - last.arm) > limit || abs(rawPendulumAngle - last.pendulum) > limit {
            return fail(.encoderImplausible)
        }
        return nil
    }

    private mutating func fail(_ reason: HomingFailure) -> HomingFailure {
        failure = reason
        stage = .failed
        return reason
    }

    /// One period: arm angle θ and speed θ̇ relative to the arm's zero, raw pendulum angle α
    /// (counts × 2π/N, its zero not yet known), time in s. Returns the action to apply.
    public mutating func step(armAngle: Double, armVelocity: Double, rawPendulumAngle: Double,
                              timeSeconds: Double) -> Double {
        if startSeconds == nil {
            startSeconds = timeSeconds
            if abs(armAngle) > armSoftLimitRad + settings.armStartMarginRad {
                _ = fail(.armOutsideSoftLimit)
                return 0
            }
        }
        trackStillness(rawPendulumAngle, timeSeconds)
        if let previous = lastAlpha, timeSeconds > lastTime {
            alphaRate += 0.5 * ((rawPendulumAngle - previous) / (timeSeconds - lastTime) - alphaRate)
        }
        lastAlpha = rawPendulumAngle
        lastTime = timeSeconds
        if stage != .done, stage != .failed, timeSeconds - startSeconds! > settings.timeoutSeconds {
            stage = .timedOut
        }
        switch stage {
        case .settling:
            // The active reset damps the swing into the start band (it never reaches a standstill
            // through the gearbox's friction, nor needs to): its centre is the rest.
            var rest = rawPendulumAngle
            let settled: Bool
            if settings.activeReset, let hanging = settings.hangingRawPendulumAngle, let w = settings.pendulumFrequencyRadPerS {
                // Where it hangs is known (an earlier reset): the swing's amplitude now is
                // √(Δα² + (α̇/ω_p)²), Δα from the nearest hanging angle (it may have spun whole turns).
                let swing = Self.swing(rawPendulumAngle, alphaRate, hanging: hanging, frequency: w)
                rest = swing.rest
                // Still, but far from hanging: resting upright or propped; never a zero.
                if isStill(timeSeconds), abs(rawPendulumAngle - rest) > settings.fallenRad { _ = fail(.pendulumNotHanging); return 0 }
                let calm = swing.amplitude <= settings.startBandRad / 2 && isCentred(armAngle, armVelocity)
                if !calm { calmSince = nil } else if calmSince == nil { calmSince = timeSeconds }
                settled = calmSince.map { timeSeconds - $0 >= Self.calmSeconds } ?? false
            } else if settings.activeReset {
                trackBand(&settleBand, rawPendulumAngle, timeSeconds)
                rest = (settleBand.low + settleBand.high) / 2
                settled = bandSpans(settleBand, timeSeconds)
            } else {
                settled = isStill(timeSeconds)
            }
            if settled {
                restPendulumAngle = rest
                firstRest = rest
                watchBand = (nil, 0, 0)
                // Toward the centre, so the probe never moves the arm outward.
                probe = (timeSeconds, armAngle > 0 ? -1 : 1, armAngle, 0, 0)
                stage = .probing
                return probe.direction * settings.probeAction
            }
            return activeAction(armAngle, armVelocity, rawPendulumAngle) ?? 0
        case .probing:
            probe.armTravel = max(probe.armTravel, abs(armAngle - probe.armAtStart))
            probe.pendulumTravel = max(probe.pendulumTravel, abs(rawPendulumAngle - firstRest))
            if probe.pendulumTravel > settings.fallenRad { _ = fail(.pendulumNotHanging); return 0 }
            let elapsed = timeSeconds - probe.start
            if elapsed < settings.probeSeconds { return probe.direction * settings.probeAction }
            if elapsed >= settings.probeSeconds { trackBand(&watchBand, rawPendulumAngle, timeSeconds) }
            if elapsed < settings.probeSeconds + settings.probeWatchSeconds { return 0 }
            if probe.armTravel >= settings.probeArmTravelRad && probe.pendulumTravel < settings.minimumResponseRad {
                _ = fail(.pendulumStuck)
                return 0
            }
            // The watch doubles as the start window when the arm is already centred and the
            // swing stayed in the start band throughout (the active reset centres while it damps).
            if settings.activeReset, isCentred(armAngle, armVelocity), bandSpans(watchBand, timeSeconds, minus: settings.probeSeconds) {
                return finish(at: (watchBand.low + watchBand.high) / 2)
            }
            stage = .centring
            return activeAction(armAngle, armVelocity, rawPendulumAngle) ?? hold(armAngle, armVelocity)
        case .centring:
            if isCentred(armAngle, armVelocity) {
                stage = .holding
            }
            return activeAction(armAngle, armVelocity, rawPendulumAngle) ?? hold(armAngle, armVelocity)
        case .holding:
            trackBand(&startBand, rawPendulumAngle, timeSeconds)
            if bandSpans(startBand, timeSeconds) { return finish(at: (startBand.low + startBand.high) / 2) }
            return activeAction(armAngle, armVelocity, rawPendulumAngle) ?? hold(armAngle, armVelocity)
        case .done, .timedOut, .failed:
            return 0
        }
    }

    /// The active reset's action, nil when it is off (or no arm model was given).
    private mutating func activeAction(_ theta: Double, _ thetaDot: Double, _ alpha: Double) -> Double? {
        guard settings.activeReset, let activeReset else { return nil }
        let hanging = settings.hangingRawPendulumAngle
        // 0 while where it hangs is unknown (the first reset: the fallback then counts from the start).
        var swing = 0.0
        if let h = hanging, let w = settings.pendulumFrequencyRadPerS {
            swing = Self.swing(alpha, alphaRate, hanging: h, frequency: w).amplitude
        }
        let extra = fallback.update(swingRad: swing, armAngle: theta, timeSeconds: lastTime)
        let a = activeReset.action(armAngle: theta, armVelocity: thetaDot, pendulumFromHanging: alpha - (hanging ?? 0),
                                   pendulumVelocity: alphaRate, hangingKnown: hanging != nil,
                                   extraAcceleration: extra.armAcceleration, frictionScale: extra.frictionScale)
        return a + extra.dither
    }

    /// The swing about the hanging angle nearest the raw angle α (it may have spun whole turns):
    /// that rest, and the amplitude √(Δα² + (α̇/ω_p)²).
    private static func swing(_ alpha: Double, _ alphaDot: Double, hanging: Double, frequency w: Double) -> (rest: Double, amplitude: Double) {
        let rest = hanging + 2 * Double.pi * ((alpha - hanging) / (2 * Double.pi)).rounded()
        let d = alpha - rest, v = alphaDot / w
        return (rest, (d * d + v * v).squareRoot())
    }

    /// a = clamp(−k_p·θ − k_d·θ̇, ±a_max), 0 inside half the centring tolerance.
    private func hold(_ theta: Double, _ thetaDot: Double) -> Double {
        if abs(theta) < settings.centreToleranceRad / 2 && abs(thetaDot) < settings.centredSpeedRadPerS { return 0 }
        let a = -settings.proportionalGain * theta - settings.derivativeGain * thetaDot
        return min(max(a, -settings.maxAction), settings.maxAction)
    }

    /// The band [low, high] restarts around the current angle whenever the angle leaves it.
    private mutating func trackStillness(_ alpha: Double, _ t: Double) {
        guard let _ = stillSince else {
            stillSince = t
            bandLow = alpha
            bandHigh = alpha
            return
        }
        let low = min(bandLow, alpha), high = max(bandHigh, alpha)
        if high - low > settings.stillToleranceRad {
            stillSince = t
            bandLow = alpha
            bandHigh = alpha
        } else {
            bandLow = low
            bandHigh = high
        }
    }

    /// Homing ends here: the pendulum's zero is taken at `rest`, the centre of its swing, unless
    /// that is not where it first rested.
    private mutating func finish(at rest: Double) -> Double {
        restPendulumAngle = rest
        if abs(restPendulumAngle - firstRest) > settings.restMatchRad {
            _ = fail(.pendulumOffCentre)
            return 0
        }
        stage = .done
        return 0
    }

    private func isCentred(_ theta: Double, _ thetaDot: Double) -> Bool {
        abs(theta) <= settings.centreToleranceRad && abs(thetaDot) <= settings.centredSpeedRadPerS
    }

    /// A swing band [low, high] that restarts around the angle whenever the swing leaves
    /// `startBandRad` (peak to peak).
    private func trackBand(_ band: inout (since: Double?, low: Double, high: Double), _ alpha: Double, _ t: Double) {
        guard band.since != nil else {
            band = (t, alpha, alpha)
            return
        }
        let low = min(band.low, alpha), high = max(band.high, alpha)
        if high - low > settings.startBandRad {
            band = (t, alpha, alpha)
        } else {
            band.low = low
            band.high = high
        }
    }

    /// The swing stayed in its band for `startWindowSeconds` (less `minus`): a full swing period,
    /// so the band's centre is the rest.
    private func bandSpans(_ band: (since: Double?, low: Double, high: Double), _ t: Double, minus: Double = 0) -> Bool {
        guard let since = band.since else { return false }
        return t - since >= settings.startWindowSeconds - minus - 1e-9
    }

    private func isStill(_ t: Double) -> Bool {
        guard let since = stillSince else { return false }
        return t - since >= settings.stillSeconds
    }
}
