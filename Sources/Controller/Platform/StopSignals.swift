import CPlatform
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM as counters (an atomic load in C, no locks, no allocation): the one
/// stop-signal type of both binaries. The controller's loop reads it each tick — first signal:
/// safe stop; second: the C handler itself writes a pre-encoded e-stop frame to the port
/// (write(2) is async-signal-safe), then the loop stops at once. `furuta train` and `furuta twin`
/// poll it to save or remove their link.
///
/// A real handler (sigaction), not a blocked mask: OpenBLAS starts its threads when the library
/// loads, before `main`, with the default mask, so a mask set in `main` let the kernel deliver
/// Ctrl-C to one of them and the default action killed the process (exit 130, no checkpoint).
/// A handler runs in any thread. It also replaces an inherited SIG_IGN (a background job), so
/// `kill -INT` stops the process too.
public enum StopSignals {
    /// Installs the handlers (sigaction). Returns an error text if the kernel refused.
    public static func install() -> String? {
        let result = cplatform_install_stop_signal_handlers()
        return result == 0 ? nil : "cannot install SIGINT/SIGTERM handlers (errno \(result))"
    }

    /// Whether a stop signal has arrived, waiting up to `milliseconds` for one (polled every
    /// 10 ms: the handler only counts).
    public static func wait(milliseconds: Int) -> Bool {
        var remaining = milliseconds
        while true {
            if count > 0 { return true }
            if remaining <= 0 { return false }
            let step = min(remaining, 10)
            usleep(useconds_t(step * 1000))
            remaining -= step
        }
    }

    /// Signals received so far.
    @inline(__always)
    public static var count: Int { Int(cplatform_stop_signal_count()) }

    /// The last signal's name, e.g. "SIGINT".
    public static var lastSignalName: String {
        switch cplatform_last_stop_signal() {
        case 2: "SIGINT"
        case 15: "SIGTERM"
        case 0: "none"
        case let other: "signal \(other)"
        }
    }

    /// SIGPIPE ignored for the whole process: a log FIFO whose reader left (or a closed stdout)
    /// makes writes fail with EPIPE, counted as telemetry loss, instead of killing the process
    /// with the motor running. Returns an error text if the kernel refused.
    @discardableResult
    public static func ignoreBrokenPipe() -> String? {
        let result = cplatform_ignore_broken_pipe()
        return result == 0 ? nil : "cannot ignore SIGPIPE (errno \(result))"
    }

    /// Restores default dispositions (tests, and after a run).
    public static func uninstall() { cplatform_reset_stop_signal_handlers() }

    /// Arms the second-signal write of `frame` to `descriptor` (pass -1 to disarm).
    public static func armEmergencyFrame(descriptor: Int32, frame: [UInt8]) {
        frame.withUnsafeBufferPointer { cplatform_arm_emergency_frame(descriptor, $0.baseAddress, $0.count) }
    }

    public static var emergencyFrameWritten: Bool { cplatform_emergency_frame_written() != 0 }
}
