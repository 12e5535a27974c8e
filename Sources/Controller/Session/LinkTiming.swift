import MotorModel
import PolicyFormat

/// How the loop asks for a state each period, derived from the robot description, the policy
/// and the round trip measured at connect time — not from a fixed fraction of the period.
///
/// Each period k the held command is re-sent as a request (it feeds the firmware watchdog and
/// changes nothing at the motor) and the loop waits, up to `waitNanoseconds` after the
/// deadline, for the state answering the request of period k − D (D = `pipelineDepth`) or any
/// frame sent after it:
///
///  - **request/reply** (D = 0), when the round trip fits the period: the state answers this
///    period's own request;
///  - **pipelined** (D ≥ 1), when it does not: D requests are in flight, and the state arriving
///    now answers the request sent D periods ago. A round trip longer than the period still
///    drives the robot, with a sensor-to-actuation latency of about one round trip, as in
///    request/reply.
///
/// With r = the measured round trip's p90 (pipelined when request/reply would miss more than
/// a tenth of the periods; one spike among the pings does not decide), T the period,
/// guard = max(0.5 ms, T/20):
///
///     stale  = max(1.25 · L_max, L_max + 1 ms)     (oldest state accepted, from its request)
///     L_max  = the policy's trained maximum latency, or 2 × robot.yaml's control.latency_s
///     D      = 0 if r ≤ min(T − guard, stale), else ⌈(r − (T − guard)) / T⌉
///     wait   = min(T − guard, stale − D·T)   (at least T/10)
///
/// (guard leaves time to compute and send the command; the 25 % / 1 ms tolerance is the jitter
/// around a link whose median just fits the trained range.) A state older than `stale` would
/// give a sensor-to-actuation latency beyond what the policy was trained for: it is not taken.
///
/// A request or reply lost to corruption is retried inside the wait when there is room for
/// it (request/reply only): an attempt lasts max(1 ms, 2 × the p99), and up to 3 attempts fit in the
/// wait (at least one). The device timestamp of the state is what the observation uses, so a
/// late but accepted state is still observed at the time it was sampled.
public struct LinkTiming: Sendable, Equatable {
    public var periodNanoseconds: Int64
    /// Longest wait after the deadline for the period's state.
    public var waitNanoseconds: Int64
    /// Requests per period (the first plus retries).
    public var attempts: Int
    /// Oldest sensor-to-actuation latency accepted, s (what "stale" means for this link).
    public var staleAfterSeconds: Double
    /// Periods between a request and the state it brings (0: request/reply).
    public var pipelineDepth: Int

    public init(periodNanoseconds: Int64, waitNanoseconds: Int64, attempts: Int, staleAfterSeconds: Double,
                pipelineDepth: Int = 0) {
        self.periodNanoseconds = periodNanoseconds
        self.waitNanoseconds = waitNanoseconds
        self.attempts = attempts
        self.staleAfterSeconds = staleAfterSeconds
        self.pipelineDepth = pipelineDepth
    }

    /// Deepest pipeline the loop keeps sequence numbers for.
    public static let maximumPipelineDepth = 8

    public static func plan(periodSeconds: Double, robot: ControlParameters, trained: TrainedLatency?,
                            measured: LinkLatency?) -> LinkTiming {
        let period = Int64((periodSeconds * 1e9).rounded())
        let guardNs = max(500_000, period / 20)
        let inPeriod = period - guardNs
        let maxLatency = trained?.maximumSeconds ?? 2 * robot.latencyS
        let maxNs = Int64((maxLatency * 1e9).rounded())
        // Never shorter than 1 ms: a link with no latency still needs room for one retry.
        let stale = max(maxNs * 5 / 4, maxNs + 1_000_000)
        let p99 = Int64(((measured?.p99Seconds ?? 0) * 1e9).rounded())
        let p90 = Int64(((measured?.quantile(0.9) ?? 0) * 1e9).rounded())
        var depth = 0
        if p90 > inPeriod {
            depth = min(maximumPipelineDepth, Int((p90 - inPeriod + period - 1) / period))
        }
        let wait = max(min(inPeriod, stale - Int64(depth) * period), period / 10)
        let attemptLength = max(1_000_000, 2 * p99)
        let attempts = depth > 0 ? 1 : min(3, max(1, Int(wait / attemptLength)))
        return LinkTiming(periodNanoseconds: period, waitNanoseconds: wait, attempts: attempts,
                          staleAfterSeconds: Double(Int64(depth) * period + wait) * 1e-9, pipelineDepth: depth)
    }

    /// "request/reply: wait up to 8.00 ms (3 attempts) per 10 ms period", or
    /// "pipelined (1 request in flight): the state answering the request of 1 period before, …"
    public var description: String {
        let wait = "wait up to \(LinkLatency.ms(Double(waitNanoseconds) * 1e-9)) ms"
        let per = "per \(LinkLatency.ms(Double(periodNanoseconds) * 1e-9)) ms period"
        if pipelineDepth == 0 {
            return "request/reply: \(wait) (\(attempts) attempt\(attempts == 1 ? "" : "s")) \(per)"
        }
        let periods = pipelineDepth == 1 ? "1 period" : "\(pipelineDepth) periods"
        return "pipelined: the state answering the request of \(periods) before, \(wait) after the deadline \(per) "
            + "(oldest accepted \(LinkLatency.ms(staleAfterSeconds)) ms)"
    }
}
