import CPlatform

/// SIGINT and SIGTERM as counters the loop reads each tick (an atomic load in C, no locks, no
/// allocation). First signal: safe stop. Second: the C handler itself writes a pre-encoded
/// e-stop frame to the port (write(2) is async-signal-safe), then the loop stops at once.
public enum StopSignals {
    /// Installs the handlers (sigaction). Returns an error text if the kernel refused.
    public static func install() -> String? {
        let result = cplatform_install_stop_signal_handlers()
        return result == 0 ? nil : "cannot install SIGINT/SIGTERM handlers (errno \(result))"
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
