import FirmwareLink
import MonotonicTime

/// Starts a thread at real-time settings, runs the body on it and waits for it
/// (`RealtimeThread.run`'s shape). A session takes one so that a test can hold the new thread
/// off the CPU for a while, as a loaded host does.
public typealias LoopThreadLauncher = @Sendable (_ name: String, _ options: RealtimeOptions,
                                                 _ body: @escaping @Sendable () -> Void) -> RealtimeGrant

/// The start of one loop segment, shared by `run` (`ControllerSession`) and `capture`
/// (`CaptureSession`): the device is configured and armed *from the loop thread itself*, after
/// its promotion to SCHED_FIFO, right before its first deadline, and the loop runs on it.
///
/// Why: `rearm` starts the firmware watchdog (5 periods, 50 ms at 100 Hz), which counts until
/// the loop's first command. Armed on the session's ordinary thread before the loop thread was
/// created, the gap included the thread's creation, its promotion and its wait for a CPU — on a
/// loaded host more than 50 ms (measured: 4 of 50 rehearsal episodes ended in
/// `device_watchdog` at the first tick).
final class ArmedLoopStart: @unchecked Sendable {
    let connection: DeviceConnection
    let loop: ControlLoop
    /// What the previous connection of the same run handed over (arm zero, last device time).
    private(set) var carried: CarriedAcrossConnections
    let watchdogMilliseconds: UInt16
    let dutyLimit: Double
    /// The armed state, or why the device would not arm; set once the thread has run.
    private(set) var result: Result<DeviceState, ControllerError>?

    init(connection: DeviceConnection, loop: ControlLoop, carried: CarriedAcrossConnections = CarriedAcrossConnections(),
         watchdogMilliseconds: UInt16, dutyLimit: Double) {
        self.connection = connection
        self.loop = loop
        self.carried = carried
        self.watchdogMilliseconds = watchdogMilliseconds
        self.dutyLimit = dutyLimit
    }

    /// Launches the loop thread; on it: arm, then `runner` from the next period boundary on the
    /// session's grid (origin + k·T). Returns when the loop has finished (or arming failed:
    /// `result` holds the error, the loop never ran).
    func run(_ runner: LoopRunner, name: String = "furuta-loop", options: RealtimeOptions,
             launcher: LoopThreadLauncher) -> RealtimeGrant {
        let period = runner.periodNanoseconds, origin = runner.originNanoseconds
        return launcher(name, options) { [self] in
            guard arm() else { return }
            let now = MonotonicClock.nanoseconds()
            runner.run(firstDeadline: now + period - (now - origin) % period)
        }
    }

    /// Configure and rearm; false (with the error kept) when the device would not arm.
    private func arm() -> Bool {
        do {
            let armedState = try connection.arm(watchdogMilliseconds: watchdogMilliseconds, dutyLimit: dutyLimit)
            // A clock behind the one an earlier run of the session saw: the device restarted in
            // between, and its encoder zeros with it. Refused before homing drives anything.
            if let floor = carried.deviceClockFloor, armedState.timeMicroseconds < floor {
                result = .failure(.deviceRestarted(port: connection.port, lastSeconds: Double(floor) * 1e-6,
                                                   nowSeconds: Double(armedState.timeMicroseconds) * 1e-6))
                return false
            }
            result = .success(armedState)
            // A device clock that went back means the device rebooted: its arm counter restarted
            // where the arm stood, so carry the arm's zero over (θ = raw − zero ⇒ zero' = −θ_last).
            if let last = carried.lastDeviceTime, armedState.timeMicroseconds < last { carried.armZero = 0 &- carried.lastArmFromZero }
            loop.setArmZero(carried.armZero)
            return true
        } catch {
            result = .failure(error)
            return false
        }
    }
}
