import FirmwareLink
import Testing

@Suite struct FrameDecoderTests {
    static func frame(_ sequence: UInt16, duty: Double = 0.25) -> Frame {
        Frame(sequence: sequence, message: .command(Command(duty: duty)))
    }

    @Test func framesSurviveAnyChunking() {
        var stream: [UInt8] = []
        for s in 0..<20 { stream += FrameEncoder.bytes(of: Self.frame(UInt16(s), duty: Double(s) / 20)) }
        for chunk in [1, 2, 3, 7, 41, 1000] {
            var decoder = FrameDecoder()
            var frames: [Frame] = []
            var offset = 0
            while offset < stream.count {
                let end = min(offset + chunk, stream.count)
                frames += decoder.decode(Array(stream[offset..<end]))
                offset = end
            }
            #expect(frames.map(\.sequence) == Array(0..<20))
        }
    }

    @Test func garbageCostsAtMostTheFrameItRunsInto() {
        var decoder = FrameDecoder()
        let garbage: [UInt8] = [0x55, 0xAA, 0x13, 0x37, 0xFF]
        let stream = garbage + FrameEncoder.bytes(of: Self.frame(1)) + FrameEncoder.bytes(of: Self.frame(2))
        #expect(decoder.decode(stream).map(\.sequence) == [2])
        #expect(decoder.statistics.corruptFrames == 1)
    }

    @Test func aFlippedBitIsCountedAndNeverDelivered() {
        for position in 0..<(FrameEncoder.bytes(of: Self.frame(9)).count - 1) {
            for bit in 0..<8 {
                var bytes = FrameEncoder.bytes(of: Self.frame(9))
                bytes[position] ^= UInt8(1 << bit)
                var decoder = FrameDecoder()
                let frames = decoder.decode(bytes + [0])
                #expect(frames.isEmpty, "flip at byte \(position) bit \(bit)")
                #expect(decoder.statistics.corruptFrames >= 1)
            }
        }
    }

    @Test func sequenceGapsCountLostFrames() {
        var decoder = FrameDecoder()
        var stream: [UInt8] = []
        for s: UInt16 in [65533, 65534, 1, 2, 5] { stream += FrameEncoder.bytes(of: Self.frame(s)) }
        _ = decoder.decode(stream)
        #expect(decoder.lostFrames == 2 + 2) // 65535, 0 across the wrap; then 3, 4
    }

    @Test func encoderNumbersFramesAndWraps() {
        var encoder = FrameEncoder(firstSequence: 65535)
        var bytes: [UInt8] = []
        #expect(encoder.encode(.rearm, into: &bytes) == 65535)
        #expect(encoder.encode(.ping(token: 1), into: &bytes) == 0)
        var decoder = FrameDecoder()
        #expect(decoder.decode(bytes) == [Frame(sequence: 65535, message: .rearm),
                                          Frame(sequence: 0, message: .ping(token: 1))])
    }

    @Test func dutyQuantisationIsSymmetricAndRejectsNaN() {
        #expect(DutyScale.quantise(1) == 32767)
        #expect(DutyScale.quantise(-1) == -32767)
        #expect(DutyScale.quantise(3) == 32767)
        #expect(DutyScale.quantise(.nan) == 0)
        #expect(DutyScale.duty(-32768) == -1)
        #expect(Command(duty: 0.5).dutyQ15 == 16384)
    }
}
