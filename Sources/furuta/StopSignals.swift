import CPlatform
import Glibc

/// SIGINT and SIGTERM caught by a real handler (sigaction in CPlatform, which only counts them
/// in an atomic), so that Ctrl-C or `kill` asks `furuta train` to finish its iteration and save,
/// and the twin to remove its link — whichever thread the kernel delivers the signal to.
///
/// Blocking the signals in `main` was not enough: OpenBLAS starts its threads when the library
/// loads, before `main`, with the default mask, so the kernel delivered Ctrl-C to one of them
/// and the default action killed the process (exit 130, no checkpoint). A handler runs in any
/// thread. It also replaces an inherited SIG_IGN (a background job), so `kill -INT` stops the
/// run too. A process blocked them for its children is unblocked here as well.
struct StopSignals {
    init() {
        let result = cplatform_install_stop_signal_handlers()
        if result != 0 {
            let text = Array("warning: cannot install SIGINT/SIGTERM handlers (errno \(result)); Ctrl-C will not save\n".utf8)
            _ = text.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
    }

    /// Whether a stop signal has arrived, waiting up to `milliseconds` for one (polled every
    /// 10 ms: the handler only sets a counter).
    func wait(milliseconds: Int) -> Bool {
        var remaining = milliseconds
        while true {
            if cplatform_stop_signal_count() > 0 { return true }
            if remaining <= 0 { return false }
            let step = min(remaining, 10)
            usleep(useconds_t(step * 1000))
            remaining -= step
        }
    }
}
