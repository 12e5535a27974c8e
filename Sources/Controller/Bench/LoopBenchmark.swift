import FirmwareLink
import Foundation
import MonotonicTime
import MotorModel
import PolicyFormat

/// `furuta-controller bench`: the control loop against a bare clock_nanosleep loop, measured in
/// the same run, on the same thread, with the same schedule. One-second blocks alternate:
/// even blocks only sleep to the deadline (bare), odd blocks run the full controller period
/// (request a state over the link, observation, policy, safety, command, telemetry). Alternating
/// keeps slow drifts of the VM from favouring either side.
///
/// The device is told nothing but `hello` and `configure`: it stays disarmed, commands carry no
/// enable flag, so the motor never moves; the loop does exactly a run's work.
public struct LoopBenchmark {
    public struct Result: Sendable, Codable {
        public var rateHz: Double
        public var secondsPerSide: Double
        public var device: String
        public var bareJitterUs: LatencySummary
        public var controllerJitterUs: LatencySummary
        /// controller p99 ÷ bare p99 (the target is ≤ 1.2).
        public var p99Ratio: Double
        public var tickWorkUs: LatencySummary
        public var roundTripUs: LatencySummary
        public var inferenceUs: LatencySummary
        /// A tight loop of `FrozenPolicy.act` alone, ns per call.
        public var inferenceTightLoopNs: Double
        /// Allocations on the loop thread after warm-up, per controller period (nil: not counted).
        public var allocationsPerTick: Double?
        public var loopThreadAllocations: Int?
        public var allThreadAllocations: Int?
        public var measuredTicks: Int
        public var overruns: Int
        public var samplesMissed: Int
        public var frames: RunSummary.Frames
        public var telemetryDropped: Int
        public var realtime: RunSummary.Realtime
        /// Busy threads loading the CPU during the run (both sides alike), and their nice value.
        public var loadThreads = 0
        public var loadNice: Int32 = 0
    }

    public var rateHz = 1000.0
    public var secondsPerSide = 30.0
    public var realtime = RealtimeOptions()
    /// Controller periods excluded from allocation counting (first-use effects).
    public var warmUpTicks = 500

    public init() {}

    /// - Parameter tightLoopNanoseconds: inference cost measured beforehand (by the caller, with
    ///   no device process competing for the CPU); measured here after the loop when nil.
    public func run(link: DeviceLink, policy: FrozenPolicy, robot: RobotParameters, deviceLabel: String,
                    tightLoopNanoseconds: Double? = nil) -> Result {
        let period = Int64((1e9 / rateHz).rounded())
        var limits = SafetyLimits(robot: robot)
        // The benchmark measures the loop, not the stops: nothing it does may end it early.
        limits.stalePeriods = Int.max
        limits.overrunBucketLimit = .infinity
        limits.armVelocityLimitRadPerS = .infinity
        limits.pendulumVelocityLimitRadPerS = .infinity
        var configuration = ControlLoopConfiguration(limits: limits, periodSeconds: 1 / rateHz)
        configuration.motorEnabled = false
        configuration.skipHoming = true
        let loop = ControlLoop(configuration: configuration, runner: PolicyRunner(policy: policy, motor: robot.motor))
        let ring = TelemetryRing()
        let drain = try! TelemetryDrain(ring: ring, logPath: nil)
        let histograms = LoopHistograms()
        let bare = LatencyHistogram(), controlled = LatencyHistogram()
        let origin = MonotonicClock.nanoseconds()
        let runner = LoopRunner(link: link, loop: loop, ring: ring, histograms: histograms, periodNanoseconds: period,
                                timing: LinkTiming(periodNanoseconds: period, waitNanoseconds: period * 4 / 10, attempts: 3,
                                                   staleAfterSeconds: Double(period * 4 / 10) * 1e-9), originNanoseconds: origin,
                                removal: nil, externalStops: ExternalStops())
        let ticksPerBlock = Int(rateHz.rounded())
        let totalTicks = 2 * Int((secondsPerSide * rateHz).rounded(.up) / Double(ticksPerBlock)).clamped(min: 1) * ticksPerBlock
        let warmUp = warmUpTicks
        let counts = Counts()
        drain.start()
        var grant = RealtimeGrant()
        if realtime.lockMemory { RealtimeSetup.lockMemory(into: &grant) }
        let threadGrant = RealtimeThread.run(name: "furuta-bench", options: realtime) {
            AllocationProbe.watchCurrentThread()
            let now = MonotonicClock.nanoseconds()
            var deadline = now + period - (now - origin) % period
            var controllerTicks = 0
            var counting = false
            var k = 0
            while k < totalTicks {
                MonotonicClock.sleep(until: deadline)
                let woke = MonotonicClock.nanoseconds()
                let lateness = woke - deadline
                var skipped = 0
                if lateness >= period { skipped = Int(lateness / period) }
                if (k / ticksPerBlock) % 2 == 0 {
                    bare.record(lateness)
                } else {
                    controlled.record(lateness)
                    if controllerTicks == warmUp && !counting { AllocationProbe.start(); counting = true }
                    runner.runOnePeriod(deadline: deadline + Int64(skipped) * period, woke: woke, skipped: skipped)
                    controllerTicks += 1
                    if counting { counts.measured += 1 }
                }
                deadline += Int64(skipped + 1) * period
                k += skipped + 1
            }
            if counting, let allocations = AllocationProbe.stop() {
                counts.loopThread = allocations.watchedThread
                counts.allThreads = allocations.allThreads
            }
        }
        drain.stop()
        if realtime.lockMemory { munlockall() }

        let tight = tightLoopNanoseconds ?? Self.tightLoopNanoseconds(policy)
        var realtimeReport = RunSummary.Realtime()
        realtimeReport.fifoPriority = threadGrant.fifoPriority
        realtimeReport.memoryLocked = grant.memoryLocked
        realtimeReport.warnings = grant.warnings + threadGrant.warnings
        let counters = link.counters
        var frames = RunSummary.Frames()
        frames.sent = counters.framesSent
        frames.received = counters.framesReceived
        frames.corrupt = counters.corruptFrames
        frames.lost = counters.lostFrames
        frames.unknown = counters.unknownFrames
        let bareSummary = bare.summary, controlledSummary = controlled.summary
        return Result(
            rateHz: rateHz, secondsPerSide: Double(totalTicks / 2) / rateHz, device: deviceLabel,
            bareJitterUs: bareSummary, controllerJitterUs: controlledSummary,
            p99Ratio: bareSummary.p99Us > 0 ? controlledSummary.p99Us / bareSummary.p99Us : .infinity,
            tickWorkUs: histograms.work.summary, roundTripUs: histograms.roundTrip.summary,
            inferenceUs: histograms.inference.summary, inferenceTightLoopNs: tight,
            allocationsPerTick: counts.loopThread.map { Double($0) / Double(max(counts.measured, 1)) },
            loopThreadAllocations: counts.loopThread, allThreadAllocations: counts.allThreads,
            measuredTicks: counts.measured, overruns: loop.overrunTicks, samplesMissed: loop.samplesMissed,
            frames: frames, telemetryDropped: ring.dropped, realtime: realtimeReport)
    }

    /// `FrozenPolicy.act` in a tight loop on a fixed observation, ns per call: up to
    /// `iterations` calls or `budget` ns, whichever ends first (a debug build is ~250× slower).
    public static func tightLoopNanoseconds(_ policy: FrozenPolicy, iterations: Int = 200_000,
                                     budget: Int64 = 300_000_000) -> Double {
        var observation = [Float](repeating: 0.1, count: policy.observationSize)
        var action = [Float](repeating: 0, count: policy.actionCount)
        var sink: Float = 0
        var calls = 0
        let start = MonotonicClock.nanoseconds()
        observation.withUnsafeMutableBufferPointer { o in
            action.withUnsafeMutableBufferPointer { a in
                while calls < iterations {
                    for i in 0..<1000 {
                        o[0] = Float(i & 7) * 0.01
                        policy.act(observation: o, action: a)
                        sink += a[0]
                    }
                    calls += 1000
                    if MonotonicClock.nanoseconds() - start > budget { break }
                }
            }
        }
        let elapsed = MonotonicClock.nanoseconds() - start
        if sink.isNaN { print("") } // keep the result alive
        return Double(elapsed) / Double(calls)
    }
}

private final class Counts: @unchecked Sendable {
    var measured = 0
    var loopThread: Int?
    var allThreads: Int?
}

extension Int {
    fileprivate func clamped(min lower: Int) -> Int { Swift.max(self, lower) }
}
