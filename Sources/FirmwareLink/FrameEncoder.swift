/// Turns messages into wire frames, numbering them 0, 1, 2, … (mod 2^16).
public struct FrameEncoder: Sendable {
    /// The sequence number the next frame will carry.
    public var nextSequence: UInt16
    public private(set) var framesEncoded = 0

    public init(firstSequence: UInt16 = 0) { nextSequence = firstSequence }

    /// Appends the frame for `message` to `output` and returns the sequence number it carries.
    @discardableResult
    public mutating func encode(_ message: Message, into output: inout [UInt8]) -> UInt16 {
        let sequence = nextSequence
        encodeFrame(Frame(sequence: sequence, message: message), into: &output)
        nextSequence &+= 1
        framesEncoded += 1
        return sequence
    }

    /// The wire bytes of one frame with an explicit sequence number (vectors, tests, the twin).
    public static func bytes(of frame: Frame) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(ProtocolIdentity.maxWireLength)
        encodeFrame(frame, into: &output)
        return output
    }
}
