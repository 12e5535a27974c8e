import FirmwareLink
import MonotonicTime
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
    /// Frames the device sent on this connection that never arrived and were not counted as
    /// corrupt either (lost − corrupt, cumulative): another reader on the port takes them.
    public var unexplainedLostFrames = 0
    /// Telemetry rows lost to write errors so far (full disk, closed pipe), cumulative.
    public var telemetryRowsLost = 0

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
    /// Where the arm will stop; brakes before the soft limit (see `StoppingEnvelope`).
    public private(set) var envelope: StoppingEnvelope
    /// Whether a sample is news (see `StateFreshness`).
    public private(set) var freshness: StateFreshness

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
    /// Periods in which the stopping envelope or a safe stop braked.
    public private(set) var brakingTicks = 0
    /// States that arrived but were not news (frozen clock or counts).
    public private(set) var staleSamples = 0
    public private(set) var policySteps = 0
    public private(set) var runningSince: Double?
    public private(set) var runningSeconds = 0.0
    public private(set) var longestUprightSeconds = 0.0
    private var uprightSince: Double?

    private var stopStartedAt = 0.0
    /// After the run's duration, homing again to leave the pendulum at rest (`resetAfterRun`).
    private var resettingAfterRun = false
    /// The run's first homing has had its first fresh arm angle (where a recovery starts from);
    /// never cleared, so the reset after the run (`resetAfterRun`) gets no recovery.
    private var homingSawArm = false
    private var lastDeviceTime: UInt64?
    private var wasBraking = false
    /// The device said it was armed in its last fresh state (braking needs it).
    private var deviceArmed = true
    private var lostFrameBucket = 0.0
    private var lastUnexplainedLost = 0
    /// The device clock of the last sample, µs (the session compares it across reconnects).
    public var lastDeviceTimeMicroseconds: UInt64? { lastDeviceTime }
    /// The command repeated as this period's state request.
    public private(set) var holdCommand = TickCommand.zero
    private let countsToRadians: (arm: Double, pendulum: Double)
    private let startedSeconds: Double

    public init(configuration: ControlLoopConfiguration, runner: PolicyRunner, startNanoseconds: Int64 = 0) {
        self.configuration = configuration
        self.runner = runner
        homing = HomingController(settings: configuration.homing, armSoftLimitRad: configuration.limits.armSoftLimitRad,
                                  arm: configuration.limits.arm)
        safety = SafetyMonitor(limits: configuration.limits, periodSeconds: configuration.periodSeconds)
        envelope = StoppingEnvelope(limits: configuration.limits, periodSeconds: configuration.periodSeconds)
        freshness = StateFreshness(limits: configuration.limits,
                                   armCountsPerRevolution: runner.policy.file.observationLayout.armCountsPerRevolution)
        phase = configuration.skipHoming ? .running : .homing
        armZeroCounts = configuration.armZeroCounts
        let layout = runner.policy.file.observationLayout
        countsToRadians = (2 * Double.pi / Double(layout.armCountsPerRevolution),
                           2 * Double.pi / Double(layout.pendulumCountsPerRevolution))
        startedSeconds = Double(startNanoseconds) * 1e-9
        if configuration.skipHoming { runningSince = startedSeconds }
    }

    public var isFinished: Bool { phase == .stopped }

    /// Sets the arm counts that mean θ = 0 before the first step (the session learns them from
    /// the state answering `rearm`, after the loop is built).
    public func setArmZero(_ counts: Int32) {
        precondition(ticks == 0, "the arm's zero is set before the loop starts")
        armZeroCounts = counts
    }

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
        // Frames vanishing (not damaged: gone) mean another reader on the port.
        let newlyLost = max(0, input.unexplainedLostFrames - lastUnexplainedLost)
        lastUnexplainedLost = max(lastUnexplainedLost, input.unexplainedLostFrames)
        lostFrameBucket = max(0, lostFrameBucket + Double(newlyLost) - 0.1)
        if lostFrameBucket > configuration.limits.lostFrameBucketLimit { fault(.framesLost, t, Double(input.unexplainedLostFrames)) }
        if input.telemetryRowsLost > configuration.limits.telemetryLossLimit { fault(.telemetryLost, t, Double(input.telemetryRowsLost)) }
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

        // 3. The sample, if it is news.
        var fresh: DeviceState?
        if let sample = input.sample {
            recordRaw(sample, &record)
            switch freshness.judge(sample, hostSeconds: t) {
            case .fresh: fresh = sample
            case .frozenClock:
                staleSamples += 1
                record.safetyFlags |= SafetyFlag.staleSample
                log(.stateStale, t, 1)
            case .frozenCounts:
                staleSamples += 1
                record.safetyFlags |= SafetyFlag.staleSample
                log(.stateStale, t, freshness.predictedFrozenCounts)
            case .clockBackwards:
                fault(.deviceClockBackwards, t, Double(sample.timeMicroseconds) - Double(lastDeviceTime ?? 0))
            case .clockJump:
                fault(.deviceClockJump, t, Double(sample.timeMicroseconds) - Double(lastDeviceTime ?? 0))
            }
        }
        if let kind = safety.recordSample(present: fresh != nil) { fault(kind, t, Double(safety.missedSamples)) }
        if let sample = fresh {
            take(sample, t, &record)
        } else {
            samplesMissed += 1
            if input.sample == nil { log(.stateMissed, t, Double(safety.missedSamples)) }
            // Blind: the arm goes on under the duty held; the envelope follows it with the model.
            let held = holdCommand.flags.contains(.enable) ? holdCommand.duty : 0
            envelope.deadReckon(duty: held, seconds: configuration.periodSeconds * Double(1 + input.skippedPeriods))
        }

        // 4. The phase.
        var command: TickCommand
        switch phase {
        case .homing: command = homingStep(fresh, t, &record)
        case .running: command = runningStep(fresh, t, &record)
        case .safeStop: command = safeStopStep(fresh, t, &record)
        default: command = .nothing
        }
        if !command.send, fresh == nil, phase == .homing || phase == .running, holdCommand.flags.contains(.enable) {
            // No news: the request repeats the held duty, unless the dead-reckoned arm must brake.
            let (duty, flags) = envelope.filter(duty: holdCommand.duty)
            if flags != 0 {
                record.safetyFlags |= flags
                if flags & SafetyFlag.outwardBlocked != 0 { outwardBlockedTicks += 1 }
                noteBraking(flags, t)
                safety.resetDuty(to: duty)
                command = .drive(duty, enabled: configuration.motorEnabled)
            }
        }
        if command.send { holdCommand = command }
        record.dutyCommanded = command.send ? command.duty : holdCommand.duty
        return command
    }

    // MARK: sample

    /// What the device sent, fresh or not, for the log.
    private func recordRaw(_ s: DeviceState, _ record: inout TickRecord) {
        record.deviceTimeMicroseconds = s.timeMicroseconds
        record.armCounts = s.armCounts
        record.pendulumCounts = s.pendulumCounts
        record.dutyApplied = s.appliedDuty
        record.deviceStatus = s.status.rawValue
    }

    /// A fresh state: estimator, envelope, limits.
    private func take(_ s: DeviceState, _ t: Double, _ record: inout TickRecord) {
        record.hasSample = true
        lastDeviceTime = s.timeMicroseconds
        deviceArmed = s.mode == .armed
        lastArmCountsFromZero = s.armCounts &- armZeroCounts
        runner.observe(armCounts: lastArmCountsFromZero, pendulumCounts: s.pendulumCounts &- pendulumZeroCounts,
                       timeMicroseconds: Int64(s.timeMicroseconds))
        let theta = runner.armAngle
        record.armAngle = theta
        record.pendulumAngle = runner.pendulumAngle
        record.armVelocity = runner.armVelocity
        record.pendulumVelocity = runner.pendulumVelocity
        envelope.observe(angle: theta, deviceMicroseconds: s.timeMicroseconds)
        guard phase == .homing || phase == .running else { return }
        if phase == .homing, !homingSawArm {
            homingSawArm = true
            allowRecovery(from: theta)
        }
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
            if kind.isFault { fault(kind, t, theta) } else { log(kind, t, theta) } // a fault logs itself
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
        if resettingAfterRun, homing.stage == .done || homing.stage == .timedOut || homing.failure != nil {
            // The next episode's reset judges the pendulum again; this one only calms it.
            beginSafeStop(t)
            return safeStopStep(nil, t, &record)
        }
        if homing.stage == .timedOut {
            fault(.homingTimedOut, t, rawPendulum)
            return safeStopStep(nil, t, &record)
        }
        if let failure = homing.failure {
            fault(failure.kind, t, rawPendulum)
            return safeStopStep(nil, t, &record)
        }
        if homing.stage == .done, safety.mayEngage(armAngle: runner.armAngle) {
            // The pendulum hangs still here: this is α = 0. Start an episode as the simulator does.
            pendulumZeroCounts = Int32((homing.restPendulumAngle / countsToRadians.pendulum).rounded())
            safety.endRecovery()
            runner.reset()
            runner.observe(armCounts: lastArmCountsFromZero, pendulumCounts: s.pendulumCounts &- pendulumZeroCounts,
                           timeMicroseconds: Int64(s.timeMicroseconds))
            phase = .running
            runningSince = t
            return runningStep(s, t, &record)
        }
        let duty = action == 0 ? 0 : runner.duty(forAction: action)
        let filtered = filter(duty, t, &record)
        runner.recordAppliedAction(action)
        return .drive(filtered, enabled: configuration.motorEnabled)
    }

    private func runningStep(_ sample: DeviceState?, _ t: Double, _ record: inout TickRecord) -> TickCommand {
        if let since = runningSince {
            runningSeconds = t - since
            if let limit = configuration.runSeconds, runningSeconds >= limit {
                log(.durationReached, t, runningSeconds)
                stopReason = stopReason ?? .durationReached
                if configuration.homing.resetAfterRun, !resettingAfterRun, sample != nil {
                    // A training session: the arm keeps hold of the pendulum and brings it to
                    // rest now, so it is never left swinging (and dragging the free arm) between
                    // episodes; then the safe stop.
                    resettingAfterRun = true
                    var settings = configuration.homing
                    settings.hangingRawPendulumAngle = Double(pendulumZeroCounts) * countsToRadians.pendulum
                    settings.timeoutSeconds = min(settings.timeoutSeconds, 10)
                    settings.armStartMarginRad = configuration.limits.armHardMarginRad
                    homing = HomingController(settings: settings, armSoftLimitRad: configuration.limits.armSoftLimitRad,
                                              arm: configuration.limits.arm)
                    phase = .homing
                    return homingStep(sample, t, &record)
                }
                beginSafeStop(t)
                return safeStopStep(nil, t, &record)
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
            return safeStopStep(nil, t, &record)
        }
        let duty = filter(runner.duty(forAction: raw), t, &record)
        return .drive(duty, enabled: configuration.motorEnabled)
    }

    private func safeStopStep(_ sample: DeviceState?, _ t: Double, _ record: inout TickRecord) -> TickCommand {
        // Brake the arm to rest first (a coasting arm travels ~10 rad from 40 rad/s), within the
        // duty limit, for at most maxBrakeSeconds, while the device is armed to apply it.
        if configuration.motorEnabled, deviceArmed, t - stopStartedAt <= configuration.limits.maxBrakeSeconds,
           let brake = envelope.stopDuty(innerLimit: configuration.limits.armSoftLimitRad - configuration.limits.armHysteresisRad) {
            record.safetyFlags |= SafetyFlag.braking
            noteBraking(SafetyFlag.braking, t)
            return .drive(brake, enabled: true)
        }
        wasBraking = false
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

    /// A reset may start beyond the soft limit (`HomingSettings.armStartMarginRad` m, a zero from
    /// the same boot): the arm, found at θ0 with |θ0| ≤ θ_lim + m, is brought back inward only; it
    /// faults `arm_beyond_hard_limit` beyond max(θ_lim + hard margin, θ_lim + m + overshoot)
    /// instead of at the hard limit (the overshoot: an arm found still moving outward stops a
    /// little further out under the envelope's brake), and `arm_outside_limit_too_long` after
    /// `armRecoverySeconds` beyond θ_lim. An arm found farther out gets nothing: homing refuses
    /// it before any duty.
    /// (Not for the reset right after a run: the policy's arm is inside the ordinary limits there.)
    private func allowRecovery(from theta0: Double) {
        let settings = configuration.homing
        let margin = settings.armStartMarginRad
        let limits = configuration.limits
        guard margin > 0, abs(theta0) <= limits.armSoftLimitRad + margin else { return }
        safety.allowRecovery(limitRad: limits.armSoftLimitRad + margin + settings.armRecoveryOvershootRad,
                             maxSecondsOutside: settings.armRecoverySeconds)
    }

    /// The limit filters (`SafetyMonitor`), then the stopping envelope, which may override them
    /// with a brake (not slew-limited: a safety action does not wait).
    private func filter(_ duty: Double, _ t: Double, _ record: inout TickRecord) -> Double {
        var (out, flags) = safety.filter(duty: duty, armAngle: runner.armAngle)
        let (enveloped, envelopeFlags) = envelope.filter(duty: out)
        if envelopeFlags != 0 {
            out = enveloped
            safety.resetDuty(to: out)
        }
        flags |= envelopeFlags
        record.safetyFlags |= flags
        if flags & SafetyFlag.dutyLimited != 0 { dutyLimitedTicks += 1 }
        if flags & SafetyFlag.slewLimited != 0 { slewLimitedTicks += 1 }
        if flags & SafetyFlag.outwardBlocked != 0 { outwardBlockedTicks += 1 }
        noteBraking(envelopeFlags, t)
        return out
    }

    /// Counts braking periods; the first of a braking episode is event `braking_engaged` with the
    /// arm's velocity as value.
    private func noteBraking(_ flags: UInt8, _ t: Double) {
        guard flags & SafetyFlag.braking != 0 else {
            wasBraking = false
            return
        }
        brakingTicks += 1
        if !wasBraking { log(.brakingEngaged, t, envelope.velocity) }
        wasBraking = true
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
