import Controller
import MotorModel
import PolicyFormat
import Testing

/// The request/reply and pipelined plans and the latency verdict, from numbers alone.
struct LinkTimingTests {
    let control = ControlParameters(rateHz: 100, latencyS: 0.004, physicsTimestepS: 0.002)

    private func link(_ ms: [Double]) -> LinkLatency { LinkLatency(samplesSeconds: ms.map { $0 / 1000 }) }

    @Test func fastLinkGetsRetriesInsideTheWait() {
        let plan = LinkTiming.plan(periodSeconds: 0.01, robot: control, trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.010),
                                   measured: link([0.2, 0.3, 0.25]))
        // min(T − guard, max(1.25·10, 10 + 1) ms) = min(9.5, 12.5) = 9.5 ms; attempts of max(1 ms, 0.6 ms).
        #expect(plan.waitNanoseconds == 9_500_000)
        #expect(plan.attempts == 3)
    }

    /// The old fixed budget (40 % of T in 3 tries) could not serve a 4 ms link at 100 Hz.
    @Test func declaredLatencyLinkIsWaitedForInOneAttempt() {
        let plan = LinkTiming.plan(periodSeconds: 0.01, robot: control, trained: nil, measured: link([8.4, 8.5, 8.6]))
        // No trained range: L_max = 2 × 4 ms; wait = min(9.5, max(10, 9)) = 9.5 ms; attempt 2·8.6 > wait.
        #expect(plan.waitNanoseconds == 9_500_000)
        #expect(plan.attempts == 1)
    }

    @Test func narrowTrainedRangeShortensTheWait() {
        let plan = LinkTiming.plan(periodSeconds: 0.01, robot: control, trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.002),
                                   measured: link([0.1]))
        #expect(plan.waitNanoseconds == 3_000_000) // max(2.5, 3) ms
        #expect(plan.staleAfterSeconds == 0.003)
    }

    @Test func linkThatFitsThePeriodIsRequestReply() {
        let plan = LinkTiming.plan(periodSeconds: 0.01, robot: control, trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.010),
                                   measured: link([8.0, 9.4]))
        #expect(plan.pipelineDepth == 0)
        #expect(plan.description.hasPrefix("request/reply"))
    }

    /// One ping of 32 caught in a host stall does not make a fast link pipelined (which would
    /// hold every state to the next deadline): the decision is on the p90.
    @Test func oneSlowPingAmongManyKeepsRequestReply() {
        let plan = LinkTiming.plan(periodSeconds: 0.01, robot: control, trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.010),
                                   measured: link(Array(repeating: 8.0, count: 31) + [12.6]))
        #expect(plan.pipelineDepth == 0)
        #expect(plan.waitNanoseconds == 9_500_000)
    }

    /// A round trip longer than T − guard cannot be served inside the period: the state taken at
    /// period k answers the request of period k − 1.
    @Test func roundTripLongerThanThePeriodIsPipelinedOneDeep() {
        let plan = LinkTiming.plan(periodSeconds: 0.01, robot: control, trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.015),
                                   measured: link([11.5, 12.0]))
        // stale = max(1.25·15, 16) = 18.75 ms; D = ⌈(12 − 9.5) / 10⌉ = 1; wait = min(9.5, 18.75 − 10) = 8.75 ms.
        #expect(plan.pipelineDepth == 1)
        #expect(plan.waitNanoseconds == 8_750_000)
        #expect(plan.attempts == 1)
        #expect(abs(plan.staleAfterSeconds - 0.01875) < 1e-9)
        #expect(plan.description.hasPrefix("pipelined"), "\(plan.description)")
    }

    /// A jittery link whose p99 just misses the period (median inside the trained range).
    @Test func roundTripWhoseTailMissesThePeriodIsPipelined() {
        let plan = LinkTiming.plan(periodSeconds: 0.01, robot: control, trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.010),
                                   measured: link([8.8, 9.0, 9.1, 10.4]))
        // D = ⌈(10.4 − 9.5) / 10⌉ = 1; wait = min(9.5, 12.5 − 10) = 2.5 ms: accepted up to 12.5 ms after the request.
        #expect(plan.pipelineDepth == 1)
        #expect(plan.waitNanoseconds == 2_500_000)
        #expect(abs(plan.staleAfterSeconds - 0.0125) < 1e-9)
    }

    @Test func roundTripOfMoreThanTwoPeriodsIsPipelinedDeeper() {
        let plan = LinkTiming.plan(periodSeconds: 0.005, robot: control, trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.015),
                                   measured: link([12.0]))
        // guard 0.5 ms; D = ⌈(12 − 4.5) / 5⌉ = 2; wait = min(4.5, 18.75 − 10) = 4.5 ms.
        #expect(plan.pipelineDepth == 2)
        #expect(plan.waitNanoseconds == 4_500_000)
    }

    @Test func verdictComparesTheMedianWithTheTrainedRange() {
        let range = TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.010)
        #expect(LatencyVerdict.judge(link([4, 5, 30]), policy: range) == .fits) // one spike does not move the median
        #expect(LatencyVerdict.judge(link([12, 12, 13]), policy: range) == .outside(measuredSeconds: 0.012, trained: range))
        #expect(LatencyVerdict.judge(link([12]), policy: nil) == .unknownRange)
    }

    @Test func quantilesAreNearestRank() {
        let l = link([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(l.medianSeconds == 0.005)
        #expect(l.p99Seconds == 0.010)
        #expect(l.maximumSeconds == 0.010)
    }
}
