/// A run recorded on the robot (the controller's `--log`, or a session's episode log) judged by
/// the task's deployment criterion, `SwingUpSuccess` — the same verdict `furuta eval` gives a
/// simulated episode.
///
/// Time on the robot is the device's: row k of the running phase is period
/// j = round((t_k − t_0)/T), so a period without a fresh sample is not miscounted. Only the
/// first episodeSeconds of running are judged (a longer run is its first episode):
///
///     steps run      = j_last + 1
///     terminated     = some judged row has |θ| > θ_lim (the task's termination)
///     final streak   = j_last − j_s + 1 when the last judged row is upright, where j_s is the
///                      period of the first row of that upright stretch; else 0
///
/// (between two upright samples the pendulum is taken as upright: it cannot fall and come back
/// within one missing period.)
extension RecordedEpisode {
    public struct Verdict: Sendable, Equatable, Codable {
        public var success: Bool
        /// Seconds of running judged (steps run × T).
        public var runningS: Double
        /// Seconds the pendulum had been upright at the end of the judged stretch.
        public var finalUprightS: Double
        /// The arm left its travel.
        public var terminated: Bool
    }

    public static func verdict(steps rows: [Step], criterion: SwingUpSuccess, task: SwingUpTask,
                               periodS: Double, armLimit: Double) -> Verdict {
        guard let first = rows.first else { return Verdict(success: false, runningS: 0, finalUprightS: 0, terminated: false) }
        let limit = criterion.episodeSteps(periodS: periodS)
        var lastPeriod = 0, streakStart: Int?, terminated = false
        for row in rows {
            let j = Int((Double(row.deviceTimeUs - first.deviceTimeUs) * 1e-6 / periodS).rounded())
            guard j < limit else { break }
            lastPeriod = j
            if task.isTerminal(armAngle: row.armAngle, armLimit: armLimit) { terminated = true }
            if criterion.isUpright(pendulumAngle: row.pendulumAngle) {
                if streakStart == nil { streakStart = j }
            } else {
                streakStart = nil
            }
        }
        let stepsRun = lastPeriod + 1
        let streak = streakStart.map { lastPeriod - $0 + 1 } ?? 0
        return Verdict(success: criterion.succeeded(stepsRun: stepsRun, terminated: terminated, finalUprightStreak: streak, periodS: periodS),
                       runningS: Double(stepsRun) * periodS, finalUprightS: Double(streak) * periodS, terminated: terminated)
    }
}
