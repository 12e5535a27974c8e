#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one monotonic clock (CLOCK_MONOTONIC) of both binaries: the controller's loop schedule,
/// run budgets, throughput and benchmark timings all read it, so none of them jumps with the
/// wall clock. Its own dependency-free module because the learning side and the deploy side
/// both need it and neither may link the other's libraries (OpenBLAS, libudev).
public enum MonotonicClock {
    /// `clock_gettime(CLOCK_MONOTONIC)`, ns. A vDSO call, about 20 ns; no allocation.
    @inline(__always)
    public static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }

    /// The same clock in seconds.
    @inline(__always)
    public static func seconds() -> Double { Double(nanoseconds()) * 1e-9 }

    /// `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, deadline)`: sleeps until the clock reads
    /// `deadline` ns (returns at once if it already has); restarted after a signal (EINTR). The
    /// loop's schedule is a list of absolute deadlines on this clock, so a late wake-up never
    /// shifts later ones (no drift).
    @inline(__always)
    public static func sleep(until deadline: Int64) {
        var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
    }

    /// CPU time consumed by the calling thread (CLOCK_THREAD_CPUTIME_ID), seconds: what a
    /// benchmark got of a shared machine.
    public static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }
}
