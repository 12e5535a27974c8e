import FirmwareLink
import Foundation
import Testing

/// Mutation fuzz of the streaming decoder through the Swift layer (the C-only twin of this is
/// `make -C firmware-protocol fuzz`, 10 M frames).
///
/// A pool of valid frames, pool frame i carrying sequence number i, is streamed with random
/// damage: bit flips, byte replacements, insertions, deletions, truncations, several flips,
/// and runs of random garbage (with or without 0x00). Oracles:
///   - no corrupted frame is delivered: a delivered frame with sequence s equals pool frame s;
///   - resynchronisation: every undamaged frame whose preceding byte is a delimiter (or the
///     stream start) is delivered, so garbage costs at most the one frame it runs into.
@Suite struct DecoderFuzzTests {
    static let poolSize = 4096
    static let totalFrames = 1_000_000
    static let framesPerStream = 20_000

    struct Generator {
        var random: SplitMix64Test

        mutating func message() -> Message {
            func u<T: FixedWidthInteger>(_: T.Type) -> T { T(truncatingIfNeeded: random.next()) }
            switch random.next() % 10 {
            case 0: return .hello(Hello(protocolVersion: u(UInt16.self), schemaHash: u(UInt32.self)))
            case 1: return .command(Command(dutyQ15: u(Int16.self), flags: CommandFlags(rawValue: u(UInt8.self))))
            case 2: return .configure(Configuration(watchdogTimeoutMilliseconds: u(UInt16.self), dutyLimitQ15: u(Int16.self)))
            case 3: return .ping(token: u(UInt32.self))
            case 4: return .rearm
            case 5:
                return .helloReply(HelloReply(
                    protocolVersion: u(UInt16.self), schemaHash: u(UInt32.self), accepted: random.next() & 1 == 0,
                    resetReason: ResetReason(rawValue: u(UInt8.self)), firmwareVersion: FirmwareVersion(rawValue: u(UInt32.self)),
                    armCountsPerRevolution: u(UInt32.self), pendulumCountsPerRevolution: u(UInt32.self), serial: u(UInt64.self)))
            case 6:
                // Mostly small values: many zero bytes, the interesting case for COBS.
                return .state(DeviceState(
                    timeMicroseconds: random.next() % 5_000_000, armCounts: Int32(truncatingIfNeeded: random.next() % 512) - 256,
                    pendulumCounts: u(Int32.self), lastCommandSequence: u(UInt16.self), appliedDutyQ15: 0,
                    status: DeviceStatus(rawValue: u(UInt16.self) & 0xF), mode: DeviceMode(rawValue: UInt8(random.next() % 3))!))
            case 7: return .configAck(Configuration(watchdogTimeoutMilliseconds: u(UInt16.self), dutyLimitQ15: u(Int16.self)))
            case 8: return .pong(token: u(UInt32.self), timeMicroseconds: u(UInt64.self))
            default:
                return .fault(Fault(code: FaultCode(rawValue: u(UInt8.self)), detail: 0, timeMicroseconds: u(UInt64.self),
                                    status: DeviceStatus(rawValue: u(UInt16.self))))
            }
        }
    }

    @Test func decoderNeverDeliversCorruptFramesAndResynchronises() {
        var generator = Generator(random: SplitMix64Test(seed: 0xF0225))
        let pool = (0..<Self.poolSize).map { Frame(sequence: UInt16($0), message: generator.message()) }
        let poolBytes = pool.map { FrameEncoder.bytes(of: $0) }
        var random = generator.random

        let start = ContinuousClock.now
        var decoder = FrameDecoder()
        var stream: [UInt8] = []
        stream.reserveCapacity(Self.framesPerStream * 60)
        var mustDeliver: [Int] = []
        var delivered: [Int] = []
        var framesStreamed = 0, intact = 0, corruptDelivered = 0, resyncFailures = 0, deliveredTotal = 0
        var previous: UInt8 = 0x00

        while framesStreamed < Self.totalFrames {
            stream.removeAll(keepingCapacity: true)
            mustDeliver.removeAll(keepingCapacity: true)
            delivered.removeAll(keepingCapacity: true)
            for _ in 0..<Self.framesPerStream {
                let index = Int(random.next() % UInt64(Self.poolSize))
                let r = random.next()
                let begin = stream.count
                stream.append(contentsOf: poolBytes[index])
                let length = stream.count - begin
                let at = begin + Int((r >> 8) % UInt64(length))
                switch r % 9 {
                case 0, 1: // intact
                    intact += 1
                    if previous == 0x00 { mustDeliver.append(index) }
                case 2: stream[at] ^= UInt8(1) << ((r >> 20) % 8)
                case 3: stream[at] = UInt8(truncatingIfNeeded: r >> 24)
                case 4: stream.insert(UInt8(truncatingIfNeeded: r >> 24), at: at)
                case 5: stream.remove(at: at)
                case 6: stream.removeLast(stream.count - at) // truncate
                case 7: // a run of garbage instead of the frame
                    stream.removeLast(length)
                    for _ in 0..<(1 + (r >> 32) % 60) { stream.append(UInt8(truncatingIfNeeded: random.next())) }
                default:
                    for _ in 0..<3 { stream[begin + Int(random.next() % UInt64(length))] ^= UInt8(truncatingIfNeeded: random.next() | 1) }
                }
                if stream.count > begin { previous = stream[stream.count - 1] }
                framesStreamed += 1
            }
            stream.withUnsafeBytes { bytes in
                decoder.feed(bytes) { frame in
                    let index = Int(frame.sequence)
                    if index >= pool.count || frame != pool[index] { corruptDelivered += 1 }
                    delivered.append(index)
                }
            }
            deliveredTotal += delivered.count
            // mustDeliver must be a subsequence of delivered (greedy match is exact for that).
            var j = 0
            for index in delivered where j < mustDeliver.count && mustDeliver[j] == index { j += 1 }
            resyncFailures += mustDeliver.count - j
        }
        let elapsed = ContinuousClock.now - start
        let stats = decoder.statistics
        print("decoder fuzz: \(framesStreamed) mutated/random frames (\(intact) intact), \(deliveredTotal) delivered, "
              + "\(stats.corruptFrames) corrupt dropped, \(stats.unknownType) unknown type, "
              + "0 crashes, \(corruptDelivered) corrupted delivered, \(resyncFailures) missed resyncs, in \(elapsed)")
        #expect(framesStreamed >= 1_000_000)
        #expect(corruptDelivered == 0)
        #expect(resyncFailures == 0)
        #expect(deliveredTotal >= intact / 2) // sanity: the oracle saw real traffic
    }
}

/// SplitMix64 for the test's reproducible randomness (Twin has the public one).
struct SplitMix64Test: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
