// The only file of Twin that calls the C firmware core (furuta_firmware.h): a HAL whose
// function pointers call back into this object through its context pointer.
import FirmwareLink
import FirmwareProtocol

/// How a twin introduces itself in the handshake.
public struct TwinIdentity: Equatable, Sendable {
    public var firmwareVersion = FirmwareVersion(major: 0, minor: 1, patch: 0)
    public var serial: UInt64 = 0x7717_0000_0001
    /// What the twin speaks; set another version to test a host's refusal.
    public var protocolSide = ProtocolSide.thisBuild

    public init() {}
}

/// One change of the motor duty, on the device clock.
public struct DutyChange: Equatable, Sendable {
    public var timeMicroseconds: UInt64
    public var dutyQ15: Int16
}

/// The C firmware core with in-memory hardware: a clock, two encoder values, a motor output and
/// serial byte queues. Not thread-safe; `VirtualDevice` serialises access.
final class FirmwareCore {
    private let device = UnsafeMutablePointer<fp_device>.allocate(capacity: 1)
    private(set) var identity: TwinIdentity
    private let countsPerRevolution: (arm: UInt32, pendulum: UInt32)

    // Hardware as the firmware sees it.
    var nowMicroseconds: UInt64 = 0
    var encoderCounts: (arm: Int32, pendulum: Int32) = (0, 0)
    private(set) var resetReason: ResetReason = .powerOn
    private(set) var dutyQ15: Int16 = 0
    private(set) var dutyChanges: [DutyChange] = []
    private var input: [UInt8] = []
    private var inputHead = 0
    /// Bytes the firmware wrote, waiting to be taken by the twin.
    var output: [UInt8] = []

    init(identity: TwinIdentity, armCountsPerRevolution: UInt32, pendulumCountsPerRevolution: UInt32) {
        self.identity = identity
        countsPerRevolution = (armCountsPerRevolution, pendulumCountsPerRevolution)
        device.initialize(to: fp_device())
    }

    deinit { device.deallocate() }

    /// `fp_device_init`: a (re)boot with the given reset reason. Queued input is lost.
    func boot(resetReason reason: ResetReason) {
        resetReason = reason
        input.removeAll(keepingCapacity: true)
        inputHead = 0
        var id = fp_device_identity()
        fp_device_identity_default(&id)
        id.protocol_version = identity.protocolSide.version
        id.schema_hash = identity.protocolSide.schemaHash
        id.firmware_version = identity.firmwareVersion.rawValue
        id.arm_counts_per_rev = countsPerRevolution.arm
        id.pendulum_counts_per_rev = countsPerRevolution.pendulum
        id.serial = identity.serial
        var hal = fp_hal()
        hal.context = Unmanaged.passUnretained(self).toOpaque()
        hal.time_us = { FirmwareCore.from($0).nowMicroseconds }
        hal.read_encoders = { context, arm, pendulum in
            let core = FirmwareCore.from(context)
            arm?.pointee = core.encoderCounts.arm
            pendulum?.pointee = core.encoderCounts.pendulum
        }
        hal.set_duty = { context, duty in FirmwareCore.from(context).motorOutput(duty) }
        hal.serial_read = { context, buffer, capacity in
            FirmwareCore.from(context).takeInput(into: buffer, capacity: capacity)
        }
        hal.serial_write = { context, bytes, length in
            guard let bytes else { return }
            FirmwareCore.from(context).output.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
        }
        hal.reset_reason = { FirmwareCore.from($0).resetReason.rawValue }
        fp_device_init(device, &hal, &id)
    }

    /// Queues bytes as received on the device's UART.
    func receive(_ bytes: [UInt8]) {
        if inputHead == input.count {
            input.removeAll(keepingCapacity: true)
            inputHead = 0
        }
        input.append(contentsOf: bytes)
    }

    /// `fp_device_poll`: one main-loop pass at `nowMicroseconds`.
    func poll() { fp_device_poll(device) }

    var mode: DeviceMode { DeviceMode(rawValue: device.pointee.mode) ?? .waitingForHandshake }
    var status: DeviceStatus { DeviceStatus(rawValue: device.pointee.status) }
    var watchdogTimeoutMilliseconds: UInt16 { device.pointee.watchdog_timeout_ms }
    var counters: fp_device_counters { device.pointee.counters }

    var decoderStatistics: DecoderStatistics {
        let s = device.pointee.decoder.stats
        return DecoderStatistics(bytes: Int(s.bytes), framesDelivered: Int(s.frames_ok),
                                 crcErrors: Int(s.crc_errors), stuffingErrors: Int(s.cobs_errors),
                                 oversize: Int(s.oversize), malformed: Int(s.malformed),
                                 unknownType: Int(s.unknown_type))
    }

    // MARK: HAL callbacks

    private static func from(_ context: UnsafeMutableRawPointer?) -> FirmwareCore {
        Unmanaged<FirmwareCore>.fromOpaque(context!).takeUnretainedValue()
    }

    private func motorOutput(_ duty: Int16) {
        if duty != dutyQ15 || dutyChanges.isEmpty {
            if dutyChanges.count >= 4096 { dutyChanges.removeFirst(2048) }
            dutyChanges.append(DutyChange(timeMicroseconds: nowMicroseconds, dutyQ15: duty))
        }
        dutyQ15 = duty
    }

    private func takeInput(into buffer: UnsafeMutablePointer<UInt8>?, capacity: Int) -> Int {
        guard let buffer else { return 0 }
        let count = min(capacity, input.count - inputHead)
        for i in 0..<count { buffer[i] = input[inputHead + i] }
        inputHead += count
        return count
    }
}
