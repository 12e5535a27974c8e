/// Everything that can go wrong talking to the device, each saying what to do about it.
public enum LinkError: Error, Equatable, CustomStringConvertible {
    /// The port could not be opened or configured.
    case cannotOpen(path: String, SystemError)
    /// A read or write failed for a reason other than the device going away.
    case io(port: String, SystemError)
    /// The device went away (unplugged, twin stopped, pty closed).
    case disconnected(port: String)
    /// Nothing suitable arrived in time.
    case timeout(port: String, waitingFor: String, after: Duration)
    /// The device speaks another protocol version or message layout.
    case protocolMismatch(ProtocolMismatch)

    /// Maps a system error: EIO, ENXIO, EBADF and ENODEV mean the other side is gone;
    /// EAGAIN from a write means its queue stayed full.
    init(_ error: SystemError, port: String) {
        switch error.errno {
        case 5 /* EIO */, 6 /* ENXIO */, 9 /* EBADF */, 19 /* ENODEV */:
            self = .disconnected(port: port)
        case 11 /* EAGAIN: the write queue stayed full */:
            self = .timeout(port: port, waitingFor: "room to write (the device stopped reading)",
                            after: .milliseconds(100))
        default:
            self = .io(port: port, error)
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let error):
            var hint = "check the path exists (ls -l \(path))"
            if error.errno == 25 /* ENOTTY */ {
                hint = "\(path) exists but is not a serial port or pseudo-terminal; give the ESP32's port (furuta-controller devices lists them) or the twin's --link"
            }
            if error.errno == 13 { hint = "add yourself to the dialout group or install tools/ udev rule" }
            if error.errno == 17 /* EEXIST */ {
                hint = "\(path) exists and is not a symbolic link; it is left alone: remove it or choose another --link"
            }
            if error.errno == 16 { hint = "another program holds the port (fuser \(path))" }
            return "cannot open \(path): \(error); \(hint)."
        case .io(let port, let error):
            return "I/O error on \(port): \(error)."
        case .disconnected(let port):
            return "the device on \(port) disconnected; check the USB cable or restart the twin."
        case .timeout(let port, let what, let after):
            return "no \(what) from \(port) within \(after); is the firmware flashed and running, "
                + "and is this the right port?"
        case .protocolMismatch(let mismatch):
            return mismatch.description
        }
    }
}

/// One side of a handshake: the protocol version and schema hash it speaks.
public struct ProtocolSide: Equatable, Sendable, CustomStringConvertible {
    public var version: UInt16
    public var schemaHash: UInt32

    public init(version: UInt16, schemaHash: UInt32) {
        self.version = version
        self.schemaHash = schemaHash
    }

    /// This build's protocol.
    public static let thisBuild = ProtocolSide(version: ProtocolIdentity.version,
                                               schemaHash: ProtocolIdentity.schemaHash)

    public var description: String { "protocol \(version) (schema 0x\(hex8(schemaHash)))" }
}

/// The handshake was refused: names both sides so the user knows which to rebuild.
public struct ProtocolMismatch: Equatable, Sendable, CustomStringConvertible {
    public var port: String
    public var host: ProtocolSide
    public var device: ProtocolSide
    public var firmwareVersion: FirmwareVersion

    public init(port: String, host: ProtocolSide, device: ProtocolSide, firmwareVersion: FirmwareVersion) {
        self.port = port
        self.host = host
        self.device = device
        self.firmwareVersion = firmwareVersion
    }

    public var description: String {
        let what = host.version != device.version ? "protocol version mismatch" : "message schema mismatch"
        return "\(what): this host speaks \(host), the device on \(port) (firmware \(firmwareVersion)) "
            + "speaks \(device). Flash firmware built from this checkout "
            + "(cd firmware-protocol/esp32 && pio run -t upload) or use the host build matching the firmware."
    }
}

func hex8(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
