import Learning
import Simulation
/// Faults a `VirtualDevice` injects, to test that the host notices and stays safe.
/// Times are seconds of device time since the twin started (wall time × speed).
public struct FaultInjection: Equatable, Sendable {
    /// Probability that a whole frame is dropped, each direction (decided at each frame start).
    public var dropFrameProbability: Double = 0
    /// Probability that a single byte is dropped, each direction.
    public var dropByteProbability: Double = 0
    /// Probability that a byte is corrupted (xor with a random non-zero value), each direction.
    public var corruptByteProbability: Double = 0
    /// Extra latency on every device → host byte (added to the link model's device → host base).
    public var replyDelay: Duration = .zero
    /// From then on the device's serial task stops reading and answering. Its control task
    /// goes on, so the firmware watchdog zeroes the motor as on the real board.
    public var stallAfter: Double?
    /// Then the pty closes: the host sees the device vanish. The firmware keeps running (as a
    /// board on its own supply would), so its watchdog zeroes the motor.
    public var disconnectAfter: Double?
    /// Then the device resets once, as on a supply dip: motor off, encoder counts restart from
    /// zero, it waits for a new handshake and reports reset reason brownout.
    public var brownoutAfter: Double?
    /// From then on the device's clock and encoder counts freeze as the firmware sees them (a
    /// hung timer or a proxy replaying values): it goes on answering with valid states whose
    /// time and counts no longer advance, and its own watchdog, on the same clock, never trips.
    /// The plant keeps moving under the duty applied.
    public var freezeClockAfter: Double?
    /// Seed of the generator deciding drops and corruption.
    public var seed: UInt64 = 0x7417

    public init() {}

    public static let none = FaultInjection()
}

/// Counts of what a `ByteFaults` did to one direction of traffic.
public struct FaultCounters: Equatable, Sendable {
    public var bytesPassed = 0
    public var bytesDropped = 0
    public var bytesCorrupted = 0
    public var framesDropped = 0

    public init() {}
}

/// Applies the random byte and frame faults of a `FaultInjection` to one direction of traffic.
public struct ByteFaults: Sendable {
    public let dropFrameProbability: Double
    public let dropByteProbability: Double
    public let corruptByteProbability: Double
    private var random: SplitMix64
    private var atFrameStart = true
    private var droppingFrame = false
    public private(set) var counters = FaultCounters()

    public init(_ faults: FaultInjection, stream: UInt64) {
        dropFrameProbability = faults.dropFrameProbability
        dropByteProbability = faults.dropByteProbability
        corruptByteProbability = faults.corruptByteProbability
        random = SplitMix64(seed: faults.seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
    }

    public var isTransparent: Bool {
        dropFrameProbability <= 0 && dropByteProbability <= 0 && corruptByteProbability <= 0
    }

    /// Passes `bytes` through the faults, appending what survives to `output`.
    public mutating func apply(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        for byte in bytes {
            if atFrameStart {
                droppingFrame = random.chance(dropFrameProbability)
                if droppingFrame { counters.framesDropped += 1 }
            }
            atFrameStart = byte == 0x00 // the frame ends with its delimiter
            if droppingFrame || random.chance(dropByteProbability) {
                counters.bytesDropped += 1
                continue
            }
            var out = byte
            if random.chance(corruptByteProbability) {
                out ^= UInt8.random(in: 1...255, using: &random)
                counters.bytesCorrupted += 1
            }
            counters.bytesPassed += 1
            output.append(out)
        }
    }
}
