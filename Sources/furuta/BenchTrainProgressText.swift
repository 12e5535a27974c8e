import Foundation
import Trainer

/// The `furuta bench train` progress line for one seed (on stderr, so `--json` stays clean):
/// which seed of how many, env steps so far, the last in-run evaluation's success, when success
/// first came (wall time and env steps, as the final table reports it), and the ETA of this
/// seed's run from its stopping rule (`TrainingProgressText.eta`: a bound from the budget until
/// evaluations pass).
struct BenchTrainProgressText {
    let seed: UInt64
    let position: Int
    let count: Int
    let config: TrainingConfig
    private var training: TrainingProgressText
    private(set) var firstSuccess: (seconds: Double, steps: Int)?

    init(seed: UInt64, position: Int, count: Int, config: TrainingConfig) {
        self.seed = seed
        self.position = position
        self.count = count
        self.config = config
        training = TrainingProgressText(config: config)
    }

    mutating func line(_ p: TrainingRun.Progress) -> String {
        _ = training.line(p)  // counts the consecutive successes its ETA needs
        if firstSuccess == nil, p.succeeded == true {
            firstSuccess = (p.elapsedSeconds, p.environmentSteps)
        }
        let success = (p.lastSuccessRate.map { String(format: "%.0f%%", $0 * 100) } ?? "not evaluated yet")
            + (p.confirmed.map { String(format: " (confirmed %.0f%%)", $0.successRate * 100) } ?? "")
        let first = firstSuccess.map { String(format: "first success at %.1f s, %d steps", $0.seconds, $0.steps) }
            ?? "no success yet"
        return "bench train: seed \(seed) (\(position)/\(count))  \(p.environmentSteps) steps  success \(success)  "
            + first + String(format: "  %.0f s  ", p.elapsedSeconds) + training.eta(p)
    }
}
