/// One period of telemetry, a plain value the loop writes into the ring buffer and the drain
/// thread turns into one CSV line (`TelemetryCSV`). Times: host ns since session start; device µs.
public struct TickRecord: Sendable, Equatable {
    public var tick: Int64 = 0
    /// Scheduled wake-up, ns since start.
    public var deadlineNanoseconds: Int64 = 0
    /// Actual wake − scheduled wake, ns.
    public var wakeLatencyNanoseconds: Int64 = 0
    /// From wake-up to the command sent, ns (request, wait for the state, decide, send).
    public var workNanoseconds: Int64 = 0
    /// Policy inference alone, ns (0 when the policy did not run).
    public var inferenceNanoseconds: Int64 = 0
    public var skippedPeriods: Int32 = 0
    public var phase: ControllerPhase = .homing
    public var homingStage: HomingStage = .settling
    public var hasSample = false
    public var deviceTimeMicroseconds: UInt64 = 0
    public var armCounts: Int32 = 0
    public var pendulumCounts: Int32 = 0
    public var armAngle: Double = 0
    public var pendulumAngle: Double = 0
    public var armVelocity: Double = 0
    public var pendulumVelocity: Double = 0
    /// Policy (or homing) action before safety, and the duty sent after it.
    public var action: Double = 0
    public var dutyCommanded: Double = 0
    /// Duty the device reported applying, from the state.
    public var dutyApplied: Double = 0
    public var deviceStatus: UInt16 = 0
    /// Bit set of this tick's safety interventions: 1 duty limited, 2 slew limited, 4 outward
    /// duty blocked (beyond the soft limit or by the stopping envelope), 8 arm outside the soft
    /// limit, 16 braking (envelope or safe stop), 32 the sample was stale.
    public var safetyFlags: UInt8 = 0

    public init() {}
}

/// `TickRecord.safetyFlags` bits.
public enum SafetyFlag {
    public static let dutyLimited: UInt8 = 1
    public static let slewLimited: UInt8 = 2
    public static let outwardBlocked: UInt8 = 4
    public static let outsideSoftLimit: UInt8 = 8
    public static let braking: UInt8 = 16
    public static let staleSample: UInt8 = 32
}
