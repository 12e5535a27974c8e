/// The per-tick checks and command filters of `SafetyLimits`. A value type: `ControlLoop` owns
/// one; nothing here allocates or has side effects beyond its own state.
public struct SafetyMonitor: Sendable {
    public let limits: SafetyLimits
    public let periodSeconds: Double
    /// Beyond the soft limit and not yet back inside θ_lim − h.
    public private(set) var isOutsideSoftLimit = false
    private var outsideSince = 0.0
    /// The last duty sent, for the slew limit.
    public private(set) var previousDuty = 0.0
    /// Consecutive periods without a fresh state.
    public private(set) var missedSamples = 0
    /// Leaky overrun bucket (see `SafetyLimits.overrunBucketLimit`).
    public private(set) var overrunBucket = 0.0
    /// While a reset brings back an arm found beyond the hard limit (`allowRecovery`): the angle
    /// beyond which it faults instead of θ_lim + margin, and how long it may stay beyond θ_lim, s.
    public private(set) var recovery: (limitRad: Double, maxSecondsOutside: Double)?

    public init(limits: SafetyLimits, periodSeconds: Double) {
        self.limits = limits
        self.periodSeconds = periodSeconds
    }

    /// Whether the policy may engage at arm angle θ: strictly inside θ_lim − h.
    public func mayEngage(armAngle: Double) -> Bool {
        abs(armAngle) < limits.armSoftLimitRad - limits.armHysteresisRad
    }

    /// A reset may bring the arm back from up to `limitRad` (beyond θ_lim + margin), taking up to
    /// `maxSecondsOutside` to get back inside θ_lim; outward duty stays blocked out there as
    /// always. Only while homing, when the arm's zero is from the same boot (`HomingSettings`).
    public mutating func allowRecovery(limitRad: Double, maxSecondsOutside: Double) {
        recovery = (max(limitRad, limits.armHardLimitRad), max(maxSecondsOutside, limits.maxSecondsOutsideLimit))
    }

    /// Back to the ordinary hard limit and time outside (the policy runs only inside θ_lim − h).
    public mutating func endRecovery() { recovery = nil }

    /// Soft-limit bookkeeping for a fresh arm angle. Returns the event to record, if any:
    /// entered (beyond θ_lim), cleared (back inside θ_lim − h), or a fault when beyond
    /// θ_lim + margin or outside for longer than allowed.
    public mutating func updateArm(angle: Double, timeSeconds t: Double) -> SafetyEventKind? {
        let magnitude = abs(angle)
        if magnitude > recovery?.limitRad ?? limits.armHardLimitRad { return .armBeyondHardLimit }
        if isOutsideSoftLimit {
            if magnitude < limits.armSoftLimitRad - limits.armHysteresisRad {
                isOutsideSoftLimit = false
                return .armSoftLimitCleared
            }
            if t - outsideSince > recovery?.maxSecondsOutside ?? limits.maxSecondsOutsideLimit { return .armOutsideLimitTooLong }
        } else if magnitude > limits.armSoftLimitRad {
            isOutsideSoftLimit = true
            outsideSince = t
            return .armSoftLimitEntered
        }
        return nil
    }

    /// Velocity limits on the estimates; the fault kind if one is exceeded.
    public func checkVelocities(arm: Double, pendulum: Double) -> SafetyEventKind? {
        if !(abs(arm) <= limits.armVelocityLimitRadPerS) { return .armVelocityLimit }
        if !(abs(pendulum) <= limits.pendulumVelocityLimitRadPerS) { return .pendulumVelocityLimit }
        return nil
    }

    /// A fresh state arrived (true) or not (false). Returns `.staleState` when `stalePeriods`
    /// consecutive periods passed without one.
    public mutating func recordSample(present: Bool) -> SafetyEventKind? {
        missedSamples = present ? 0 : missedSamples + 1
        return missedSamples >= limits.stalePeriods ? .staleState : nil
    }

    /// Overrun policy: `skipped` whole periods were skipped before this tick. Returns
    /// `.sustainedOverruns` when the bucket overflows.
    public mutating func recordOverrun(skippedPeriods skipped: Int) -> SafetyEventKind? {
        overrunBucket = skipped > 0 ? overrunBucket + Double(skipped) : max(0, overrunBucket - 0.1)
        return overrunBucket > limits.overrunBucketLimit ? .sustainedOverruns : nil
    }

    /// The duty filters, in order: duty limit, slew limit, and beyond the soft limit only
    /// inward duty (sign opposite to θ) passes. Returns the duty to send and the flags of the
    /// filters that acted (`SafetyFlag`).
    public mutating func filter(duty requested: Double, armAngle: Double) -> (duty: Double, flags: UInt8) {
        var flags: UInt8 = 0
        var duty = requested.isFinite ? requested : 0
        if abs(duty) > limits.dutyLimit {
            duty = duty < 0 ? -limits.dutyLimit : limits.dutyLimit
            flags |= SafetyFlag.dutyLimited
        }
        // |u_k − u_{k−1}| ≤ rate · T
        let step = limits.dutySlewPerSecond * periodSeconds
        if duty > previousDuty + step {
            duty = previousDuty + step
            flags |= SafetyFlag.slewLimited
        } else if duty < previousDuty - step {
            duty = previousDuty - step
            flags |= SafetyFlag.slewLimited
        }
        if isOutsideSoftLimit {
            flags |= SafetyFlag.outsideSoftLimit
            // Outward means the same sign as θ: that duty would push the arm further out.
            if duty * armAngle > 0 {
                duty = 0
                flags |= SafetyFlag.outwardBlocked
            }
        }
        previousDuty = duty
        return (duty, flags)
    }

    /// The motor was set to `duty` outside the filter (a stop): the slew limit starts from it.
    public mutating func resetDuty(to duty: Double) { previousDuty = duty }
}
