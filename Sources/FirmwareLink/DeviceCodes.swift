/// `command.flags`.
public struct CommandFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Apply the duty; without it the motor is driven at zero (the watchdog is still fed).
    public static let enable = CommandFlags(rawValue: 1 << 0)
    /// Zero the motor and latch e-stop until `rearm`.
    public static let emergencyStop = CommandFlags(rawValue: 1 << 1)
}

/// `state.status`, `fault.status`: latched conditions, cleared by `rearm`.
public struct DeviceStatus: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let watchdogTripped = DeviceStatus(rawValue: 1 << 0)
    public static let emergencyStop = DeviceStatus(rawValue: 1 << 1)
    /// The last command's duty was clamped to the configured limit (not latched).
    public static let dutyLimited = DeviceStatus(rawValue: 1 << 2)
    public static let brownout = DeviceStatus(rawValue: 1 << 3)

    public var description: String {
        let names: [(DeviceStatus, String)] = [
            (.watchdogTripped, "watchdog_tripped"), (.emergencyStop, "estop"),
            (.dutyLimited, "duty_limited"), (.brownout, "brownout"),
        ]
        let set = names.filter { contains($0.0) }.map(\.1)
        return set.isEmpty ? "ok" : set.joined(separator: ",")
    }
}

/// Why the device last reset. Unknown raw values are kept, not lost.
public enum ResetReason: Equatable, Hashable, Sendable, CustomStringConvertible {
    case unknown, powerOn, watchdog, brownout, software, panic, external
    case other(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 0: self = .unknown
        case 1: self = .powerOn
        case 2: self = .watchdog
        case 3: self = .brownout
        case 4: self = .software
        case 5: self = .panic
        case 6: self = .external
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .unknown: 0
        case .powerOn: 1
        case .watchdog: 2
        case .brownout: 3
        case .software: 4
        case .panic: 5
        case .external: 6
        case .other(let raw): raw
        }
    }

    public var description: String {
        switch self {
        case .unknown: "unknown"
        case .powerOn: "power_on"
        case .watchdog: "watchdog"
        case .brownout: "brownout"
        case .software: "software"
        case .panic: "panic"
        case .external: "external"
        case .other(let raw): "reset_\(raw)"
        }
    }
}

/// The device state machine: boot → waitingForHandshake → disarmed ⇄ armed.
public enum DeviceMode: UInt8, Equatable, Hashable, Sendable {
    case waitingForHandshake = 0
    case disarmed = 1
    case armed = 2
}

/// `fault.code`. Unknown raw values are kept.
public enum FaultCode: Equatable, Hashable, Sendable {
    case watchdog, emergencyStop, notReady
    case other(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 1: self = .watchdog
        case 2: self = .emergencyStop
        case 3: self = .notReady
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .watchdog: 1
        case .emergencyStop: 2
        case .notReady: 3
        case .other(let raw): raw
        }
    }
}

/// Firmware version packed as major << 16 | minor << 8 | patch.
public struct FirmwareVersion: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public init(major: UInt8, minor: UInt8, patch: UInt8) {
        rawValue = UInt32(major) << 16 | UInt32(minor) << 8 | UInt32(patch)
    }

    public var major: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 16) }
    public var minor: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 8) }
    public var patch: UInt8 { UInt8(truncatingIfNeeded: rawValue) }
    public var description: String { "\(major).\(minor).\(patch)" }
}
