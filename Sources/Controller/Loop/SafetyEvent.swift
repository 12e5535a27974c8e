/// Something the safety layer noticed. Faults (`isFault`) latch and end the run in a safe stop;
/// the others are recorded with their time and the run continues.
public enum SafetyEventKind: UInt8, Sendable, Equatable, CaseIterable, Codable {
    // Recorded, not fatal.
    case armSoftLimitEntered = 1
    case armSoftLimitCleared
    case overrun
    case stateMissed
    /// A state arrived but was not news (frozen clock or counts): counted as missed.
    case stateStale
    /// The stopping envelope started braking (value: predicted stop, rad).
    case brakingEngaged
    // Faults: latched, safe stop.
    case armBeyondHardLimit = 20
    case armOutsideLimitTooLong
    case armVelocityLimit
    case pendulumVelocityLimit
    case nonFiniteAction
    case staleState
    case sustainedOverruns
    case linkLost
    case deviceRemoved
    case deviceReset
    case deviceWatchdog
    case deviceEmergencyStop
    case deviceDisarmed
    case homingTimedOut
    case deviceClockBackwards
    case deviceClockJump
    case framesLost
    case telemetryLost
    // Homing refused to start the policy (see `HomingFailure`): faults too, numbered from 50
    // because 20…39 filled up.
    case homingArmOutsideSoftLimit = 50
    case homingEncoderImplausible = 51
    case homingPendulumNotHanging = 52
    case homingPendulumStuck = 53
    case homingPendulumOffCentre = 54
    // Stops on request: not faults.
    case stopSignal = 40
    case immediateStopSignal
    case durationReached

    /// Latched and reported as the run's fault.
    public var isFault: Bool { (20..<40).contains(rawValue) || (50..<70).contains(rawValue) }

    /// The snake_case name used in the summary and the log.
    public var name: String {
        switch self {
        case .armSoftLimitEntered: "arm_soft_limit_entered"
        case .armSoftLimitCleared: "arm_soft_limit_cleared"
        case .overrun: "overrun"
        case .stateMissed: "state_missed"
        case .stateStale: "state_stale"
        case .brakingEngaged: "braking_engaged"
        case .armBeyondHardLimit: "arm_beyond_hard_limit"
        case .armOutsideLimitTooLong: "arm_outside_limit_too_long"
        case .armVelocityLimit: "arm_velocity_limit"
        case .pendulumVelocityLimit: "pendulum_velocity_limit"
        case .nonFiniteAction: "non_finite_action"
        case .staleState: "stale_state"
        case .sustainedOverruns: "sustained_overruns"
        case .linkLost: "link_lost"
        case .deviceRemoved: "device_removed"
        case .deviceReset: "device_reset"
        case .deviceWatchdog: "device_watchdog"
        case .deviceEmergencyStop: "device_emergency_stop"
        case .deviceDisarmed: "device_disarmed"
        case .homingTimedOut: "homing_timed_out"
        case .deviceClockBackwards: "device_clock_backwards"
        case .deviceClockJump: "device_clock_jump"
        case .framesLost: "frames_lost"
        case .telemetryLost: "telemetry_lost"
        case .homingArmOutsideSoftLimit: "homing_arm_outside_soft_limit"
        case .homingEncoderImplausible: "homing_encoder_implausible"
        case .homingPendulumNotHanging: "homing_pendulum_not_hanging"
        case .homingPendulumStuck: "homing_pendulum_stuck"
        case .homingPendulumOffCentre: "homing_pendulum_off_centre"
        case .stopSignal: "stop_signal"
        case .immediateStopSignal: "immediate_stop_signal"
        case .durationReached: "duration_reached"
        }
    }
}

/// One event: what, when (seconds since the session started, host monotonic clock) and a value
/// that depends on the kind (the angle, velocity or action that tripped it; skipped periods).
public struct SafetyEvent: Sendable, Equatable {
    public var kind: SafetyEventKind
    public var timeSeconds: Double
    public var value: Double

    public init(kind: SafetyEventKind, timeSeconds: Double, value: Double) {
        self.kind = kind
        self.timeSeconds = timeSeconds
        self.value = value
    }
}

/// A fixed-capacity event list the loop appends to without allocating: the first `capacity`
/// events are kept, later ones only counted (a storm of events carries no more information).
public final class SafetyEventLog {
    private let storage: UnsafeMutableBufferPointer<SafetyEvent>
    public private(set) var count = 0
    public private(set) var dropped = 0

    public init(capacity: Int = 256) {
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    public func append(_ event: SafetyEvent) {
        if count < storage.count {
            (storage.baseAddress! + count).initialize(to: event)
            count += 1
        } else {
            dropped += 1
        }
    }

    /// Copies the events out (allocates: call after the loop).
    public var events: [SafetyEvent] { Array(storage.prefix(count)) }

    /// Removes all events (between runs).
    public func removeAll() {
        count = 0
        dropped = 0
    }
}
