#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_MONOTONIC in nanoseconds, and absolute sleeps on it. The loop's schedule is a list of
/// absolute deadlines on this clock, so a late wake-up never shifts later ones (no drift).
public enum MonotonicClock {
    /// `clock_gettime(CLOCK_MONOTONIC)`, ns. A vDSO call, about 20 ns; no allocation.
    @inline(__always)
    public static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }

    /// `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, deadline)`: sleeps until the clock reads
    /// `deadline` ns (returns at once if it already has); restarted after a signal (EINTR).
    @inline(__always)
    public static func sleep(until deadline: Int64) {
        var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
    }
}
