import Glibc

/// SIGINT and SIGTERM, blocked for the whole process and collected with sigtimedwait, so the
/// twin shuts down (and removes its link) on Ctrl-C or `kill` instead of dying mid-write.
/// Create it before starting threads: they inherit the blocked mask.
struct StopSignals {
    private var set = sigset_t()

    init() {
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits up to `milliseconds` for a stop signal; true if one arrived.
    func wait(milliseconds: Int) -> Bool {
        var timeout = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var signals = set
        return sigtimedwait(&signals, nil, &timeout) > 0
    }
}
