/// How much of the variance of the value targets the critic explains (SB3's
/// `explained_variance`, logged by every PPO implementation people compare against):
///
///     EV = 1 − Var[G − V] / Var[G]
///
/// over one rollout, with G the GAE returns (the critic's regression targets) and V the values
/// the critic predicted while collecting it. 1: perfect; 0: no better than predicting the mean
/// return; negative: worse than that. NaN when the returns do not vary (nothing to explain).
public enum ExplainedVariance {
    public static func of(predictions: [Float], targets: [Float]) -> Float {
        precondition(predictions.count == targets.count, "one prediction per target")
        let n = Double(targets.count)
        guard n > 1 else { return .nan }
        // Two-pass variances in Double: the returns of a long rollout sum many float terms.
        var targetMean = 0.0, residualMean = 0.0
        for i in targets.indices {
            targetMean += Double(targets[i])
            residualMean += Double(targets[i]) - Double(predictions[i])
        }
        targetMean /= n
        residualMean /= n
        var targetVariance = 0.0, residualVariance = 0.0
        for i in targets.indices {
            let t = Double(targets[i]) - targetMean
            let r = Double(targets[i]) - Double(predictions[i]) - residualMean
            targetVariance += t * t
            residualVariance += r * r
        }
        guard targetVariance > 0 else { return .nan }
        return Float(1 - residualVariance / targetVariance)
    }
}
