/// What the device told us in an accepted handshake.
public struct DeviceInfo: Equatable, Sendable {
    public var port: String
    public var protocolVersion: UInt16
    public var schemaHash: UInt32
    public var firmwareVersion: FirmwareVersion
    public var resetReason: ResetReason
    public var armCountsPerRevolution: UInt32
    public var pendulumCountsPerRevolution: UInt32
    public var serial: UInt64

    public init(port: String, reply: HelloReply) {
        self.port = port
        protocolVersion = reply.protocolVersion
        schemaHash = reply.schemaHash
        firmwareVersion = reply.firmwareVersion
        resetReason = reply.resetReason
        armCountsPerRevolution = reply.armCountsPerRevolution
        pendulumCountsPerRevolution = reply.pendulumCountsPerRevolution
        serial = reply.serial
    }

    /// The serial as 16 hex digits (an ESP32 puts its MAC in the low 48 bits).
    public var serialHex: String {
        let digits = String(serial, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}
