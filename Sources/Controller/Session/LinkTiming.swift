import MotorModel
import PolicyFormat

/// How the loop asks for a state each period, derived from the robot description, the policy
/// and the round trip measured at connect time — not from a fixed fraction of the period.
///
/// Request/reply: at each deadline the held command is re-sent as a request; the state that
/// answers it is used if it arrives within `waitNanoseconds`. A state that arrives later would
/// give a sensor-to-actuation latency beyond what the policy was trained for, so it is stale:
///
///     wait   = min(T − guard, max(1.25 · L_max, L_max + 1 ms))    guard = max(0.5 ms, T/20)
///     L_max  = the policy's trained maximum latency, or 2 × robot.yaml's control.latency_s
///              when the file records none
///
/// (guard leaves time to compute and send the command; the 25 % / 1 ms tolerance is the
/// jitter around a link whose median just fits the trained range.)
///
/// A request or reply lost to corruption is retried inside the wait when there is room for
/// it: an attempt lasts max(1 ms, 2 × round trip p99), and up to 3 attempts fit in the wait
/// (at least one). The device timestamp of the state is what the observation uses, so a late
/// but accepted state is still observed at the time it was sampled.
public struct LinkTiming: Sendable, Equatable {
    public var periodNanoseconds: Int64
    /// Longest wait for the state answering this period's request.
    public var waitNanoseconds: Int64
    /// Requests per period (the first plus retries).
    public var attempts: Int
    /// Oldest sensor-to-actuation latency accepted, s (what "stale" means for this link).
    public var staleAfterSeconds: Double

    public init(periodNanoseconds: Int64, waitNanoseconds: Int64, attempts: Int, staleAfterSeconds: Double) {
        self.periodNanoseconds = periodNanoseconds
        self.waitNanoseconds = waitNanoseconds
        self.attempts = attempts
        self.staleAfterSeconds = staleAfterSeconds
    }

    public static func plan(periodSeconds: Double, robot: ControlParameters, trained: TrainedLatency?,
                            measured: LinkLatency?) -> LinkTiming {
        let period = Int64((periodSeconds * 1e9).rounded())
        let guardNs = max(500_000, period / 20)
        let maxLatency = trained?.maximumSeconds ?? 2 * robot.latencyS
        let maxNs = Int64((maxLatency * 1e9).rounded())
        // Never shorter than 1 ms: a link with no latency still needs room for one retry.
        let allowed = max(maxNs * 5 / 4, maxNs + 1_000_000)
        let wait = max(min(period - guardNs, allowed), period / 10)
        let p99 = Int64(((measured?.p99Seconds ?? 0) * 1e9).rounded())
        let attemptLength = max(1_000_000, 2 * p99)
        let attempts = min(3, max(1, Int(wait / attemptLength)))
        return LinkTiming(periodNanoseconds: period, waitNanoseconds: wait, attempts: attempts,
                          staleAfterSeconds: Double(wait) * 1e-9)
    }

    /// "request/reply: wait up to 8.00 ms (3 attempts) per 10 ms period"
    public var description: String {
        "request/reply: wait up to \(LinkLatency.ms(Double(waitNanoseconds) * 1e-9)) ms "
            + "(\(attempts) attempt\(attempts == 1 ? "" : "s")) per \(LinkLatency.ms(Double(periodNanoseconds) * 1e-9)) ms period"
    }
}
