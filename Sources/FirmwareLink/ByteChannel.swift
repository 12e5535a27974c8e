/// A bidirectional byte stream a `DeviceLink` talks over: a serial port, a pty, or an
/// in-memory pair in tests.
public protocol ByteChannel: AnyObject {
    /// Human-readable name used in errors (the port path).
    var name: String { get }
    /// Writes all bytes or throws.
    func write(_ bytes: UnsafeRawBufferPointer) throws(LinkError)
    /// Waits up to `timeout` for bytes; returns how many were read, 0 on timeout.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration) throws(LinkError) -> Int
    /// The clock `DeviceLink` measures its timeouts on: the continuous clock, except for a test
    /// double whose time is advanced by hand (a channel whose `read` waits in virtual time).
    var now: ContinuousClock.Instant { get }
}

extension ByteChannel {
    public var now: ContinuousClock.Instant { ContinuousClock.now }
}

extension Duration {
    /// Whole nanoseconds, clamped to Int64 (negative: 0).
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds < Int64.max / 1_000_000_000 else { return .max }
        return max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Whole milliseconds, rounded up so a short positive wait is never zero; clamped to Int32.
    var pollMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(0, milliseconds))
    }
}
