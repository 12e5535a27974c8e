/// A run recorded on the robot (the controller's `--log`, a session's episode log) judged by
/// `SwingUpSuccess` one sample at a time — the same verdict `furuta eval` gives a simulated
/// episode, here and in the controller alike.
///
/// Time on the robot is the device's: the sample at t_k is period j = round((t_k − t_0)/T), so
/// a period without a fresh sample is not miscounted. Only the first episodeSeconds are judged
/// (a longer run is its first episode):
///
///     steps run      = j_last + 1
///     terminated     = some judged sample has |θ| > θ_lim (`SwingUpSuccess.leftTravel`)
///     final streak   = j_last − j_s + 1 when the last judged sample is upright, where j_s is the
///                      period of the first sample of that upright stretch; else 0
///
/// (between two upright samples the pendulum is taken as upright: it cannot fall and come back
/// within one missing period.)
public struct SwingUpJudgement: Sendable {
    public struct Verdict: Sendable, Equatable, Codable {
        public var success: Bool
        /// Seconds of running judged (steps run × T).
        public var runningS: Double
        /// Seconds the pendulum had been upright at the end of the judged stretch.
        public var finalUprightS: Double
        /// The arm left its travel.
        public var terminated: Bool
    }

    public let criterion: SwingUpSuccess
    public let periodS: Double
    public let armLimit: Double
    private let judgedPeriods: Int
    private var firstTimeUs: Int64?
    private var lastPeriod = 0
    private var streakStart: Int?
    private var terminated = false

    public init(criterion: SwingUpSuccess, periodS: Double, armLimit: Double) {
        self.criterion = criterion
        self.periodS = periodS
        self.armLimit = armLimit
        judgedPeriods = criterion.episodeSteps(periodS: periodS)
    }

    /// One fresh sample of the running phase, in order.
    public mutating func add(deviceTimeUs: Int64, armAngle: Double, pendulumAngle: Double) {
        let t0 = firstTimeUs ?? deviceTimeUs
        firstTimeUs = t0
        let j = Int((Double(deviceTimeUs - t0) * 1e-6 / periodS).rounded())
        guard j < judgedPeriods else { return }
        lastPeriod = j
        if SwingUpSuccess.leftTravel(armAngle: armAngle, armLimit: armLimit) { terminated = true }
        if criterion.isUpright(pendulumAngle: pendulumAngle) {
            if streakStart == nil { streakStart = j }
        } else {
            streakStart = nil
        }
    }

    /// The verdict on the samples so far (no sample: not a success, nothing run).
    public var verdict: Verdict {
        guard firstTimeUs != nil else { return Verdict(success: false, runningS: 0, finalUprightS: 0, terminated: false) }
        let stepsRun = lastPeriod + 1
        let streak = streakStart.map { lastPeriod - $0 + 1 } ?? 0
        return Verdict(success: criterion.succeeded(stepsRun: stepsRun, terminated: terminated, finalUprightStreak: streak, periodS: periodS),
                       runningS: Double(stepsRun) * periodS, finalUprightS: Double(streak) * periodS, terminated: terminated)
    }
}
