import Testing

/// Every suite that runs a real-time session against a twin (MuJoCo behind the firmware core, on
/// a pty, in real time) is nested here and runs one at a time: side by side on a 2-core machine
/// the twins' threads starve, and a starved twin looks to the controller exactly like a stalled
/// device (stale state, firmware watchdog), which the tests would then rightly report.
@Suite(.serialized) enum RealTimeSessions {}
