/// A run recorded on the robot (the controller's `--log`, or a session's episode log) judged by
/// the task's deployment criterion, `SwingUpSuccess`, through `SwingUpJudgement` — the verdict
/// `furuta eval` gives a simulated episode and the controller's session gives its episodes.
extension RecordedEpisode {
    public typealias Verdict = SwingUpJudgement.Verdict

    public static func verdict(steps rows: [Step], criterion: SwingUpSuccess, periodS: Double, armLimit: Double) -> Verdict {
        var judgement = SwingUpJudgement(criterion: criterion, periodS: periodS, armLimit: armLimit)
        for row in rows { judgement.add(deviceTimeUs: row.deviceTimeUs, armAngle: row.armAngle, pendulumAngle: row.pendulumAngle) }
        return judgement.verdict
    }
}
