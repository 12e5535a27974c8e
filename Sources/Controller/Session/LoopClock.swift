import MonotonicTime

/// The clock the loop shell schedules on: CLOCK_MONOTONIC in the controller, a hand-advanced
/// clock in tests (`ManualClock`), so the shell's request, retry, sequence and staleness logic
/// runs in virtual time, exhaustively and in milliseconds.
public protocol LoopClock: Sendable {
    /// Now, ns.
    func nanoseconds() -> Int64
    /// Returns when the clock reads `deadline` ns (at once if it already has).
    func sleep(until deadline: Int64)
}

/// CLOCK_MONOTONIC with absolute sleeps (`MonotonicClock`).
public struct SystemLoopClock: LoopClock {
    public init() {}
    @inline(__always) public func nanoseconds() -> Int64 { MonotonicClock.nanoseconds() }
    @inline(__always) public func sleep(until deadline: Int64) { MonotonicClock.sleep(until: deadline) }
}
