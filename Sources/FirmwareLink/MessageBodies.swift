/// Duty travels as int16 in units of 1/32767: duty = q15 / 32767 (−32768 reads as −32767).
public enum DutyScale {
    public static let fullScale: Double = 32767

    /// q15 = round(clamp(duty, −1, 1) · 32767); NaN maps to 0 so it can never drive the motor.
    public static func quantise(_ duty: Double) -> Int16 {
        guard !duty.isNaN else { return 0 }
        let clamped = min(max(duty, -1), 1)
        return Int16((clamped * fullScale).rounded())
    }

    public static func duty(_ q15: Int16) -> Double { Double(max(q15, -32767)) / fullScale }
}

/// Host → device: the opening of a session.
public struct Hello: Equatable, Sendable {
    public var protocolVersion: UInt16
    public var schemaHash: UInt32

    public init(protocolVersion: UInt16, schemaHash: UInt32) {
        self.protocolVersion = protocolVersion
        self.schemaHash = schemaHash
    }
}

/// Host → device: one motor command. The device answers every command with a `DeviceState`.
public struct Command: Equatable, Sendable {
    public var dutyQ15: Int16
    public var flags: CommandFlags

    public init(dutyQ15: Int16, flags: CommandFlags) {
        self.dutyQ15 = dutyQ15
        self.flags = flags
    }

    /// A command driving `duty` ∈ [−1, 1] (quantised to 1/32767), enabled unless told otherwise.
    public init(duty: Double, flags: CommandFlags = .enable) {
        self.init(dutyQ15: DutyScale.quantise(duty), flags: flags)
    }

    public var duty: Double { DutyScale.duty(dutyQ15) }
}

/// Host → device `configure`, and the device's `config_ack` with the values it actually applied
/// (it clamps the timeout to 5…5000 ms and a negative limit to 0).
public struct Configuration: Equatable, Sendable {
    public var watchdogTimeoutMilliseconds: UInt16
    public var dutyLimitQ15: Int16

    public init(watchdogTimeoutMilliseconds: UInt16, dutyLimitQ15: Int16) {
        self.watchdogTimeoutMilliseconds = watchdogTimeoutMilliseconds
        self.dutyLimitQ15 = dutyLimitQ15
    }

    public init(watchdogTimeoutMilliseconds: UInt16, dutyLimit: Double) {
        self.init(watchdogTimeoutMilliseconds: watchdogTimeoutMilliseconds,
                  dutyLimitQ15: DutyScale.quantise(abs(dutyLimit)))
    }

    public var dutyLimit: Double { DutyScale.duty(dutyLimitQ15) }
}

/// Device → host: the answer to `hello`, accepted or not, always naming the device's side.
public struct HelloReply: Equatable, Sendable {
    public var protocolVersion: UInt16
    public var schemaHash: UInt32
    public var accepted: Bool
    public var resetReason: ResetReason
    public var firmwareVersion: FirmwareVersion
    public var armCountsPerRevolution: UInt32
    public var pendulumCountsPerRevolution: UInt32
    public var serial: UInt64

    public init(protocolVersion: UInt16, schemaHash: UInt32, accepted: Bool,
                resetReason: ResetReason, firmwareVersion: FirmwareVersion,
                armCountsPerRevolution: UInt32, pendulumCountsPerRevolution: UInt32,
                serial: UInt64) {
        self.protocolVersion = protocolVersion
        self.schemaHash = schemaHash
        self.accepted = accepted
        self.resetReason = resetReason
        self.firmwareVersion = firmwareVersion
        self.armCountsPerRevolution = armCountsPerRevolution
        self.pendulumCountsPerRevolution = pendulumCountsPerRevolution
        self.serial = serial
    }
}

/// Device → host: a sample, sent in reply to every `command` and `rearm`.
public struct DeviceState: Equatable, Sendable {
    /// Device clock when the encoders were read, µs since boot.
    public var timeMicroseconds: UInt64
    public var armCounts: Int32
    public var pendulumCounts: Int32
    /// Sequence number of the last `command` the device received.
    public var lastCommandSequence: UInt16
    /// What reaches the motor now, 1/32767 units.
    public var appliedDutyQ15: Int16
    public var status: DeviceStatus
    public var mode: DeviceMode

    public init(timeMicroseconds: UInt64, armCounts: Int32, pendulumCounts: Int32,
                lastCommandSequence: UInt16, appliedDutyQ15: Int16, status: DeviceStatus,
                mode: DeviceMode) {
        self.timeMicroseconds = timeMicroseconds
        self.armCounts = armCounts
        self.pendulumCounts = pendulumCounts
        self.lastCommandSequence = lastCommandSequence
        self.appliedDutyQ15 = appliedDutyQ15
        self.status = status
        self.mode = mode
    }

    public var appliedDuty: Double { DutyScale.duty(appliedDutyQ15) }
}

/// Device → host: a condition that stopped the motor, or a refusal before the handshake.
public struct Fault: Equatable, Sendable {
    public var code: FaultCode
    /// For `.notReady`, the raw reset reason; otherwise 0.
    public var detail: UInt8
    public var timeMicroseconds: UInt64
    public var status: DeviceStatus

    public init(code: FaultCode, detail: UInt8, timeMicroseconds: UInt64, status: DeviceStatus) {
        self.code = code
        self.detail = detail
        self.timeMicroseconds = timeMicroseconds
        self.status = status
    }
}
