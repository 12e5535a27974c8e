import FirmwareLink
import MotorModel

/// What the shell hands the core each period: the fresh state (if one answered this period's
/// request), how late the period started, and what happened outside (signals, link, device).
public struct TickInput: Sendable {
    /// Host monotonic time of this period's wake-up, ns since the session started.
    public var timeNanoseconds: Int64
    /// The state answering this period's request, nil if none arrived in time.
    public var sample: DeviceState?
    /// Whole periods skipped before this one (overrun policy: keep phase, skip, count).
    public var skippedPeriods = 0
    public var stop = StopRequest.none
    public var deviceRemoved = false
    /// A send or receive failed with a disconnect: nothing more can be sent.
    public var linkLost = false
    /// A `fault` message from the firmware this period.
    public var deviceFault: FaultCode?

    public init(timeNanoseconds: Int64, sample: DeviceState? = nil) {
        self.timeNanoseconds = timeNanoseconds
        self.sample = sample
    }
}

/// The core's answer: a command to send, or nothing.
public struct TickCommand: Sendable, Equatable {
    public var send: Bool
    public var duty: Double
    public var flags: CommandFlags

    public static let nothing = TickCommand(send: false, duty: 0, flags: [])
    public static func drive(_ duty: Double, enabled: Bool) -> TickCommand {
        TickCommand(send: true, duty: duty, flags: enabled ? .enable : [])
    }
    public static let zero = TickCommand(send: true, duty: 0, flags: [])
    public static let emergencyStop = TickCommand(send: true, duty: 0, flags: .emergencyStop)
}

/// Settings of one `ControlLoop`.
public struct ControlLoopConfiguration: Sendable {
    public var limits: SafetyLimits
    public var homing = HomingSettings()
    /// Control period T, s (1 / the policy's control rate).
    public var periodSeconds: Double
    /// Policy run time after homing, s; nil runs until stopped.
    public var runSeconds: Double?
    /// False for the benchmark: commands carry no enable flag, so the motor never moves, and
    /// the device's mode is not checked (it stays disarmed).
    public var motorEnabled = true
    /// Start in `running` without homing (benchmark, tests of the running phase).
    public var skipHoming = false
    /// Arm counts that mean θ = 0 (non-zero after a device reset moved the counter's origin).
    public var armZeroCounts: Int32 = 0
    /// "Upright" for `longest_upright_s`: within this of α = π (mod 2π), rad; the trainer's
    /// evaluation uses the same 0.2 rad.
    public var uprightToleranceRad = 0.2

    public init(limits: SafetyLimits, periodSeconds: Double) {
        self.limits = limits
        self.periodSeconds = periodSeconds
    }
}

/// The controller's loop logic with no clock, thread or port: one call per period turns a
/// `TickInput` into a `TickCommand` and a `TickRecord`. The shell (`LoopRunner`) does the
/// timing and I/O; tests drive this directly with made-up states. Allocation-free per tick.
///
/// Each period: stop requests and external faults first, then the overrun policy, then the
/// sample (angles, limits, velocities), then the phase: homing → running → safeStop → stopped.
/// A fault latches (`latchedFault`) and starts a safe stop: duty 0 (no enable) every period
/// until a state confirms duty 0, or `stopConfirmationSeconds` pass.
public final class ControlLoop {
    public let configuration: ControlLoopConfiguration
    public private(set) var phase: ControllerPhase
    public private(set) var homing: HomingController
    public private(set) var safety: SafetyMonitor
    public let runner: PolicyRunner
    public let events = SafetyEventLog()

    /// The first fault; stays set.
    public private(set) var latchedFault: SafetyEventKind?
    /// Why the run ended or is ending (fault, signal, duration).
    public private(set) var stopReason: SafetyEventKind?
    /// nil while not stopped; true when a state confirmed duty 0.
    public private(set) var stopConfirmed: Bool?
    /// The device must be handshaken again to confirm the motor is off (it reset).
    public private(set) var needsHandshakeToConfirm = false

    // Zeros of the counters.
    public private(set) var armZeroCounts: Int32
    public private(set) var pendulumZeroCounts: Int32 = 0
    /// The last arm counts relative to the zero (carried across device resets by the session).
    public private(set) var lastArmCountsFromZero: Int32 = 0

    // Counters for the summary.
    public private(set) var ticks = 0
    public private(set) var samplesMissed = 0
    public private(set) var overrunTicks = 0
    public private(set) var skippedPeriods = 0
    public private(set) var dutyLimitedTicks = 0
    public private(set) var slewLimitedTicks = 0
    public private(set) var outwardBlockedTicks = 0
    public private(set) var policySteps = 0
    public private(set) var runningSince: Double?
    public private(set) var runningSeconds = 0.0
    public private(set) var longestUprightSeconds = 0.0
    private var uprightSince: Double?

    private var stopStartedAt = 0.0
    private var lastDeviceTime: UInt64?
    /// The device clock of the last sample, µs (the session compares it across reconnects).
    public var lastDeviceTimeMicroseconds: UInt64? { lastDeviceTime }
    /// The command repeated as this period's state request.
    public private(set) var holdCommand = TickCommand.zero
    private let countsToRadians: (arm: Double, pendulum: Double)
    private let startedSeconds: Double

    public init(configuration: ControlLoopConfiguration, runner: PolicyRunner, startNanoseconds: Int64 = 0) {
        self.configuration = configuration
        self.runner = runner
        homing = HomingController(settings: configuration.homing, armSoftLimitRad: configuration.limits.armSoftLimitRad)
        safety = SafetyMonitor(limits: configuration.limits, periodSeconds: configuration.periodSeconds)
        phase = configuration.skipHoming ? .running : .homing
        armZeroCounts = configuration.armZeroCounts
        let layout = runner.policy.file.observationLayout
        countsToRadians = (2 * Double.pi / Double(layout.armCountsPerRevolution),
                           2 * Double.pi / Double(layout.pendulumCountsPerRevolution))
        startedSeconds = Double(startNanoseconds) * 1e-9
        if configuration.skipHoming { runningSince = startedSeconds }
    }

    public var isFinished: Bool { phase == .stopped }

    /// One period. Fills `record` (telemetry) and returns the command to send.
    public func step(_ input: TickInput, record: inout TickRecord) -> TickCommand {
        let t = Double(input.timeNanoseconds) * 1e-9
        ticks += 1
        record.skippedPeriods = Int32(input.skippedPeriods)
        defer {
            record.phase = phase
            record.homingStage = homing.stage
        }
        guard phase != .stopped else { return .nothing }

        // 1. Requests and faults from outside the loop, most urgent first.
        if input.stop == .immediate {
            log(.immediateStopSignal, t, 0)
            if stopReason == nil || stopReason == .stopSignal { stopReason = .immediateStopSignal }
            finish(confirmed: false)
            return .emergencyStop
        }
        if input.linkLost || input.deviceRemoved {
            fault(input.deviceRemoved ? .deviceRemoved : .linkLost, t, 0)
            finish(confirmed: false) // nothing can be sent: the firmware watchdog stops the motor
            return .nothing
        }
        if let code = input.deviceFault {
            switch code {
            case .notReady:
                // The device rebooted (brownout, watchdog reset): its motor is off, but only a new
                // handshake can confirm it.
                fault(.deviceReset, t, 0)
                needsHandshakeToConfirm = true
                finish(confirmed: false)
                return .nothing
            case .watchdog: fault(.deviceWatchdog, t, 0)
            case .emergencyStop: fault(.deviceEmergencyStop, t, 0)
            case .other(let raw): fault(.deviceDisarmed, t, Double(raw))
            }
        }
        if input.stop == .graceful, phase == .homing || phase == .running {
            log(.stopSignal, t, 0)
            stopReason = stopReason ?? .stopSignal
            beginSafeStop(t)
        }

        // 2. Overrun policy: the shell skipped whole periods to keep phase; count them.
        if input.skippedPeriods > 0 {
            overrunTicks += 1
            skippedPeriods += input.skippedPeriods
            log(.overrun, t, Double(input.skippedPeriods))
        }
        if let kind = safety.recordOverrun(skippedPeriods: input.skippedPeriods) { fault(kind, t, safety.overrunBucket) }

        // 3. The sample.
        if let kind = safety.recordSample(present: input.sample != nil) { fault(kind, t, Double(safety.missedSamples)) }
        if let sample = input.sample {
            take(sample, t, &record)
        } else {
            samplesMissed += 1
            log(.stateMissed, t, Double(safety.missedSamples))
        }

        // 4. The phase.
        let command: TickCommand
        switch phase {
        case .homing: command = homingStep(input.sample, t, &record)
        case .running: command = runningStep(input.sample, t, &record)
        case .safeStop: command = safeStopStep(input.sample, t)
        default: command = .nothing
        }
        if command.send { holdCommand = command }
        record.dutyCommanded = command.send ? command.duty : holdCommand.duty
        return command
    }

    // MARK: sample

    private func take(_ s: DeviceState, _ t: Double, _ record: inout TickRecord) {
        record.hasSample = true
        record.deviceTimeMicroseconds = s.timeMicroseconds
        record.armCounts = s.armCounts
        record.pendulumCounts = s.pendulumCounts
        record.dutyApplied = s.appliedDuty
        record.deviceStatus = s.status.rawValue
        // A clock that does not advance is a stuck device: do not feed the estimator twice.
        if let last = lastDeviceTime, s.timeMicroseconds <= last { return }
        lastDeviceTime = s.timeMicroseconds
        lastArmCountsFromZero = s.armCounts &- armZeroCounts
        runner.observe(armCounts: lastArmCountsFromZero, pendulumCounts: s.pendulumCounts &- pendulumZeroCounts,
                       timeMicroseconds: Int64(s.timeMicroseconds))
        let theta = runner.armAngle
        record.armAngle = theta
        record.pendulumAngle = runner.pendulumAngle
        record.armVelocity = runner.armVelocity
        record.pendulumVelocity = runner.pendulumVelocity
        guard phase == .homing || phase == .running else { return }
        if phase == .homing, let failure = homing.checkEncoders(armAngle: theta, rawPendulumAngle: Double(s.pendulumCounts) * countsToRadians.pendulum,
                                                                timeSeconds: t) {
            fault(failure.kind, t, theta)
            return
        }

        if configuration.motorEnabled, s.mode != .armed {
            fault(s.status.contains(.watchdogTripped) ? .deviceWatchdog
                  : s.status.contains(.emergencyStop) ? .deviceEmergencyStop : .deviceDisarmed, t, Double(s.mode.rawValue))
            return
        }
        if let kind = safety.updateArm(angle: theta, timeSeconds: t) {
            log(kind, t, theta)
            if kind.isFault { fault(kind, t, theta) }
        }
        if let kind = safety.checkVelocities(arm: runner.armVelocity, pendulum: runner.pendulumVelocity) {
            fault(kind, t, kind == .armVelocityLimit ? runner.armVelocity : runner.pendulumVelocity)
        }
    }

    // MARK: phases

    private func homingStep(_ sample: DeviceState?, _ t: Double, _ record: inout TickRecord) -> TickCommand {
        guard let s = sample else { return .nothing } // the request already repeated the held duty
        let rawPendulum = Double(s.pendulumCounts) * countsToRadians.pendulum
        let action = homing.step(armAngle: runner.armAngle, armVelocity: runner.armVelocity,
                                 rawPendulumAngle: rawPendulum, timeSeconds: t)
        record.action = action
        if homing.stage == .timedOut {
            fault(.homingTimedOut, t, rawPendulum)
            return safeStopStep(nil, t)
        }
        if let failure = homing.failure {
            fault(failure.kind, t, rawPendulum)
            return safeStopStep(nil, t)
        }
        if homing.stage == .done, safety.mayEngage(armAngle: runner.armAngle) {
            // The pendulum hangs still here: this is α = 0. Start an episode as the simulator does.
            pendulumZeroCounts = Int32((homing.restPendulumAngle / countsToRadians.pendulum).rounded())
            runner.reset()
            runner.observe(armCounts: lastArmCountsFromZero, pendulumCounts: s.pendulumCounts &- pendulumZeroCounts,
                           timeMicroseconds: Int64(s.timeMicroseconds))
            phase = .running
            runningSince = t
            return runningStep(s, t, &record)
        }
        let duty = action == 0 ? 0 : runner.duty(forAction: action)
        let filtered = filter(duty, &record)
        runner.recordAppliedAction(action)
        return .drive(filtered, enabled: configuration.motorEnabled)
    }

    private func runningStep(_ sample: DeviceState?, _ t: Double, _ record: inout TickRecord) -> TickCommand {
        if let since = runningSince {
            runningSeconds = t - since
            if let limit = configuration.runSeconds, runningSeconds >= limit {
                log(.durationReached, t, runningSeconds)
                stopReason = stopReason ?? .durationReached
                beginSafeStop(t)
                return safeStopStep(nil, t)
            }
        }
        guard sample != nil else { return .nothing } // hold: the request repeated the last duty
        trackUpright(t)
        let start = MonotonicClock.nanoseconds()
        let raw = runner.act()
        record.inferenceNanoseconds = MonotonicClock.nanoseconds() - start
        policySteps += 1
        record.action = raw
        guard raw.isFinite else {
            fault(.nonFiniteAction, t, raw)
            return safeStopStep(nil, t)
        }
        let duty = filter(runner.duty(forAction: raw), &record)
        return .drive(duty, enabled: configuration.motorEnabled)
    }

    private func safeStopStep(_ sample: DeviceState?, _ t: Double) -> TickCommand {
        // A state answering a zero command (the request repeats the hold command) confirms it.
        if let s = sample, s.appliedDutyQ15 == 0 {
            finish(confirmed: true)
            return .nothing
        }
        if t - stopStartedAt > configuration.limits.stopConfirmationSeconds {
            finish(confirmed: false)
            return .emergencyStop
        }
        return .zero
    }

    // MARK: helpers

    private func filter(_ duty: Double, _ record: inout TickRecord) -> Double {
        let (out, flags) = safety.filter(duty: duty, armAngle: runner.armAngle)
        record.safetyFlags = flags
        if flags & SafetyFlag.dutyLimited != 0 { dutyLimitedTicks += 1 }
        if flags & SafetyFlag.slewLimited != 0 { slewLimitedTicks += 1 }
        if flags & SafetyFlag.outwardBlocked != 0 { outwardBlockedTicks += 1 }
        return out
    }

    private func trackUpright(_ t: Double) {
        // |α − π| ≤ tol (mod 2π)  ⇔  −cos α ≥ cos tol
        if -_cos(runner.pendulumAngle) >= _cos(configuration.uprightToleranceRad) {
            if uprightSince == nil { uprightSince = t }
            longestUprightSeconds = max(longestUprightSeconds, t - uprightSince!)
        } else {
            uprightSince = nil
        }
    }

    private func fault(_ kind: SafetyEventKind, _ t: Double, _ value: Double) {
        guard latchedFault == nil else { return }
        latchedFault = kind
        stopReason = stopReason ?? kind
        log(kind, t, value)
        if phase == .homing || phase == .running { beginSafeStop(t) }
    }

    private func beginSafeStop(_ t: Double) {
        guard phase == .homing || phase == .running else { return }
        phase = .safeStop
        stopStartedAt = t
        uprightSince = nil
        safety.resetDuty(to: 0)
    }

    private func finish(confirmed: Bool) {
        phase = .stopped
        stopConfirmed = confirmed
        uprightSince = nil
    }

    private func log(_ kind: SafetyEventKind, _ t: Double, _ value: Double) {
        events.append(SafetyEvent(kind: kind, timeSeconds: t, value: value))
    }
}
