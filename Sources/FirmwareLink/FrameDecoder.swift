/// Streaming decoder over the C one: push bytes in any chunking; frames come out whole and
/// verified, or are dropped and counted. Resynchronises at the next 0x00 delimiter.
public struct FrameDecoder {
    private var decoder = CFrameDecoder()
    private var expectedSequence: UInt16?
    /// Frames missing from the sender's numbering (sum of sequence gaps).
    public private(set) var lostFrames = 0

    public init() {}

    /// Decodes `bytes`, calling `deliver` for each valid frame in order.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, deliver: (Frame) -> Void) {
        decoder.feed(bytes) { c in
            if let expected = expectedSequence, c.seq != expected {
                lostFrames += Int(c.seq &- expected)
            }
            expectedSequence = c.seq &+ 1
            if let frame = Frame(c) { deliver(frame) }
        }
    }

    /// Convenience for tests and tools: decodes `bytes` and returns the frames found.
    public mutating func decode(_ bytes: [UInt8]) -> [Frame] {
        var frames: [Frame] = []
        bytes.withUnsafeBytes { feed($0) { frames.append($0) } }
        return frames
    }

    /// Forget the sender's numbering (a new session, e.g. after a handshake).
    public mutating func resetSequenceTracking() { expectedSequence = nil }

    public var statistics: DecoderStatistics { decoder.statistics }
}
