import Foundation
import SwingUpCriterion

/// An episode's success judged from its telemetry CSV exactly as `furuta eval --log` judges it:
/// the rows of phase `running` with a fresh sample (`has_sample` 1), in order, fed to
/// `SwingUpJudgement` with the episode's criterion.
public enum EpisodeLogJudgement {
    /// nil when the log could not be read (nil) or lacks a column the judgement needs.
    public static func verdict(_ log: EpisodeLogTable?, criterion: SwingUpSuccess, periodS: Double, armLimit: Double) -> SwingUpJudgement.Verdict? {
        guard let log, let phase = log.column("phase"), let hasSample = log.column("has_sample"),
              let time = log.column("device_time_us"), let arm = log.column("arm_angle_rad"),
              let pendulum = log.column("pendulum_angle_rad") else { return nil }
        var judgement = SwingUpJudgement(criterion: criterion, periodS: periodS, armLimit: armLimit)
        for f in log.rows {
            guard log.isComplete(f), f[phase] == "running", f[hasSample] == "1",
                  let t = Int64(f[time]), let theta = Double(f[arm]), let alpha = Double(f[pendulum]) else { continue }
            judgement.add(deviceTimeUs: t, armAngle: theta, pendulumAngle: alpha)
        }
        return judgement.verdict
    }
}
