/// Brings the pendulum from "whatever the controller found" to the state a policy episode starts
/// in: pendulum hanging still, arm at the centre of its travel.
///
///     settling ──pendulum still──▶ centring ──arm at 0, slow──▶ holding ──pendulum still──▶ done
///
/// - settling: motor off, wait until the pendulum hangs still (its counts stay within
///   `stillToleranceRad` for `stillSeconds`). Gravity then says where "hanging" is, so the
///   pendulum's zero is re-taken there (after a device reset its counts restart anywhere).
/// - centring: a gentle PD on the arm, action a = clamp(−k_p·θ − k_d·θ̇, ±a_max), a = 0 inside
///   half the tolerance (no buzzing in the deadzone). Always inward, so it is allowed even
///   beyond the soft limit.
/// - holding: the same PD holds the arm while the pendulum settles again.
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
    /// Active reset (training sessions): while settling, a = clamp(k·α̇·cos(α − α_hang), ±a_d)
    /// + clamp(−k_p·θ − k_d·θ̇, ±a_c) takes energy out of the swing (near hanging dE/dt ∝ −α̇·θ̈
    /// cos α); 0 (the default) waits with the motor off, as `run` does.
    public var pendulumDampingGain = 0.0
    public var dampingMaxAction = 0.08
    public var dampingCentringMaxAction = 0.05
    /// Where the pendulum hangs in raw angle (counts × 2π/N) when known (an earlier reset).
    public var hangingRawPendulumAngle: Double?

    public init() {}
}

public enum HomingStage: UInt8, Sendable, Equatable {
    case settling = 0, centring, holding, done, timedOut
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
    private var lastAlpha: Double?, lastTime = 0.0, alphaRate = 0.0

    public init(settings: HomingSettings) { self.settings = settings }

    /// One period: arm angle θ and speed θ̇ relative to the arm's zero, raw pendulum angle α
    /// (counts × 2π/N, its zero not yet known), time in s. Returns the action to apply.
    public mutating func step(armAngle: Double, armVelocity: Double, rawPendulumAngle: Double,
                              timeSeconds: Double) -> Double {
        if startSeconds == nil { startSeconds = timeSeconds }
        trackStillness(rawPendulumAngle, timeSeconds)
        if let previous = lastAlpha, timeSeconds > lastTime {
            alphaRate += 0.5 * ((rawPendulumAngle - previous) / (timeSeconds - lastTime) - alphaRate)
        }
        lastAlpha = rawPendulumAngle
        lastTime = timeSeconds
        if stage != .done, timeSeconds - startSeconds! > settings.timeoutSeconds {
            stage = .timedOut
        }
        switch stage {
        case .settling:
            if isStill(timeSeconds) {
                restPendulumAngle = rawPendulumAngle
                stage = .centring
                return 0
            }
            guard settings.pendulumDampingGain != 0 else { return 0 }
            let c = settings.hangingRawPendulumAngle.map { _cos(rawPendulumAngle - $0) } ?? 1
            let damping = min(max(settings.pendulumDampingGain * alphaRate * c, -settings.dampingMaxAction), settings.dampingMaxAction)
            let centring = min(max(-settings.proportionalGain * armAngle - settings.derivativeGain * armVelocity,
                                   -settings.dampingCentringMaxAction), settings.dampingCentringMaxAction)
            return damping + centring
        case .centring:
            if abs(armAngle) <= settings.centreToleranceRad && abs(armVelocity) <= settings.centredSpeedRadPerS {
                stage = .holding
            }
            return hold(armAngle, armVelocity)
        case .holding:
            if isStill(timeSeconds) {
                restPendulumAngle = (bandLow + bandHigh) / 2
                stage = .done
                return 0
            }
            return hold(armAngle, armVelocity)
        case .done, .timedOut:
            return 0
        }
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

    private func isStill(_ t: Double) -> Bool {
        guard let since = stillSince else { return false }
        return t - since >= settings.stillSeconds
    }
}
