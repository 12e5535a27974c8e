import Foundation
import SwingUpCriterion

/// An episode's success judged from its telemetry CSV exactly as `furuta eval --log` judges it:
/// the rows of phase `running` with a fresh sample (`has_sample` 1), in order, fed to
/// `SwingUpJudgement` with the episode's criterion.
public enum EpisodeLogJudgement {
    /// nil when the log cannot be read or lacks a column the judgement needs.
    public static func verdict(csvPath: String, criterion: SwingUpSuccess, periodS: Double, armLimit: Double) -> SwingUpJudgement.Verdict? {
        guard let text = try? String(contentsOfFile: csvPath, encoding: .utf8) else { return nil }
        var lines = text.split(separator: "\n")
        guard !lines.isEmpty else { return nil }
        let header = lines.removeFirst().split(separator: ",")
        guard let phase = header.firstIndex(of: "phase"), let hasSample = header.firstIndex(of: "has_sample"),
              let time = header.firstIndex(of: "device_time_us"), let arm = header.firstIndex(of: "arm_angle_rad"),
              let pendulum = header.firstIndex(of: "pendulum_angle_rad") else { return nil }
        var judgement = SwingUpJudgement(criterion: criterion, periodS: periodS, armLimit: armLimit)
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == header.count, f[phase] == "running", f[hasSample] == "1",
                  let t = Int64(f[time]), let theta = Double(f[arm]), let alpha = Double(f[pendulum]) else { continue }
            judgement.add(deviceTimeUs: t, armAngle: theta, pendulumAngle: alpha)
        }
        return judgement.verdict
    }
}
