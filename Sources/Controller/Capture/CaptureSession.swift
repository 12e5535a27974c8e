#if canImport(Glibc)
import Glibc
#endif
import FirmwareLink
import Foundation
import MonotonicTime
import MotorModel
import PolicyFormat
import RobotRecording

/// One capture: the excitation predicted against the soft limits (refused before anything is
/// sent if it crosses them), then the `run` path — device opened and armed, homing, the loop
/// thread with the excitation plugged in where the policy runs (`PolicyRunner.actionSource`),
/// the same `SafetyMonitor` filtering every duty, safe stop — and the running ticks written as
/// a `RobotRecording`.
public final class CaptureSession: @unchecked Sendable {
    public let configuration: CaptureConfiguration
    public let robot: RobotParameters
    public let stops = ExternalStops()
    public var report: @Sendable (String) -> Void = { _ in }
    /// Starts the loop thread (`RealtimeThread.run`; a test may hold it off the CPU first).
    public var launchLoopThread: LoopThreadLauncher = RealtimeThread.run

    public struct Outcome: Sendable {
        public var recording: RobotRecording
        /// "completed", "stopped", "fault" or "immediate_stop", as in `run`'s summary.
        public var outcome: String
        public var fault: String?
        public var motorStopConfirmed: Bool
    }

    /// Checks the settings and predicts the excursion; throws before any I/O if it is unsafe.
    public init(configuration: CaptureConfiguration, robot: RobotParameters) throws(CaptureError) {
        self.configuration = configuration
        self.robot = robot
        if let problem = configuration.limits.problems.first { throw .invalidSettings(problem) }
        guard configuration.durationSeconds > 0 else { throw .invalidSettings("the duration must be positive") }
        guard configuration.excitation.amplitude > 0, configuration.excitation.amplitude <= 1 else {
            throw .invalidSettings("the amplitude \(configuration.excitation.amplitude) must be in (0, 1]")
        }
        let prediction = SoftLimitPrediction.predict(configuration.excitation, durationSeconds: configuration.durationSeconds,
                                                     robot: robot, dutyLimit: configuration.limits.dutyLimit)
        if prediction.peakArmAngleRad > configuration.allowedArmAngleRad {
            let safe = SoftLimitPrediction.largestSafeAmplitude(configuration.excitation, durationSeconds: configuration.durationSeconds,
                                                                robot: robot, allowedRad: configuration.allowedArmAngleRad,
                                                                dutyLimit: configuration.limits.dutyLimit)
            throw .wouldCrossSoftLimits(excitation: configuration.excitation.kind.rawValue, amplitude: configuration.excitation.amplitude,
                                        predictedRad: prediction.peakArmAngleRad, atSeconds: prediction.peakTimeSeconds,
                                        allowedRad: configuration.allowedArmAngleRad, largestSafeAmplitude: safe)
        }
        self.prediction = prediction
    }

    /// The predicted peak |θ| of the nominal arm.
    public let prediction: SoftLimitPrediction.Result

    public func run() throws(CaptureError) -> Outcome {
        let c = configuration
        let policy: FrozenPolicy
        do { policy = try FrozenPolicy(SyntheticPolicy.make(robot: robot)) } catch {
            throw .invalidSettings("internal: the placeholder policy is invalid: \(error)")
        }
        // Fail on an unwritable output before moving anything.
        guard let probe = fopen(c.outputPath + ".partial", "w") else {
            throw .cannotWrite("cannot write \(c.outputPath): \(String(cString: strerror(errno))); check the directory exists and is writable")
        }
        fclose(probe)
        unlink(c.outputPath + ".partial")

        let connection: DeviceConnection
        do {
            connection = try DeviceConnection(selection: c.port, robot: robot, handshakeTimeout: c.handshakeTimeout, baud: c.baud)
        } catch { throw .controller(error) }
        defer { connection.close() }
        let period = robot.control.periodS
        // The request/reply wait follows the link measured now (as `run` does), before arming.
        let timing: LinkTiming
        do {
            let latency = try connection.measureLatency(pings: 16)
            timing = LinkTiming.plan(periodSeconds: period, robot: robot.control, trained: nil, measured: latency)
        } catch { throw .controller(error) }
        if c.handleSignals {
            if let problem = StopSignals.install() { report("warning: \(problem)") }
            connection.armEmergencyStopOnSecondSignal()
        }
        let removal = connection.udevDevice.flatMap { try? DeviceRemovalWatch(device: $0) }
        defer { removal?.stop() }
        report("connected to \(connection.port) (firmware \(connection.info.firmwareVersion)); homing, then \(c.excitation.kind.rawValue) "
               + "for \(c.durationSeconds) s (predicted peak |θ| \(String(format: "%.2f", prediction.peakArmAngleRad)) rad)")

        var loopConfiguration = ControlLoopConfiguration(limits: c.limits, periodSeconds: period)
        loopConfiguration.homing = c.homing
        loopConfiguration.runSeconds = c.durationSeconds
        let runner = PolicyRunner(policy: policy, motor: robot.motor)
        runner.actionSource = ExcitationSource(signal: ExcitationSignal(settings: c.excitation, durationSeconds: c.durationSeconds))
        let loop = ControlLoop(configuration: loopConfiguration, runner: runner)
        let ring = TelemetryRing()
        let collector = TickCollector(ring: ring)
        let periodNanoseconds = Int64((period * 1e9).rounded())
        let origin = MonotonicClock.nanoseconds()
        let loopRunner = LoopRunner(link: connection.link, loop: loop, ring: ring, histograms: LoopHistograms(),
                                    periodNanoseconds: periodNanoseconds, timing: timing,
                                    originNanoseconds: origin, removal: removal, externalStops: stops)
        collector.start()
        // Armed from the loop thread itself, once it runs SCHED_FIFO, as in `run`
        // (`ArmedLoopStart`): the firmware watchdog counts from `rearm` to the first command.
        let start = ArmedLoopStart(connection: connection, loop: loop,
                                   watchdogMilliseconds: SessionConfiguration.watchdogMilliseconds(periodSeconds: period),
                                   dutyLimit: c.limits.dutyLimit)
        let grant = start.run(loopRunner, options: c.realtime, launcher: launchLoopThread)
        if case .failure(let error)? = start.result {
            _ = collector.stop()
            throw .controller(error)
        }
        let records = collector.stop()
        for warning in grant.warnings { report("warning: \(warning)") }

        var confirmed = loop.stopConfirmed ?? false
        if !loopRunner.linkLost && loop.latchedFault != .deviceRemoved {
            confirmed = (loop.needsHandshakeToConfirm ? connection.confirmStopAfterReset() : connection.disarm()) || confirmed
        }
        let outcome: String
        switch loop.stopReason {
        case .immediateStopSignal?: outcome = "immediate_stop"
        case .stopSignal?: outcome = "stopped"
        default: outcome = loop.latchedFault == nil ? "completed" : "fault"
        }
        report("stopped: \(loop.stopReason?.name ?? "unknown")" + (confirmed ? ", motor at 0 (confirmed by the device)" : ", motor stop NOT confirmed"))

        var metadata: [RecordingMetadata] = [
            .init("excitation", c.excitation.kind.rawValue), .init("amplitude", "\(c.excitation.amplitude)"),
            .init("duration_s", "\(c.durationSeconds)"), .init("port", connection.port),
            .init("firmware", connection.info.firmwareVersion.description), .init("device_serial", connection.info.serialHex),
            .init("outcome", outcome), .init("stop_reason", loop.stopReason?.name ?? "unknown"),
        ]
        metadata += c.metadata.map { RecordingMetadata($0.0, $0.1) }
        var recording = RobotRecording(header: RecordingHeader(
            robotName: robot.name, robotIdentity: robot.identity,
            armCountsPerRevolution: robot.arm.encoderCountsPerRevolution,
            pendulumCountsPerRevolution: robot.pendulum.encoderCountsPerRevolution,
            controlRateHz: robot.control.rateHz, armZeroCounts: loop.armZeroCounts,
            pendulumZeroCounts: loop.pendulumZeroCounts, source: "capture", metadata: metadata))
        var lastDeviceTime: UInt64?
        for r in records where r.phase == .running && r.hasSample {
            // A repeated device timestamp is a stuck clock: the loop ignored it, so does the recording.
            if let last = lastDeviceTime, r.deviceTimeMicroseconds <= last { continue }
            lastDeviceTime = r.deviceTimeMicroseconds
            recording.samples.append(RecordingSample(
                tick: r.tick, hostTimeNanoseconds: r.deadlineNanoseconds, deviceTimeMicroseconds: r.deviceTimeMicroseconds,
                armCounts: r.armCounts, pendulumCounts: r.pendulumCounts, action: r.action,
                dutyCommanded: r.dutyCommanded, dutyApplied: r.dutyApplied))
        }
        do { try recording.write(toFile: c.outputPath) } catch { throw .cannotWrite(error.description) }
        return Outcome(recording: recording, outcome: outcome, fault: loop.latchedFault?.name, motorStopConfirmed: confirmed)
    }
}

/// Empties the telemetry ring into memory every 20 ms on a normal thread (the loop thread only
/// pushes); `stop` drains the rest and returns every record in order.
final class TickCollector: @unchecked Sendable {
    private let ring: TelemetryRing
    private var records: [TickRecord] = []
    private let lock = NSLock()
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    init(ring: TelemetryRing) {
        self.ring = ring
        records.reserveCapacity(1 << 14)
    }

    func start() {
        let thread = Thread { [self] in
            while true {
                lock.lock(); let quit = stopping; lock.unlock()
                _ = ring.drain { records.append($0) }
                if quit { break }
                Thread.sleep(forTimeInterval: 0.02)
            }
            finished.signal()
        }
        thread.name = "furuta-capture"
        thread.start()
    }

    func stop() -> [TickRecord] {
        lock.lock(); stopping = true; lock.unlock()
        finished.wait()
        return records
    }
}
