#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one monotonic clock of the learning side (CLOCK_MONOTONIC): run budgets, throughput
/// and benchmark timings all read it, so they never jump with the wall clock.
public enum MonotonicClock {
    /// `clock_gettime(CLOCK_MONOTONIC)`, ns. A vDSO call; no allocation.
    @inline(__always)
    public static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }

    /// The same clock in seconds.
    @inline(__always)
    public static func seconds() -> Double { Double(nanoseconds()) * 1e-9 }
}
