/// What the C decoder counted. Every frame that ended at a delimiter is in exactly one of
/// `framesDelivered`, `crcErrors`, `stuffingErrors`, `oversize`, `malformed`, `unknownType`.
public struct DecoderStatistics: Equatable, Sendable {
    public var bytes = 0
    public var framesDelivered = 0
    public var crcErrors = 0
    public var stuffingErrors = 0
    /// More than `FP_MAX_ENCODED` bytes without a delimiter.
    public var oversize = 0
    /// Too short for header and CRC, or the wrong body length for its type.
    public var malformed = 0
    /// CRC good, type unknown to this build.
    public var unknownType = 0

    public init() {}

    public init(bytes: Int, framesDelivered: Int, crcErrors: Int, stuffingErrors: Int,
                oversize: Int, malformed: Int, unknownType: Int) {
        self.bytes = bytes
        self.framesDelivered = framesDelivered
        self.crcErrors = crcErrors
        self.stuffingErrors = stuffingErrors
        self.oversize = oversize
        self.malformed = malformed
        self.unknownType = unknownType
    }

    /// Frames dropped because their bytes were damaged (everything but `unknownType`).
    public var corruptFrames: Int { crcErrors + stuffingErrors + oversize + malformed }
}

/// The health of one direction-pair of a link, as the host sees it.
public struct LinkCounters: Equatable, Sendable {
    public var framesSent = 0
    public var bytesSent = 0
    public var framesReceived = 0
    public var bytesReceived = 0
    /// Received frames dropped for damage (CRC, stuffing, length).
    public var corruptFrames = 0
    /// Received frames with a good CRC but a type this build does not know.
    public var unknownFrames = 0
    /// Frames the device sent that never arrived: the sum of gaps in its sequence numbers,
    /// gap = (received − expected) mod 2^16.
    public var lostFrames = 0

    public init() {}
}
