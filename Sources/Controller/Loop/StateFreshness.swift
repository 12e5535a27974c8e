import FirmwareLink
import MotorModel

/// Whether a state the device sent is news. Valid frames are not enough: a device (or a proxy
/// in between) can go on answering with a clock and counts that no longer move.
///
///   - device time not after the last fresh sample's (Δt_dev = 0): **stale** (frozen clock);
///   - device time before it (Δt_dev < 0): fault `device_clock_backwards` (within one
///     connection; a reboot shows as `not_ready` first);
///   - Δt_dev more than `clockJumpToleranceSeconds` beyond the host time between the two samples:
///     fault `device_clock_jump`;
///   - arm counts unchanged while the duty the device reports applying should, by the motor
///     model, have moved the arm by more than `frozenCountsThreshold` counts since they last
///     changed (from rest, with `ArmDynamics.guaranteedAccelerationFromRest`): **stale**
///     (frozen encoder or counts). Only travel under drive of one sign adds up: when the torque's
///     sign flips the prediction restarts from rest, because the guaranteed (halved) acceleration
///     is a lower bound on travel only while the drive pushes one way — reversed, the real arm
///     may stop and come back faster than the bound, so a chattering duty (±, as a balancing
///     policy or a centring pull gives) is no evidence that counts should have changed.
///
/// A stale sample counts as a missed one (`stalePeriods` of them stop the run); it never feeds
/// the estimator or the limits.
public struct StateFreshness: Sendable {
    public enum Verdict: Sendable, Equatable {
        case fresh
        case frozenClock
        case frozenCounts
        case clockBackwards
        case clockJump
    }

    public let clockJumpToleranceSeconds: Double
    /// Counts the model must predict before frozen counts are called stale.
    public let frozenCountsThreshold: Double
    public let arm: ArmDynamics
    private let radiansPerCount: Double

    private var lastDeviceMicroseconds: UInt64?
    private var lastHostSeconds = 0.0
    private var lastArmCounts: Int32 = 0
    // Frozen-counts watch: the model's displacement since the counts last changed, from rest.
    private var predictedTravel = 0.0
    private var predictedSpeed = 0.0
    private var predictedDirection = 0.0
    /// The predicted travel while counts are frozen, counts (for the event's value).
    public var predictedFrozenCounts: Double { predictedTravel / radiansPerCount }

    public init(limits: SafetyLimits, armCountsPerRevolution: Int) {
        clockJumpToleranceSeconds = limits.clockJumpToleranceSeconds
        frozenCountsThreshold = limits.frozenCountsThreshold
        arm = limits.arm
        radiansPerCount = 2 * Double.pi / Double(armCountsPerRevolution)
    }

    /// Classifies `state`, received in the period starting at host time `hostSeconds`. Only a
    /// fresh verdict moves the reference time.
    public mutating func judge(_ state: DeviceState, hostSeconds: Double) -> Verdict {
        guard let last = lastDeviceMicroseconds else {
            accept(state, hostSeconds)
            return .fresh
        }
        if state.timeMicroseconds == last { return .frozenClock }
        if state.timeMicroseconds < last { return .clockBackwards }
        let deviceDelta = Double(state.timeMicroseconds - last) * 1e-6
        if deviceDelta - (hostSeconds - lastHostSeconds) > clockJumpToleranceSeconds { return .clockJump }

        if state.armCounts != lastArmCounts {
            predictedTravel = 0
            predictedSpeed = 0
            predictedDirection = 0
            accept(state, hostSeconds)
            return .fresh
        }
        // Counts unchanged: integrate the model from rest over the interval with the duty applied.
        let a = arm.guaranteedAccelerationFromRest(duty: state.appliedDuty)
        let direction = arm.driveDirectionFromRest(duty: state.appliedDuty)
        if a == 0 || direction != predictedDirection {
            predictedTravel = 0
            predictedSpeed = 0
            predictedDirection = a == 0 ? 0 : direction
        }
        if a != 0 {
            predictedTravel += predictedSpeed * deviceDelta + 0.5 * a * deviceDelta * deviceDelta
            predictedSpeed += a * deviceDelta
        }
        if predictedTravel > frozenCountsThreshold * radiansPerCount { return .frozenCounts }
        accept(state, hostSeconds)
        return .fresh
    }

    private mutating func accept(_ state: DeviceState, _ hostSeconds: Double) {
        lastDeviceMicroseconds = state.timeMicroseconds
        lastHostSeconds = hostSeconds
        lastArmCounts = state.armCounts
    }
}
