import Foundation

/// A clock that moves only when told: `sleep(until:)` and the in-memory channel's waits jump
/// it forward (to the next event, or to the end of the wait). Deterministic: a test of the loop
/// shell runs thousands of periods in milliseconds, with no real time involved.
public final class ManualClock: LoopClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Int64
    /// Called with the new time whenever the clock advances (the scripted device's events).
    var onAdvance: ((Int64) -> Void)?
    private let base = ContinuousClock.now

    public init(startNanoseconds: Int64 = 1_000_000_000) { current = startNanoseconds }

    public func nanoseconds() -> Int64 { lock.withLock { current } }

    public func sleep(until deadline: Int64) { advance(to: deadline) }

    /// Moves the clock to `time` (never back).
    public func advance(to time: Int64) {
        let moved: Bool = lock.withLock {
            guard time > current else { return false }
            current = time
            return true
        }
        if moved { onAdvance?(time) }
    }

    public func advance(by nanoseconds: Int64) { advance(to: self.nanoseconds() + nanoseconds) }

    /// The same time as a `ContinuousClock.Instant`, for `DeviceLink`'s timeouts.
    var instant: ContinuousClock.Instant { base.advanced(by: .nanoseconds(nanoseconds())) }
}
