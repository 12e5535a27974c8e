import FirmwareLink

/// The host's end of an in-memory byte channel to a `ScriptedDevice`, on a `ManualClock`.
/// A write reaches the device at once (at the current virtual time); the device's replies
/// arrive at the times it scheduled them. `read(timeout:)` waits in virtual time: it advances
/// the clock to the next arrival if that is within the timeout, else by the whole timeout.
public final class InMemoryChannel: ByteChannel {
    public let name: String
    public let clock: ManualClock
    private var arrivals: [(time: Int64, bytes: [UInt8])] = []
    private var device: ((UnsafeRawBufferPointer, Int64) -> Void)?
    /// Set by the device to make every read and write fail (the cable pulled).
    public var isDisconnected = false

    public init(name: String = "in-memory", clock: ManualClock) {
        self.name = name
        self.clock = clock
    }

    /// Connects the far end: `receive(bytes, now)` is called for each host write.
    func attach(_ receive: @escaping (UnsafeRawBufferPointer, Int64) -> Void) { device = receive }

    /// Queues bytes to arrive at the host at `time` (in order of arrival time, then of queuing).
    func deliver(_ bytes: [UInt8], at time: Int64) {
        let index = arrivals.firstIndex { $0.time > time } ?? arrivals.count
        arrivals.insert((time, bytes), at: index)
    }

    public var now: ContinuousClock.Instant { clock.instant }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(LinkError) {
        if isDisconnected { throw .disconnected(port: name) }
        device?(bytes, clock.nanoseconds())
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration) throws(LinkError) -> Int {
        if isDisconnected { throw .disconnected(port: name) }
        let now = clock.nanoseconds()
        let (seconds, attoseconds) = timeout.components
        let end = now + max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        guard let first = arrivals.first, first.time <= end else {
            clock.advance(to: end)
            return 0
        }
        clock.advance(to: first.time)
        // Everything that has arrived by now, as one read (up to the buffer's size).
        var count = 0
        while let next = arrivals.first, next.time <= clock.nanoseconds(), count + next.bytes.count <= buffer.count {
            for byte in next.bytes {
                buffer[count] = byte
                count += 1
            }
            arrivals.removeFirst()
        }
        return count
    }
}
