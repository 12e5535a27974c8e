import Foundation
import Trainer

/// The `furuta train` progress line, saying only what is known:
/// - return: the mean return of the episodes that ended in the last rollout, or "none ended"
///   (a rollout shorter than an episode ends none; printing 0 would read as a score);
/// - ETA: from the stopping rule. While evaluations pass, the run stops at a known iteration
///   (the evaluation that makes `consecutiveSuccessesToStop` in a row), and the ETA is the time
///   to it at the measured seconds per iteration, marked "if it holds". Before the first success
///   no one knows when success comes: the line gives the budget's bound ("≤ …, budget").
struct TrainingProgressText {
    let config: TrainingConfig
    private(set) var consecutiveSuccesses = 0

    init(config: TrainingConfig) { self.config = config }

    mutating func line(_ p: TrainingRun.Progress) -> String {
        if let succeeded = p.succeeded {
            consecutiveSuccesses = succeeded ? consecutiveSuccesses + 1 : 0
        }
        let success = (p.lastSuccessRate.map { String(format: "%3.0f%%", $0 * 100) } ?? "  –")
            + (p.confirmed.map { String(format: " (confirmed %.0f%%)", $0.successRate * 100) } ?? "")
        let ret = p.meanEpisodeReturn.isNaN ? "none ended" : String(format: "%10.1f", Double(p.meanEpisodeReturn))
        return String(format: "iter %4d  %6.2fM steps  %7.0f steps/s  return ", p.iteration,
                      Double(p.environmentSteps) / 1e6, p.stepsPerSecond)
            + ret + "  success " + success + String(format: "  %5.0fs  ", p.elapsedSeconds) + eta(p)
    }

    func eta(_ p: TrainingRun.Progress) -> String {
        let secondsPerIteration = p.iteration > 0 ? p.elapsedSeconds / Double(p.iteration) : .nan
        let budget = min(config.maxSeconds - p.elapsedSeconds,
                         p.stepsPerSecond > 0 ? Double(config.maxEnvironmentSteps - p.environmentSteps) / p.stepsPerSecond : .infinity)
        let bound = String(format: "ETA ≤ %.0fs (budget)", max(0, budget))
        guard config.stopAtSuccess, consecutiveSuccesses > 0, secondsPerIteration.isFinite else { return bound }
        let every = config.evaluation.everyIterations
        let nextEvaluation = (p.iteration / every + 1) * every
        let stopIteration = nextEvaluation + (config.evaluation.consecutiveSuccessesToStop - consecutiveSuccesses - 1) * every
        let toStop = Double(stopIteration - p.iteration) * secondsPerIteration
        guard toStop < budget else { return bound }
        return String(format: "ETA %.0fs if evaluations keep passing", toStop)
    }
}
