#if canImport(Glibc)
import Glibc
#endif
import FirmwareLink
import Foundation
import MonotonicTime
import MotorModel
import PolicyFormat
import RegularFiles
import RobotDescription

/// A whole deployment: policy checked against the robot, device opened and armed, homing, the
/// policy on the loop thread, safe stop, and (with `reconnect`) new sessions after the device
/// comes back. `run()` returns the summary; it throws only when the run could not start.
public final class ControllerSession: @unchecked Sendable {
    public let configuration: SessionConfiguration
    public let robot: RobotParameters
    public let policyFile: PolicyFile
    /// Stop requests from inside the process: first graceful, second immediate.
    public let stops = ExternalStops()
    /// The device's clock at the last fresh state of the last connection, µs (nil before one).
    public private(set) var lastDeviceTimeMicroseconds: UInt64?
    /// Messages for the user (warnings, phase changes); the CLI prints them to stderr.
    public var report: @Sendable (String) -> Void = { _ in }
    /// Starts the loop thread (`RealtimeThread.run`; a test may hold it off the CPU first).
    public var launchLoopThread: LoopThreadLauncher = RealtimeThread.run

    /// Loads the policy and refuses it if it does not fit `robot`.
    public init(configuration: SessionConfiguration, robot: RobotParameters) throws(ControllerError) {
        self.configuration = configuration
        self.robot = robot
        do {
            policyFile = try PolicyFile(contentsOfFile: configuration.policyPath)
        } catch {
            throw .invalidPolicy(path: configuration.policyPath, error)
        }
        let mismatches = PolicyCompatibility.mismatches(policy: policyFile, robot: robot)
        if !mismatches.isEmpty {
            throw .policyMismatch(policy: configuration.policyPath, robot: robot.name, mismatches: mismatches)
        }
        if let problem = configuration.limits.problems.first { throw .invalidSettings(problem) }
    }

    public var periodSeconds: Double { 1 / policyFile.controlRateHz }

    /// Runs the whole deployment. Throws only when it could not start (nothing was driven); once
    /// a connection was made, every way out — completed, stopped, fault, a failure in the
    /// reconnect path — closes the port, unlocks memory and writes the summary. A stop signal
    /// during discovery or the handshake ends the run at once with outcome `stopped`.
    public func run() throws(ControllerError) -> RunSummary {
        let policy: FrozenPolicy
        do { policy = try FrozenPolicy(policyFile) } catch { throw .invalidPolicy(path: configuration.policyPath, error) }
        if let path = configuration.summaryPath { try Self.checkWritable(path) }
        // The stopping-distance tables are built from the motor model now, not between rearm and
        // the first command (where the firmware watchdog is already counting).
        _ = StoppingEnvelope(limits: configuration.limits, periodSeconds: periodSeconds)
        StopSignals.ignoreBrokenPipe()
        let ring = TelemetryRing()
        let drain = try TelemetryDrain(ring: ring, logPath: configuration.logPath)
        drain.batchSink = configuration.telemetrySink
        if let every = configuration.progressEverySeconds {
            let tolerance = ControlLoopConfiguration(limits: configuration.limits, periodSeconds: periodSeconds).uprightToleranceRad
            drain.progress = RunProgress(everySeconds: every, uprightToleranceRad: tolerance, report: report)
        }
        var grant = RealtimeGrant()
        if configuration.realtime.lockMemory { RealtimeSetup.lockMemory(into: &grant) }
        defer { if grant.memoryLocked { munlockall() } }
        if configuration.handleSignals, let problem = StopSignals.install() { report("warning: \(problem)") }

        let histograms = LoopHistograms()
        let origin = MonotonicClock.nanoseconds()
        var totals = SegmentTotals()
        var carried = CarriedAcrossConnections()
        carried.deviceClockFloor = configuration.deviceClockFloorMicroseconds
        var remaining = configuration.durationSeconds
        var deviceInfo: DeviceInfo?
        var linkSummary: RunSummary.Link?
        drain.start()
        defer { drain.stop() }

        while true {
            let connection: DeviceConnection
            do {
                connection = try connect(first: totals.connections == 0)
            } catch .interrupted(let phase, _) {
                report("stopped during \(phase); nothing was driven")
                totals.interruptedBeforeStart(signals: signalCount)
                break
            } catch {
                if totals.connections == 0 { throw error }
                report("reconnect failed: \(error)")
                totals.reconnectFailure = error.description
                break
            }
            totals.connections += 1
            deviceInfo = connection.info
            // The link's latency, before anything is armed: refused outside the trained range.
            let timing: LinkTiming
            do {
                (timing, linkSummary) = try measureLink(connection)
            } catch {
                connection.close()
                if totals.connections == 1 { throw error }
                report("reconnect refused: \(error)")
                totals.reconnectFailure = error.description
                break
            }
            // Whatever happens in the segment, the port is released before the next step.
            defer { connection.close() }
            let loop: ControlLoop
            do {
                loop = try runSegment(on: connection, policy: policy, ring: ring, histograms: histograms, origin: origin,
                                      remaining: remaining, timing: timing, carried: &carried, grant: &grant, telemetryLoss: drain.loss,
                                      totals: &totals)
            } catch {
                if totals.connections == 1 && totals.ticks == 0 { throw error }
                report("the device failed after reconnecting: \(error)")
                totals.reconnectFailure = error.description
                break
            }
            if let r = remaining { remaining = max(0, r - loop.runningSeconds) }

            let resumable: Set<SafetyEventKind> = [.linkLost, .deviceRemoved, .deviceReset, .staleState]
            guard configuration.reconnect, let fault = loop.latchedFault, resumable.contains(fault),
                  signalCount == 0, remaining ?? 1 > 0 else { break }
            report("reconnecting (\(fault.name)); waiting up to \(Int(configuration.reconnectTimeoutSeconds)) s for the device")
        }

        drain.stop() // the last rows are written (or counted lost) before the summary counts them
        var summary = RunSummary(jitter: histograms.wakeLatency.summary, work: histograms.work.summary,
                                 inference: histograms.inference.summary, roundTrip: histograms.roundTrip.summary)
        totals.fill(&summary)
        summary.policy = configuration.policyPath
        summary.port = configuration.port.label
        summary.controlRateHz = policyFile.controlRateHz
        summary.telemetryRecords = ring.pushed
        summary.telemetryLostToWriteErrors = drain.loss.rows
        summary.telemetryDropped = ring.dropped + drain.loss.rows
        summary.telemetryError = drain.loss.firstError
        summary.firmwareVersion = deviceInfo?.firmwareVersion.description
        summary.deviceSerial = deviceInfo?.serialHex
        summary.realtime.fifoPriority = grant.fifoPriority
        summary.realtime.memoryLocked = grant.memoryLocked
        summary.realtime.warnings = grant.warnings
        summary.link = linkSummary
        if let path = configuration.summaryPath { try Self.write(summary, to: path) }
        return summary
    }

    /// Stop requests so far: signals (when handled) and in-process requests.
    private var signalCount: Int {
        max(stops.count, configuration.handleSignals ? StopSignals.count : 0)
    }

    /// One connection: arm, home, run the policy on the loop thread, confirm the stop, leave the
    /// device disarmed. Returns the finished loop; its counters are already in `totals`.
    private func runSegment(on connection: DeviceConnection, policy: FrozenPolicy, ring: TelemetryRing,
                            histograms: LoopHistograms, origin: Int64, remaining: Double?, timing: LinkTiming,
                            carried: inout CarriedAcrossConnections, grant: inout RealtimeGrant,
                            telemetryLoss: TelemetryLoss, totals: inout SegmentTotals) throws(ControllerError) -> ControlLoop {
        // Everything that takes time (udev monitor, policy buffers) comes before `rearm`: from
        // then on the firmware watchdog (50 ms) counts until the loop's first command.
        let removal = connection.udevDevice.flatMap { try? DeviceRemovalWatch(device: $0) }
        defer { removal?.stop() }
        report("connected to \(connection.port) (firmware \(connection.info.firmwareVersion), reset reason \(connection.info.resetReason)); homing")
        var loopConfiguration = ControlLoopConfiguration(limits: configuration.limits, periodSeconds: periodSeconds)
        loopConfiguration.homing = configuration.homing
        loopConfiguration.runSeconds = remaining
        let policyRunner = PolicyRunner(policy: policy, motor: robot.motor)
        policyRunner.explorationNoise = configuration.explorationNoise
        let loop = ControlLoop(configuration: loopConfiguration, runner: policyRunner)
        let period = Int64((periodSeconds * 1e9).rounded())
        let runner = LoopRunner(link: connection.link, loop: loop, ring: ring, histograms: histograms,
                                periodNanoseconds: period, timing: timing,
                                originNanoseconds: origin, removal: removal, externalStops: stops,
                                telemetryLoss: telemetryLoss)
        if configuration.handleSignals { connection.armEmergencyStopOnSecondSignal() }

        // Armed from the loop thread itself, once it runs SCHED_FIFO (`ArmedLoopStart`).
        let start = ArmedLoopStart(connection: connection, loop: loop, carried: carried,
                                   watchdogMilliseconds: configuration.watchdogMilliseconds(periodSeconds: periodSeconds),
                                   dutyLimit: configuration.limits.dutyLimit)
        let segmentGrant = start.run(runner, options: configuration.realtime, launcher: launchLoopThread)
        carried.armZero = start.carried.armZero
        carried.deviceClockFloor = nil
        if case .failure(let error)? = start.result {
            if case .deviceRestarted = error { connection.disarm() } // it answered the rearm: leave it disarmed
            throw error
        }
        grant.fifoPriority = segmentGrant.fifoPriority
        grant.cpu = segmentGrant.cpu
        for warning in segmentGrant.warnings where !grant.warnings.contains(warning) { grant.warnings.append(warning) }

        // Confirm the motor is off, and leave the device disarmed.
        var confirmed = loop.stopConfirmed ?? false
        if !runner.linkLost && loop.latchedFault != .deviceRemoved {
            if loop.needsHandshakeToConfirm {
                confirmed = connection.confirmStopAfterReset()
            } else {
                confirmed = connection.disarm() || confirmed
            }
        }
        totals.add(loop: loop, counters: connection.link.counters, confirmed: confirmed)
        carried.lastDeviceTime = loop.lastDeviceTimeMicroseconds
        lastDeviceTimeMicroseconds = loop.lastDeviceTimeMicroseconds ?? lastDeviceTimeMicroseconds
        carried.lastArmFromZero = loop.lastArmCountsFromZero
        if let message = loop.latchedFault?.homingMessage { report("homing refused to start the policy: \(message)") }
        report("stopped: \(loop.stopReason?.name ?? "unknown")" + (confirmed ? ", motor at 0 (confirmed by the device)" : ", motor stop not confirmed by the device"))
        return loop
    }

    /// Pings the link, reports it, refuses it outside the policy's trained latency range (a
    /// policy file without one: accepted with a warning), and plans the period's request/reply.
    private func measureLink(_ connection: DeviceConnection) throws(ControllerError) -> (LinkTiming, RunSummary.Link) {
        // On a thread scheduled like the loop's, so the figure is the link's and not this
        // thread's wait for a CPU on a loaded host.
        let box = MeasurementBox(connection)
        let pings = configuration.latencyPings
        _ = RealtimeThread.run(name: "furuta-ping", options: configuration.realtime) {
            box.result = Result { () throws(ControllerError) in try box.connection.measureLatency(pings: pings) }
        }
        let latency = try box.result!.get()
        let trained = policyFile.trainedLatency
        switch LatencyVerdict.judge(latency, policy: trained) {
        case .outside(_, let range):
            throw .latencyOutsideTrainedRange(port: connection.port, measured: latency, trained: range)
        case .unknownRange:
            report("warning: the policy records no trained latency range (policy format version 1); link \(latency.description) "
                   + "accepted unchecked: re-export it with a current `furuta train` to have the link checked")
        case .fits:
            report("link \(latency.description), inside the \(LinkLatency.ms(trained!.minimumSeconds))–\(LinkLatency.ms(trained!.maximumSeconds)) ms "
                   + "the policy was trained for")
        }
        let timing = LinkTiming.plan(periodSeconds: periodSeconds, robot: robot.control, trained: trained, measured: latency)
        report("timing: \(timing.description)")
        var summary = RunSummary.Link()
        summary.roundTripMedianMs = latency.medianSeconds * 1000
        summary.roundTripP99Ms = latency.p99Seconds * 1000
        summary.roundTripMaxMs = latency.maximumSeconds * 1000
        summary.pings = latency.count
        summary.trainedMinMs = trained.map { $0.minimumSeconds * 1000 }
        summary.trainedMaxMs = trained.map { $0.maximumSeconds * 1000 }
        summary.stateWaitMs = Double(timing.waitNanoseconds) * 1e-6
        summary.attempts = timing.attempts
        summary.pipelineDepth = timing.pipelineDepth
        return (timing, summary)
    }

    /// Opens the device; after the first time, waits for it to come back.
    private func connect(first: Bool) throws(ControllerError) -> DeviceConnection {
        let shouldStop = { [self] in signalCount > 0 }
        let waiting: (DiscoveryWait) -> Void = { [self] wait in
            if configuration.progressEverySeconds != nil { report(wait.description) }
        }
        if first {
            return try DeviceConnection(selection: configuration.port, robot: robot,
                                        handshakeTimeout: configuration.handshakeTimeout, baud: configuration.baud,
                                        shouldStop: shouldStop, waiting: waiting)
        }
        let deadline = ContinuousClock.now + .milliseconds(Int64(configuration.reconnectTimeoutSeconds * 1000))
        var lastError = ControllerError.discovery("the device did not come back")
        while ContinuousClock.now < deadline {
            if shouldStop() { break }
            do {
                return try DeviceConnection(selection: configuration.port, robot: robot,
                                            handshakeTimeout: .milliseconds(500), baud: configuration.baud,
                                            shouldStop: shouldStop, waiting: waiting)
            } catch .interrupted {
                break
            } catch {
                lastError = error
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        throw lastError
    }

    /// Absent or a regular file in a writable directory; creates nothing (RegularFiles).
    static func checkWritable(_ path: String) throws(ControllerError) {
        do { try RegularFile.checkReplaceable(path) } catch { throw .cannotWrite(path: path, reason: error.reason) }
    }

    static func write(_ summary: RunSummary, to path: String) throws(ControllerError) {
        do {
            let data = try JSONOutput.encode(summary)
            // Atomic, and never over a device node or FIFO (`--summary /dev/null` as root).
            try RegularFile.write(Array(data), to: path)
        } catch let error as RegularFileError {
            throw .cannotWrite(path: path, reason: error.reason)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
    }
}

/// What one connection hands the next (device resets move the arm counter's origin).
struct CarriedAcrossConnections {
    var armZero: Int32 = 0
    var lastDeviceTime: UInt64?
    var lastArmFromZero: Int32 = 0
    /// The first connection only: the clock an earlier run of the session last saw, µs.
    var deviceClockFloor: UInt64?
}

/// Sums over a session's loop segments (one per connection).
struct SegmentTotals {
    var connections = 0
    var reconnectFailure: String?
    var ticks = 0, policySteps = 0, samplesMissed = 0, overrunTicks = 0, skipped = 0
    var dutyLimited = 0, slewLimited = 0, outwardBlocked = 0, braking = 0, staleSamples = 0
    var longestUpright = 0.0, running = 0.0
    var events: [RunSummary.Event] = []
    var eventsDropped = 0
    var frames = RunSummary.Frames()
    var fault: SafetyEventKind?
    var stopReason: SafetyEventKind?
    var confirmed = false

    mutating func add(loop: ControlLoop, counters: LinkCounters, confirmed: Bool) {
        ticks += loop.ticks
        policySteps += loop.policySteps
        samplesMissed += loop.samplesMissed
        overrunTicks += loop.overrunTicks
        skipped += loop.skippedPeriods
        dutyLimited += loop.dutyLimitedTicks
        slewLimited += loop.slewLimitedTicks
        outwardBlocked += loop.outwardBlockedTicks
        braking += loop.brakingTicks
        staleSamples += loop.staleSamples
        longestUpright = max(longestUpright, loop.longestUprightSeconds)
        running += loop.runningSeconds
        events += loop.events.events.map {
            RunSummary.Event(kind: $0.kind.name, timeS: $0.timeSeconds, value: $0.value.isFinite ? $0.value : 0, isFault: $0.kind.isFault)
        }
        eventsDropped += loop.events.dropped
        frames.sent += counters.framesSent
        frames.received += counters.framesReceived
        frames.corrupt += counters.corruptFrames
        frames.lost += counters.lostFrames
        frames.unknown += counters.unknownFrames
        // The fault that ended the run is the last segment's: one that --reconnect recovered from
        // stays in the events, but a run that then completed its duration completed.
        fault = loop.latchedFault
        stopReason = loop.stopReason ?? stopReason
        self.confirmed = confirmed
    }

    /// A stop signal before the first loop started: a stop like any other, nothing was driven.
    mutating func interruptedBeforeStart(signals: Int) {
        stopReason = signals >= 2 ? .immediateStopSignal : .stopSignal
        confirmed = true // the motor never left 0
    }

    func fill(_ summary: inout RunSummary) {
        summary.ticks = ticks
        summary.policySteps = policySteps
        summary.samplesMissed = samplesMissed
        summary.overruns.count = overrunTicks
        summary.overruns.skippedPeriods = skipped
        summary.dutyLimitedTicks = dutyLimited
        summary.slewLimitedTicks = slewLimited
        summary.outwardBlockedTicks = outwardBlocked
        summary.brakingTicks = braking
        summary.staleSamples = staleSamples
        summary.longestUprightS = longestUpright
        summary.runningS = running
        summary.safetyEvents = events
        summary.safetyEventsDropped = eventsDropped
        summary.frames = frames
        summary.connections = connections
        summary.fault = fault?.name
        summary.stopReason = stopReason?.name ?? (reconnectFailure != nil ? "reconnect_failed" : nil)
        summary.motorStopConfirmed = confirmed
        switch stopReason {
        case .immediateStopSignal?: summary.outcome = "immediate_stop"
        case .stopSignal?: summary.outcome = "stopped"
        case .durationReached?: summary.outcome = fault == nil ? "completed" : "fault"
        default: summary.outcome = fault == nil ? "completed" : "fault"
        }
    }
}

/// Hands the connection to the measuring thread and its result back (the caller waits for it).
private final class MeasurementBox: @unchecked Sendable {
    let connection: DeviceConnection
    var result: Result<LinkLatency, ControllerError>?
    init(_ connection: DeviceConnection) { self.connection = connection }
}
