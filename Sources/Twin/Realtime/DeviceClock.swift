#if canImport(Glibc)
import Glibc
#endif

/// The twin's clock and scheduling, the only C calls of Twin besides the firmware core:
/// CLOCK_MONOTONIC, absolute sleeps on it, and SCHED_FIFO for the device thread.
enum DeviceClock {
    /// `clock_gettime(CLOCK_MONOTONIC)`, ns.
    static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }

    /// `clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, deadline)`, restarted after EINTR.
    static func sleep(until deadline: Int64) {
        var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
    }

    /// `pthread_setschedparam(pthread_self(), SCHED_FIFO, priority)` for the calling thread.
    /// Returns nil when granted, else a warning naming the refusal and the fix.
    static func enterFIFO(priority: Int32) -> String? {
        var parameter = sched_param()
        parameter.sched_priority = priority
        let code = pthread_setschedparam(pthread_self(), Int32(SCHED_FIFO), &parameter)
        if code == 0 { return nil }
        return "twin: SCHED_FIFO priority \(priority) refused (\(String(cString: strerror(code)))): the device clock "
            + "runs as an ordinary thread and may miss deadlines on a loaded host; run as root, or grant CAP_SYS_NICE "
            + "(sudo setcap cap_sys_nice+ep furuta), or raise rtprio in limits.conf"
    }
}
