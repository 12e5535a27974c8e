/// Keeps the arm's predicted stopping point inside the soft limit: the limit holds for where the
/// arm will stop, not only for where it is.
///
/// Each fresh sample gives θ and the arm's mean velocity over the last sample interval,
/// ω = Δθ/Δt (device clock; not the policy's smoothed estimate, which lags under acceleration).
/// Through missed samples the state is dead-reckoned with `ArmDynamics` under the duty held.
/// For each side s = ±1 the predicted stop is p_s = s·θ + e_s(s·ω) (`StoppingDistanceTable`):
///
///   - p_s ≥ θ_lim and moving towards that limit faster than `brakeMinimumSpeed`: **brake**,
///     duty −s·D (D the duty limit; less in the last period, `brakeDuty`), whatever was asked,
///     not slew-limited;
///   - p_s ≥ θ_lim otherwise: outward duty (sign s) becomes 0.
///
/// In a safe stop the same model brakes the arm to rest (`stopDuty`) before duty 0. Blind
/// (dead-reckoned), it brakes only while the prediction moves the way the last measurement did.
///
/// One definition for both sides of the sim-to-real gap: the controller's loop filters every
/// command through it (Controller's `ControlLoop`), and each simulated pendulum filters the
/// duty it sends the same way (Simulation's `PendulumEnv`), so a policy learns inside the rule
/// the robot enforces. Pure: no I/O, no allocation after `init`.
public struct StoppingEnvelope: Sendable {
    public let limitRad: Double
    public let dutyLimit: Double
    public let brakeMinimumSpeed: Double
    public let arm: ArmDynamics
    public let periodSeconds: Double
    private let positive: StoppingDistanceTable
    private let negative: StoppingDistanceTable

    /// The arm's state: from the last fresh sample, advanced through missed periods.
    public private(set) var angle = 0.0
    public private(set) var velocity = 0.0
    /// Whether `angle`/`velocity` mean anything yet (two fresh samples).
    public private(set) var isKnown = false
    /// ω from the last fresh sample pair (not dead-reckoned).
    public private(set) var measuredVelocity = 0.0
    /// The state is dead-reckoned (no fresh sample since the last prediction step).
    public private(set) var isBlind = false
    private var hasAngle = false
    private var lastSampleMicroseconds: UInt64 = 0
    private var lastSampleAngle = 0.0

    public init(limits: StoppingEnvelopeLimits, periodSeconds: Double) {
        limitRad = limits.armSoftLimitRad
        dutyLimit = limits.dutyLimit
        brakeMinimumSpeed = limits.brakeMinimumSpeedRadPerS
        arm = limits.arm
        self.periodSeconds = periodSeconds
        let latency = limits.brakeLatencyPeriods * periodSeconds
        positive = StoppingDistanceTable.shared(arm: arm, side: 1, dutyLimit: dutyLimit, latencySeconds: latency,
                                         factor: limits.stoppingDistanceFactor)
        negative = StoppingDistanceTable.shared(arm: arm, side: -1, dutyLimit: dutyLimit, latencySeconds: latency,
                                         factor: limits.stoppingDistanceFactor)
    }

    /// Forget the arm's state (a new episode): unknown until two fresh samples arrive.
    public mutating func reset() {
        angle = 0; velocity = 0; measuredVelocity = 0
        isKnown = false; isBlind = false; hasAngle = false
        lastSampleMicroseconds = 0; lastSampleAngle = 0
    }

    /// The state that decides the next decisions (for the simulator's checkpoints).
    public struct State: Sendable, Codable, Equatable {
        var angle, velocity, measuredVelocity: Double
        var isKnown, isBlind, hasAngle: Bool
        var lastSampleMicroseconds: UInt64
        var lastSampleAngle: Double
    }

    public var state: State {
        State(angle: angle, velocity: velocity, measuredVelocity: measuredVelocity, isKnown: isKnown,
              isBlind: isBlind, hasAngle: hasAngle, lastSampleMicroseconds: lastSampleMicroseconds,
              lastSampleAngle: lastSampleAngle)
    }

    public mutating func restore(_ s: State) {
        angle = s.angle; velocity = s.velocity; measuredVelocity = s.measuredVelocity
        isKnown = s.isKnown; isBlind = s.isBlind; hasAngle = s.hasAngle
        lastSampleMicroseconds = s.lastSampleMicroseconds; lastSampleAngle = s.lastSampleAngle
    }

    /// A fresh sample: arm angle θ (rad) at device time t (µs, strictly after the last one).
    public mutating func observe(angle theta: Double, deviceMicroseconds t: UInt64) {
        if hasAngle, t > lastSampleMicroseconds {
            velocity = (theta - lastSampleAngle) / (Double(t - lastSampleMicroseconds) * 1e-6)
            measuredVelocity = velocity
            isKnown = true
        }
        isBlind = false
        angle = theta
        lastSampleAngle = theta
        lastSampleMicroseconds = t
        hasAngle = true
    }

    /// No fresh sample this period: advance the state by `seconds` with `duty` held (1 ms steps).
    public mutating func deadReckon(duty: Double, seconds: Double) {
        guard isKnown else { return }
        isBlind = true
        var left = seconds
        while left > 0 {
            let dt = min(left, 0.001)
            velocity += arm.acceleration(duty: duty, velocity: velocity) * dt
            angle += velocity * dt
            left -= dt
        }
    }

    /// Predicted stopping point towards side s (+1 or −1), rad from the centre, in that side's frame.
    public func predictedStop(side s: Double) -> Double {
        let table = s > 0 ? positive : negative
        return s * angle + table.distance(outwardVelocity: s * velocity)
    }

    /// The envelope applied to a duty the other filters passed: the duty to send and what the
    /// envelope did to it.
    public func decide(duty: Double) -> (duty: Double, action: EnvelopeAction) {
        guard isKnown else { return (duty, .none) }
        if let acted = decide(duty: duty, side: 1) { return acted }
        if let acted = decide(duty: duty, side: -1) { return acted }
        return (duty, .none)
    }

    private func decide(duty: Double, side s: Double) -> (duty: Double, action: EnvelopeAction)? {
        guard predictedStop(side: s) >= limitRad else { return nil }
        if s * velocity > brakeMinimumSpeed, mayBrakeBlind { return (brakeDuty(), .braking) }
        if s * duty > 0 { return (0, .outwardBlocked) }
        return nil
    }

    /// In a safe stop: the braking duty while the arm still moves faster than
    /// `brakeMinimumSpeed`, nil once it is (nearly) at rest or its state is unknown.
    ///
    /// An arm moving inward is braked only once inside θ_lim − h (`innerLimit`): braking it
    /// earlier would push it back out towards the limit it is leaving.
    public func stopDuty(innerLimit: Double) -> Double? {
        guard isKnown, abs(velocity) > brakeMinimumSpeed, mayBrakeBlind else { return nil }
        let outward = velocity * angle > 0
        guard outward || abs(angle) < innerLimit else { return nil }
        return brakeDuty()
    }

    /// Blind, the model may have braked the arm past rest when the real one has not: brake only
    /// while the prediction still moves the way the last measurement did (never push on a guess).
    private var mayBrakeBlind: Bool { !isBlind || velocity * measuredVelocity > 0 }

    /// Duty against the motion: full (−sign(ω)·D) while a whole period of it would not stop the
    /// arm, else the fraction that would, |ω| / (|θ̈_brake|·T), so the arm is not thrown back.
    public func brakeDuty() -> Double {
        let full = velocity > 0 ? -dutyLimit : dutyLimit
        let perPeriod = abs(arm.acceleration(duty: full, velocity: velocity)) * periodSeconds
        guard perPeriod > 0, abs(velocity) < perPeriod else { return full }
        return full * abs(velocity) / perPeriod
    }
}

/// What `StoppingEnvelope.decide` did to a duty.
public enum EnvelopeAction: Sendable, Equatable {
    /// Passed unchanged.
    case none
    /// Replaced by the braking duty (`brakeDuty`): the predicted stop reached θ_lim while moving out.
    case braking
    /// Outward duty replaced by 0: the predicted stop reached θ_lim, the arm (nearly) at rest.
    case outwardBlocked
}
