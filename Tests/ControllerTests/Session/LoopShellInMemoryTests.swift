import Controller
import FirmwareLink
import Foundation
import MotorModel
import PolicyFormat
import Testing

/// The loop shell (`LoopRunner`) against a `ScriptedDevice` over an in-memory channel on a
/// `ManualClock`: request, retry, sequence, staleness, reset and link loss, each over hundreds of
/// periods of virtual time in a few milliseconds of real time.
struct LoopShellInMemoryTests {
    struct Rig {
        let clock = ManualClock()
        let device: ScriptedDevice
        let loop: ControlLoop
        let runner: LoopRunner
        let ring = TelemetryRing()

        init(seconds: Double, trained: TrainedLatency?, measuredMs: Double, configure: (ScriptedDevice) -> Void) throws {
            let robot = try ControllerFixtures.robot().parameters
            device = ScriptedDevice(clock: clock)
            configure(device)
            let link = DeviceLink(channel: device.channel)
            try link.handshake(timeout: .milliseconds(100))
            _ = try link.rearm()
            var configuration = ControlLoopConfiguration(limits: SafetyLimits(robot: robot), periodSeconds: 0.01)
            configuration.skipHoming = true
            configuration.runSeconds = seconds
            let policy = try FrozenPolicy(ControllerFixtures.constantPolicy(0.1, robot: robot))
            loop = ControlLoop(configuration: configuration, runner: PolicyRunner(policy: policy, motor: robot.motor))
            let timing = LinkTiming.plan(periodSeconds: 0.01, robot: robot.control, trained: trained,
                                         measured: LinkLatency(samplesSeconds: [measuredMs / 1000]))
            let origin = clock.nanoseconds()
            runner = LoopRunner(link: link, loop: loop, ring: ring, histograms: LoopHistograms(), periodNanoseconds: 10_000_000,
                                timing: timing, originNanoseconds: origin, removal: nil, externalStops: ExternalStops())
            runner.clock = clock
        }

        /// Runs to the end; returns the real time it took, s.
        func run() -> Double {
            let start = ContinuousClock.now
            runner.run(firstDeadline: clock.nanoseconds() + 10_000_000)
            return (ContinuousClock.now - start) / .seconds(1)
        }

        var recordsWithSample: Int {
            var count = 0
            ring.drain { if $0.hasSample { count += 1 } }
            return count
        }
    }

    static let trained = TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.010)

    /// 8 ms each way is twice robot.yaml's declared latency: every period still gets its state.
    /// (The old fixed budget, 40 % of the period in 3 tries, would have missed every one.)
    @Test func everyPeriodGetsItsStateAtTwiceTheDeclaredLatency() throws {
        let rig = try Rig(seconds: 3, trained: Self.trained, measuredMs: 8) { $0.replyLatency = { _ in 8_000_000 } }
        let seconds = rig.run()
        #expect(rig.loop.latchedFault == nil)
        #expect(rig.loop.samplesMissed == 0)
        #expect(rig.loop.policySteps >= 299)
        #expect(rig.loop.stopConfirmed == true)
        #expect(rig.runner.roundTrip.summary.p50Us >= 7999 && rig.runner.roundTrip.summary.p50Us <= 8001)
        #expect(seconds < 1, "virtual time: \(seconds) s of real time for 3 s of loop")
    }

    /// Every 7th reply lost: the request is repeated inside the wait and no period goes without.
    @Test func aLostReplyIsRetriedWithinThePeriod() throws {
        let rig = try Rig(seconds: 3, trained: Self.trained, measuredMs: 0.3) {
            $0.replyLatency = { _ in 300_000 }
            $0.dropReply = { $0 % 7 == 3 }
        }
        _ = rig.run()
        #expect(rig.runner.timing.attempts == 3)
        #expect(rig.loop.latchedFault == nil)
        #expect(rig.loop.samplesMissed == 0)
        // Each period sends a request and a command; retries add to that.
        #expect(rig.device.commandsReceived > 2 * rig.loop.ticks)
    }

    /// Replies 12 ms late against a policy trained for ≤ 10 ms: request/reply cannot wait that
    /// long, and pipelined (the state answering the request of one period before) accepts states
    /// up to 12.5 ms old; a 13 ms reply is older than that. Each arrives during a later period's
    /// wait; it must never be taken as the current state. Five periods without → stale_state.
    @Test func aStateOlderThanTheTrainedRangeAllowsIsStaleAndNeverTaken() throws {
        let rig = try Rig(seconds: 3, trained: Self.trained, measuredMs: 13) { $0.replyLatency = { _ in 13_000_000 } }
        _ = rig.run()
        #expect(rig.runner.timing.pipelineDepth == 1)
        #expect(rig.loop.latchedFault == .staleState)
        #expect(rig.loop.policySteps == 0)
        #expect(rig.recordsWithSample == 0, "a late reply to an older request was used")
        #expect(rig.device.appliedDutyQ15 == 0)
    }

    /// Request/reply (the link measured fast) and a reply that comes 12 ms late: it answers the
    /// previous period's request and is not taken for this one's.
    @Test func inRequestReplyALateReplyToTheLastRequestIsNeverTaken() throws {
        let rig = try Rig(seconds: 3, trained: Self.trained, measuredMs: 0.3) { $0.replyLatency = { _ in 12_000_000 } }
        _ = rig.run()
        #expect(rig.runner.timing.pipelineDepth == 0)
        #expect(rig.loop.latchedFault == .staleState)
        #expect(rig.recordsWithSample == 0)
    }

    /// A round trip of 12 ms, longer than the 10 ms period, with a policy trained for ≤ 15 ms:
    /// pipelined, every period after the first gets a state, and the state a period uses is the
    /// one sampled when the previous period's request reached the device (its device timestamp,
    /// one period before this deadline, is what the observation uses).
    @Test func aRoundTripLongerThanThePeriodIsPipelinedAndDrivesTheLoop() throws {
        let rig = try Rig(seconds: 3, trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.015), measuredMs: 12) {
            $0.replyLatency = { _ in 12_000_000 }
        }
        let seconds = rig.run()
        #expect(rig.runner.timing.pipelineDepth == 1)
        #expect(rig.loop.latchedFault == nil)
        #expect(rig.loop.samplesMissed <= 1, "missed \(rig.loop.samplesMissed)")
        #expect(rig.loop.policySteps >= 298)
        #expect(rig.loop.stopConfirmed == true)
        #expect(rig.runner.roundTrip.summary.p50Us >= 11_999 && rig.runner.roundTrip.summary.p50Us <= 12_001)
        // Sample age at the deadline = deadline − device time: the same for every period, one period
        // (plus the fixed offset between the two clocks' origins).
        var ages: [Int64] = []
        rig.ring.drain { if $0.hasSample { ages.append($0.deadlineNanoseconds / 1000 - Int64($0.deviceTimeMicroseconds)) } }
        let spread = (ages.max() ?? 0) - (ages.min() ?? 0)
        #expect(ages.count >= 298 && spread <= 1, "ages \(ages.prefix(5)) … spread \(spread) µs")
        #expect(seconds < 1)
    }

    /// Jitter around 12 ms (11–13.5 ms): pipelined states that arrive before the deadline are
    /// taken at once, later ones within the wait; none is missed.
    @Test func pipelinedStatesAroundTheDeadlineAreAllTaken() throws {
        let rig = try Rig(seconds: 3, trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.015), measuredMs: 13.5) {
            $0.replyLatency = { n in 11_000_000 + Int64(n * 7919 % 2500) * 1000 }
        }
        _ = rig.run()
        #expect(rig.runner.timing.pipelineDepth == 1)
        #expect(rig.loop.latchedFault == nil)
        #expect(rig.loop.samplesMissed <= 1)
    }

    /// A policy trained for ≤ 2 ms waits only 3 ms: a 6 ms reply is stale, though it fits the period.
    @Test func whatCountsAsStaleFollowsTheTrainedRange() throws {
        let rig = try Rig(seconds: 1, trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.002), measuredMs: 6) {
            $0.replyLatency = { _ in 6_000_000 }
        }
        _ = rig.run()
        #expect(rig.runner.timing.waitNanoseconds == 3_000_000)
        #expect(rig.loop.latchedFault == .staleState)
        #expect(rig.recordsWithSample == 0)
    }

    /// The device reboots mid-run: its `fault not_ready` ends the run as device_reset.
    @Test func aDeviceResetEndsTheRunAsDeviceReset() throws {
        var device: ScriptedDevice?
        let rig = try Rig(seconds: 3, trained: Self.trained, measuredMs: 0.3) { d in
            device = d
            d.dropReply = { n in
                if n == 200 { device?.reset() }
                return false
            }
        }
        _ = rig.run()
        #expect(rig.loop.latchedFault == .deviceReset)
        #expect(rig.loop.needsHandshakeToConfirm)
        #expect(rig.loop.policySteps > 50 && rig.loop.policySteps < 110)
    }

    /// The cable goes: the next write fails, the run ends as link_lost without sending more.
    @Test func aLostLinkEndsTheRunAsLinkLost() throws {
        var device: ScriptedDevice?
        let rig = try Rig(seconds: 3, trained: Self.trained, measuredMs: 0.3) { d in
            device = d
            d.dropReply = { n in
                if n == 100 { device?.channel.isDisconnected = true }
                return false
            }
        }
        _ = rig.run()
        #expect(rig.loop.latchedFault == .linkLost)
        #expect(rig.runner.linkLost)
        #expect(rig.device.commandsReceived <= 101)
    }
}
