// The only file that touches the C codec (firmware-protocol/include/furuta_protocol.h):
// conversions between `Message` and `fp_message`, and thin calls to encode and decode.
import FirmwareProtocol

/// What this build of the protocol is: the numbers the handshake compares.
public enum ProtocolIdentity {
    /// `FP_PROTOCOL_VERSION`.
    public static let version = UInt16(FP_PROTOCOL_VERSION)
    /// `fp_schema_hash()`: FNV-1a of the message table the C codec uses.
    public static let schemaHash: UInt32 = fp_schema_hash()
    /// `FP_MAX_WIRE`: the longest frame on the wire, delimiter included.
    public static let maxWireLength = Int(FP_MAX_WIRE)

    /// `fp_schema_text()`: the canonical text the schema hash is computed over.
    public static var schemaText: String {
        let length = fp_schema_text(nil, 0)
        var buffer = [CChar](repeating: 0, count: length + 1)
        _ = fp_schema_text(&buffer, buffer.count)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `fp_crc32()`: CRC-32/ISO-HDLC.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { fp_crc32($0.baseAddress, $0.count) }
    }
}

extension Frame {
    /// `fp_message` → `Frame`; nil for a type this Swift layer does not know.
    init?(_ c: fp_message) {
        let b = c.body
        let message: Message
        switch Int(c.type) {
        case FP_MSG_HELLO:
            message = .hello(Hello(protocolVersion: b.hello.protocol_version, schemaHash: b.hello.schema_hash))
        case FP_MSG_COMMAND:
            message = .command(Command(dutyQ15: b.command.duty_q15, flags: CommandFlags(rawValue: b.command.flags)))
        case FP_MSG_CONFIGURE:
            message = .configure(Configuration(watchdogTimeoutMilliseconds: b.configure.watchdog_timeout_ms,
                                               dutyLimitQ15: b.configure.duty_limit_q15))
        case FP_MSG_PING:
            message = .ping(token: b.ping.token)
        case FP_MSG_REARM:
            message = .rearm
        case FP_MSG_HELLO_REPLY:
            let r = b.hello_reply
            message = .helloReply(HelloReply(
                protocolVersion: r.protocol_version, schemaHash: r.schema_hash, accepted: r.accepted != 0,
                resetReason: ResetReason(rawValue: r.reset_reason),
                firmwareVersion: FirmwareVersion(rawValue: r.firmware_version),
                armCountsPerRevolution: r.arm_counts_per_rev,
                pendulumCountsPerRevolution: r.pendulum_counts_per_rev, serial: r.serial))
        case FP_MSG_STATE:
            let s = b.state
            message = .state(DeviceState(
                timeMicroseconds: s.time_us, armCounts: s.arm_counts, pendulumCounts: s.pendulum_counts,
                lastCommandSequence: s.last_command_seq, appliedDutyQ15: s.applied_duty_q15,
                status: DeviceStatus(rawValue: s.status),
                mode: DeviceMode(rawValue: s.mode) ?? .disarmed))
        case FP_MSG_CONFIG_ACK:
            message = .configAck(Configuration(watchdogTimeoutMilliseconds: b.config_ack.watchdog_timeout_ms,
                                               dutyLimitQ15: b.config_ack.duty_limit_q15))
        case FP_MSG_PONG:
            message = .pong(token: b.pong.token, timeMicroseconds: b.pong.time_us)
        case FP_MSG_FAULT:
            let f = b.fault
            message = .fault(Fault(code: FaultCode(rawValue: f.code), detail: f.detail,
                                   timeMicroseconds: f.time_us, status: DeviceStatus(rawValue: f.status)))
        default:
            return nil
        }
        self.init(sequence: c.seq, message: message)
    }

    /// `Frame` → `fp_message`.
    var cMessage: fp_message {
        var c = fp_message()
        c.seq = sequence
        switch message {
        case .hello(let h):
            c.type = UInt8(FP_MSG_HELLO)
            c.body.hello = fp_hello(protocol_version: h.protocolVersion, schema_hash: h.schemaHash)
        case .command(let command):
            c.type = UInt8(FP_MSG_COMMAND)
            c.body.command = fp_command(duty_q15: command.dutyQ15, flags: command.flags.rawValue)
        case .configure(let config):
            c.type = UInt8(FP_MSG_CONFIGURE)
            c.body.configure = fp_configure(watchdog_timeout_ms: config.watchdogTimeoutMilliseconds,
                                            duty_limit_q15: config.dutyLimitQ15)
        case .ping(let token):
            c.type = UInt8(FP_MSG_PING)
            c.body.ping = fp_ping(token: token)
        case .rearm:
            c.type = UInt8(FP_MSG_REARM)
        case .helloReply(let r):
            c.type = UInt8(FP_MSG_HELLO_REPLY)
            c.body.hello_reply = fp_hello_reply(
                protocol_version: r.protocolVersion, schema_hash: r.schemaHash, accepted: r.accepted ? 1 : 0,
                reset_reason: r.resetReason.rawValue, firmware_version: r.firmwareVersion.rawValue,
                arm_counts_per_rev: r.armCountsPerRevolution,
                pendulum_counts_per_rev: r.pendulumCountsPerRevolution, serial: r.serial)
        case .state(let s):
            c.type = UInt8(FP_MSG_STATE)
            c.body.state = fp_state(
                time_us: s.timeMicroseconds, arm_counts: s.armCounts, pendulum_counts: s.pendulumCounts,
                last_command_seq: s.lastCommandSequence, applied_duty_q15: s.appliedDutyQ15,
                status: s.status.rawValue, mode: s.mode.rawValue)
        case .configAck(let config):
            c.type = UInt8(FP_MSG_CONFIG_ACK)
            c.body.config_ack = fp_config_ack(watchdog_timeout_ms: config.watchdogTimeoutMilliseconds,
                                              duty_limit_q15: config.dutyLimitQ15)
        case .pong(let token, let time):
            c.type = UInt8(FP_MSG_PONG)
            c.body.pong = fp_pong(token: token, time_us: time)
        case .fault(let f):
            c.type = UInt8(FP_MSG_FAULT)
            c.body.fault = fp_fault(code: f.code.rawValue, detail: f.detail, time_us: f.timeMicroseconds,
                                    status: f.status.rawValue)
        }
        return c
    }
}

/// `fp_encode_frame()`: appends the wire bytes of `frame` (delimiter included) to `output`.
/// Returns the number of bytes appended.
@discardableResult
func encodeFrame(_ frame: Frame, into output: inout [UInt8]) -> Int {
    var c = frame.cMessage
    let start = output.count
    output.append(contentsOf: repeatElement(0, count: Int(FP_MAX_WIRE)))
    let written = output.withUnsafeMutableBufferPointer { buffer in
        fp_encode_frame(&c, buffer.baseAddress! + start, Int(FP_MAX_WIRE))
    }
    output.removeLast(Int(FP_MAX_WIRE) - written)
    return written
}

/// Wraps `fp_decoder`: a value holding the C decoder's state (buffer and counters).
struct CFrameDecoder {
    private var decoder = fp_decoder()

    init() { fp_decoder_init(&decoder) }

    /// `fp_decoder_feed()` over all of `bytes`, calling `deliver` for each valid frame in order.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, deliver: (fp_message) -> Void) {
        guard var cursor = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var remaining = bytes.count
        var message = fp_message()
        var delivered: Int32 = 0
        while remaining > 0 {
            let used = fp_decoder_feed(&decoder, cursor, remaining, &message, &delivered)
            cursor += used
            remaining -= used
            if delivered != 0 { deliver(message) }
        }
    }

    var statistics: DecoderStatistics {
        let s = decoder.stats
        return DecoderStatistics(bytes: Int(s.bytes), framesDelivered: Int(s.frames_ok),
                                 crcErrors: Int(s.crc_errors), stuffingErrors: Int(s.cobs_errors),
                                 oversize: Int(s.oversize), malformed: Int(s.malformed),
                                 unknownType: Int(s.unknown_type))
    }
}
