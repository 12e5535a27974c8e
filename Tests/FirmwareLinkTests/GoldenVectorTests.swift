import FirmwareLink
import Foundation
import Testing

/// firmware-protocol/vectors/golden.txt was made by an independent Python implementation of
/// PROTOCOL.md; the Swift layer over the C codec must produce and read exactly those bytes.
@Suite struct GoldenVectorTests {
    struct Vector: CustomStringConvertible {
        var line: String
        var frame: Frame
        var bytes: [UInt8]
        var description: String { line }
    }

    static let file = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("firmware-protocol/vectors/golden.txt")

    static func lines() throws -> [String] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }

    static func vectors() throws -> [Vector] {
        try lines().filter { $0.contains(" => ") }.map { line in
            let halves = line.components(separatedBy: " => ")
            var words = halves[0].split(separator: " ").map(String.init)
            let name = words.removeFirst()
            var fields: [String: Int64] = [:]
            for word in words {
                let pair = word.split(separator: "=", maxSplits: 1).map(String.init)
                fields[pair[0]] = Int64(bitPattern: UInt64(pair[1]) ?? UInt64(bitPattern: Int64(pair[1])!))
            }
            let frame = Frame(sequence: UInt16(fields["seq"]!), message: try message(named: name, fields))
            return Vector(line: line, frame: frame, bytes: hexBytes(halves[1]))
        }
    }

    @Test func protocolVersionSchemaHashAndCRCMatchTheVectors() throws {
        let header = try Self.lines().filter { !$0.contains(" => ") }
        #expect(header.contains("protocol_version \(ProtocolIdentity.version)"))
        let hash = String(ProtocolIdentity.schemaHash, radix: 16)
        #expect(header.contains("schema_hash 0x\(String(repeating: "0", count: 8 - hash.count) + hash)"))
        #expect(ProtocolIdentity.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(ProtocolIdentity.schemaText.hasPrefix("01 hello: u16 protocol_version, u32 schema_hash\n"))
    }

    @Test func everyVectorEncodesToItsBytes() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count >= 13)
        for vector in vectors {
            #expect(FrameEncoder.bytes(of: vector.frame) == vector.bytes, "\(vector)")
        }
    }

    @Test func everyVectorDecodesToItsMessage() throws {
        var decoder = FrameDecoder()
        let vectors = try Self.vectors()
        for vector in vectors {
            #expect(decoder.decode(vector.bytes) == [vector.frame], "\(vector)")
        }
        #expect(decoder.statistics.corruptFrames == 0)
    }
}

func hexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        bytes.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

struct UnknownVectorMessage: Error { var name: String }

/// Builds a message from the vector file's snake_case field names.
func message(named name: String, _ f: [String: Int64]) throws -> Message {
    func u8(_ k: String) -> UInt8 { UInt8(truncatingIfNeeded: f[k]!) }
    func u16(_ k: String) -> UInt16 { UInt16(truncatingIfNeeded: f[k]!) }
    func i16(_ k: String) -> Int16 { Int16(truncatingIfNeeded: f[k]!) }
    func u32(_ k: String) -> UInt32 { UInt32(truncatingIfNeeded: f[k]!) }
    func i32(_ k: String) -> Int32 { Int32(truncatingIfNeeded: f[k]!) }
    func u64(_ k: String) -> UInt64 { UInt64(bitPattern: f[k]!) }
    switch name {
    case "hello":
        return .hello(Hello(protocolVersion: u16("protocol_version"), schemaHash: u32("schema_hash")))
    case "command":
        return .command(Command(dutyQ15: i16("duty_q15"), flags: CommandFlags(rawValue: u8("flags"))))
    case "configure":
        return .configure(Configuration(watchdogTimeoutMilliseconds: u16("watchdog_timeout_ms"),
                                        dutyLimitQ15: i16("duty_limit_q15")))
    case "ping": return .ping(token: u32("token"))
    case "rearm": return .rearm
    case "hello_reply":
        return .helloReply(HelloReply(
            protocolVersion: u16("protocol_version"), schemaHash: u32("schema_hash"),
            accepted: u8("accepted") != 0, resetReason: ResetReason(rawValue: u8("reset_reason")),
            firmwareVersion: FirmwareVersion(rawValue: u32("firmware_version")),
            armCountsPerRevolution: u32("arm_counts_per_rev"),
            pendulumCountsPerRevolution: u32("pendulum_counts_per_rev"), serial: u64("serial")))
    case "state":
        return .state(DeviceState(
            timeMicroseconds: u64("time_us"), armCounts: i32("arm_counts"),
            pendulumCounts: i32("pendulum_counts"), lastCommandSequence: u16("last_command_seq"),
            appliedDutyQ15: i16("applied_duty_q15"), status: DeviceStatus(rawValue: u16("status")),
            mode: DeviceMode(rawValue: u8("mode"))!))
    case "config_ack":
        return .configAck(Configuration(watchdogTimeoutMilliseconds: u16("watchdog_timeout_ms"),
                                        dutyLimitQ15: i16("duty_limit_q15")))
    case "pong": return .pong(token: u32("token"), timeMicroseconds: u64("time_us"))
    case "fault":
        return .fault(Fault(code: FaultCode(rawValue: u8("code")), detail: u8("detail"),
                            timeMicroseconds: u64("time_us"), status: DeviceStatus(rawValue: u16("status"))))
    default:
        throw UnknownVectorMessage(name: name)
    }
}
