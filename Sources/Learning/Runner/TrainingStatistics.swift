/// What one iteration did, for metrics.csv, the progress line and tests. The runner fills the
/// counters, episode figures and timings; the algorithm fills its losses (`nan` where a column
/// does not apply to it, written as an empty cell).
public struct TrainingStatistics: Sendable {
    public var iteration = 0
    public var environmentSteps = 0
    /// Mean return and length of the episodes that ended during the iteration (nan if none).
    public var meanEpisodeReturn = Float.nan
    public var meanEpisodeLength = Float.nan
    public var episodesEnded = 0
    public var meanReward: Float = 0
    /// PPO: clipped surrogate. SAC: actor loss α·log π − Q.
    public var policyLoss = Float.nan
    /// PPO: value loss. SAC: critic loss (mean over the Q-networks).
    public var valueLoss = Float.nan
    /// Entropy of the policy (SAC: the estimate −mean log π).
    public var entropy = Float.nan
    public var approximateKL = Float.nan
    public var clipFraction = Float.nan
    /// PPO: 1 − Var[G − V]/Var[G] of the rollout's returns G and predicted values V
    /// (`ExplainedVariance`).
    public var explainedVariance = Float.nan
    public var gradientNorm = Float.nan
    public var learningRate = Float.nan
    /// Mean standard deviation of the action noise (before squashing).
    public var actionStd = Float.nan
    public var secondsCollecting = 0.0
    public var secondsUpdating = 0.0
    public init() {}
}
